// Rebuilds a configuration from a ConfState (from a snapshot or storage) by replaying it as
// a series of changes, so restoring goes through the same checks as changing.
import { emptyTrackerConfig, type ProgressMap } from "../tracker/index.js";
import { type ConfChangeSingle, ConfChangeType, type ConfState } from "../types.js";
import { type ChangeResult, Changer } from "./confchange.js";

/**
 * The changes that build `cs` from nothing: first the outgoing voters (one at a time),
 * then, as one joint step, the incoming half (if joint) or the rest (if not).
 */
function toConfChangeSingles(cs: ConfState): { outgoing: ConfChangeSingle[]; incoming: ConfChangeSingle[] } {
  const add = (nodeId: bigint): ConfChangeSingle => ({ type: ConfChangeType.ConfChangeAddNode, nodeId });
  const learner = (nodeId: bigint): ConfChangeSingle => ({
    type: ConfChangeType.ConfChangeAddLearnerNode,
    nodeId,
  });
  const outgoing = cs.votersOutgoing.map(add);
  // The incoming half starts as a copy of the outgoing one: remove those voters first.
  const incoming: ConfChangeSingle[] = cs.votersOutgoing.map((nodeId) => ({
    type: ConfChangeType.ConfChangeRemoveNode,
    nodeId,
  }));
  incoming.push(...cs.voters.map(add), ...cs.learners.map(learner), ...cs.learnersNext.map(learner));
  return { outgoing, incoming };
}

/** The configuration and progress described by `cs`, with progress starting at lastIndex. */
export function restoreConfState(cs: ConfState, lastIndex: number, maxInflight: number): ChangeResult {
  const { outgoing, incoming } = toConfChangeSingles(cs);
  let state: ChangeResult = { config: emptyTrackerConfig(), progress: new Map() as ProgressMap };
  const step = (f: (c: Changer) => ChangeResult): void => {
    state = f(new Changer({ ...state, maxInflight }, lastIndex));
  };
  if (outgoing.length === 0) {
    for (const cc of incoming) step((c) => c.simple([cc]));
  } else {
    for (const cc of outgoing) step((c) => c.simple([cc]));
    step((c) => c.enterJoint(cs.autoLeave, incoming));
  }
  return state;
}
