// The two shapes of configuration change (etcd's ConfChangeI): the legacy single-node
// ConfChange and ConfChangeV2, which may change many nodes at once via joint consensus.
import { decodeConfChange, decodeConfChangeV2, encodeConfChange, encodeConfChangeV2 } from "./codec.js";
import {
  type ConfChange,
  type ConfChangeSingle,
  ConfChangeTransition,
  ConfChangeType,
  type ConfChangeV2,
  type Entry,
  EntryType,
} from "./types.js";

export type AnyConfChange = ConfChange | ConfChangeV2;

export function isConfChangeV2(cc: AnyConfChange): cc is ConfChangeV2 {
  return "changes" in cc;
}

export function asV2(cc: AnyConfChange): ConfChangeV2 {
  if (isConfChangeV2(cc)) return cc;
  return {
    transition: ConfChangeTransition.ConfChangeTransitionAuto,
    changes: [{ type: cc.type, nodeId: cc.nodeId }],
    context: cc.context,
  };
}

/**
 * Whether the change must go through a joint configuration, and if so whether raft
 * leaves it by itself (autoLeave) or waits for the application's empty ConfChangeV2.
 */
export function enterJoint(cc: ConfChangeV2): { joint: boolean; autoLeave: boolean } {
  if (cc.transition === ConfChangeTransition.ConfChangeTransitionAuto && cc.changes.length <= 1) {
    return { joint: false, autoLeave: false };
  }
  switch (cc.transition) {
    case ConfChangeTransition.ConfChangeTransitionAuto:
    case ConfChangeTransition.ConfChangeTransitionJointImplicit:
      return { joint: true, autoLeave: true };
    case ConfChangeTransition.ConfChangeTransitionJointExplicit:
      return { joint: true, autoLeave: false };
    default:
      throw new Error(`raft: unknown conf change transition ${String(cc.transition)}`);
  }
}

/** An empty ConfChangeV2 (context aside) asks to leave the joint configuration. */
export function leaveJoint(cc: ConfChangeV2): boolean {
  return cc.transition === ConfChangeTransition.ConfChangeTransitionAuto && cc.changes.length === 0;
}

/** The entry type and payload that carry a conf change in the log. */
export function marshalConfChange(cc: AnyConfChange): { type: EntryType; data: Uint8Array } {
  if (isConfChangeV2(cc)) return { type: EntryType.EntryConfChangeV2, data: encodeConfChangeV2(cc) };
  return { type: EntryType.EntryConfChange, data: encodeConfChange(cc) };
}

/** The conf change an entry carries, or null for a normal entry. */
export function confChangeOfEntry(e: Entry): AnyConfChange | null {
  if (e.type === EntryType.EntryConfChange) return decodeConfChange(e.data);
  if (e.type === EntryType.EntryConfChangeV2) return decodeConfChangeV2(e.data);
  return null;
}

/** "v1 l2 r3 u4" (etcd's notation: voter, learner, remove, update) to changes. */
export function confChangesFromString(s: string): ConfChangeSingle[] {
  const out: ConfChangeSingle[] = [];
  for (const tok of s.trim().split(/\s+/)) {
    if (tok === "") continue;
    const kind = tok[0];
    const type =
      kind === "v"
        ? ConfChangeType.ConfChangeAddNode
        : kind === "l"
          ? ConfChangeType.ConfChangeAddLearnerNode
          : kind === "r"
            ? ConfChangeType.ConfChangeRemoveNode
            : kind === "u"
              ? ConfChangeType.ConfChangeUpdateNode
              : undefined;
    if (type === undefined || !/^\d+$/.test(tok.slice(1))) throw new Error(`unknown token ${tok}`);
    out.push({ type, nodeId: BigInt(tok.slice(1)) });
  }
  return out;
}

export function confChangesToString(ccs: readonly ConfChangeSingle[]): string {
  const letter: Record<ConfChangeType, string> = {
    [ConfChangeType.ConfChangeAddNode]: "v",
    [ConfChangeType.ConfChangeAddLearnerNode]: "l",
    [ConfChangeType.ConfChangeRemoveNode]: "r",
    [ConfChangeType.ConfChangeUpdateNode]: "u",
  };
  return ccs.map((c) => `${letter[c.type]}${c.nodeId}`).join(" ");
}
