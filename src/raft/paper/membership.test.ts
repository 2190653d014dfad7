// The Raft paper, §6 (cluster membership changes), with the dissertation's refinements
// (§4: single-server changes, learners, joint consensus; §9.6: pre-vote): one test per rule.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { encodeConfChange, encodeConfChangeV2 } from "../codec.js";
import { asV2, confChangeOfEntry, confChangesFromString } from "../conf_change.js";
import { Changer } from "../confchange/index.js";
import { type Raft, StateType } from "../raft.js";
import { assertState, hup, propose, tickElection } from "../testing/helpers.js";
import { ids, Network, newTestRaft, newTestStorage } from "../testing/network.js";
import {
  ConfChangeTransition,
  ConfChangeType,
  EMPTY_BYTES,
  type Entry,
  EntryType,
  MessageType,
  message,
  NONE,
} from "../types.js";

function proposeEntry(nt: Network, id: number, e: Pick<Entry, "type" | "data">): void {
  nt.send(
    message({
      type: MessageType.MsgProp,
      from: BigInt(id),
      to: BigInt(id),
      entries: [{ term: 0, index: 0, ...e }],
    }),
  );
}

function v1(type: ConfChangeType, nodeId: number): Pick<Entry, "type" | "data"> {
  return {
    type: EntryType.EntryConfChange,
    data: encodeConfChange({ type, nodeId: BigInt(nodeId), context: EMPTY_BYTES, id: 0n }),
  };
}

function v2(
  changes: string,
  transition = ConfChangeTransition.ConfChangeTransitionAuto,
): Pick<Entry, "type" | "data"> {
  return {
    type: EntryType.EntryConfChangeV2,
    data: encodeConfChangeV2({ transition, changes: confChangesFromString(changes), context: EMPTY_BYTES }),
  };
}

/** Applies every committed conf change entry on every raft, as the application would. */
function applyConfChanges(nt: Network): void {
  for (const p of nt.peers.values()) {
    if (!("raftLog" in p)) continue;
    const r = p as Raft;
    const ents = r.raftLog.nextEnts();
    for (const e of ents) {
      if (e.type === EntryType.EntryConfChange || e.type === EntryType.EntryConfChangeV2) {
        r.applyConfChange(asV2(confChangeOfEntry(e)!));
      }
    }
    if (ents.length > 0) r.raftLog.appliedTo(ents[ents.length - 1]!.index);
  }
}

describe("§6 cluster membership changes", () => {
  test("§6 - a configuration change takes effect when its entry is applied, not when appended", () => {
    const nt = new Network([null, null, null]);
    hup(nt, 1);
    proposeEntry(nt, 1, v1(ConfChangeType.ConfChangeAddNode, 4));
    const r = nt.raft(1);
    assert.deepEqual(r.prs.voterNodes(), ids(1, 2, 3));
    applyConfChanges(nt);
    assert.deepEqual(r.prs.voterNodes(), ids(1, 2, 3, 4));
  });

  test("§6 - only one configuration change may be pending: a second is replaced by an empty entry", () => {
    const r = newTestRaft(1, 10, 1, newTestStorage(ids(1, 2, 3)));
    r.becomeCandidate();
    r.becomeLeader();
    r.raftLog.commitTo(r.raftLog.lastIndex());
    r.raftLog.appliedTo(r.raftLog.lastIndex());
    const prop = (e: Pick<Entry, "type" | "data">) =>
      r.step(message({ type: MessageType.MsgProp, from: 1n, entries: [{ term: 0, index: 0, ...e }] }));
    prop(v1(ConfChangeType.ConfChangeAddNode, 4));
    prop(v1(ConfChangeType.ConfChangeAddNode, 5));
    const ents = r.raftLog.unstableEntries().slice(-2);
    assert.deepEqual(
      ents.map((e) => e.type),
      [EntryType.EntryConfChange, EntryType.EntryNormal],
    );
    assert.equal(ents[1]!.data.length, 0);
  });

  test("§6 - a change of more than one voter must go through joint consensus", () => {
    const r = newTestRaft(1, 10, 1, newTestStorage(ids(1, 2, 3)));
    r.becomeCandidate();
    r.becomeLeader();
    // Forced into a single step (as a v1 ConfChange can only express), it is refused...
    assert.throws(
      () =>
        new Changer({ ...r.prs, maxInflight: 4 }, r.raftLog.lastIndex()).simple(
          confChangesFromString("v4 v5"),
        ),
      /more than one voter changed without entering joint config/,
    );
    // ...while a ConfChangeV2 with the automatic transition enters the joint configuration.
    r.applyConfChange(v2cc("v4 v5"));
    assert.deepEqual(r.prs.confState().votersOutgoing, ids(1, 2, 3));
    assert.deepEqual(r.prs.confState().voters, ids(1, 2, 3, 4, 5));
    assert.equal(r.prs.confState().autoLeave, true);
  });

  test("§6 - in a joint configuration, commitment needs majorities of both the old and the new voters", () => {
    const r = newTestRaft(1, 10, 1, newTestStorage(ids(1, 2, 3)));
    r.becomeCandidate();
    r.becomeLeader();
    r.applyConfChange(v2cc("r2 r3 v4 v5", ConfChangeTransition.ConfChangeTransitionJointExplicit));
    const li = r.raftLog.lastIndex();
    // Old {1,2,3} majority = 1,2; new {1,4,5} majority needs 4 or 5 as well.
    r.step(message({ type: MessageType.MsgAppResp, from: 2n, to: 1n, term: r.term, index: li }));
    assert.equal(r.raftLog.committed, 0);
    r.step(message({ type: MessageType.MsgAppResp, from: 4n, to: 1n, term: r.term, index: li }));
    assert.equal(r.raftLog.committed, li);
  });

  test("§6 - in a joint configuration, an election needs majorities of both the old and the new voters", () => {
    const s = newTestStorage([]);
    s.setConfState({
      voters: ids(1, 4, 5),
      votersOutgoing: ids(1, 2, 3),
      learners: [],
      learnersNext: [],
      autoLeave: false,
    });
    const r = newTestRaft(1, 10, 1, s);
    r.step(message({ type: MessageType.MsgHup, from: 1n, to: 1n }));
    r.step(message({ type: MessageType.MsgVoteResp, from: 2n, to: 1n, term: 1 }));
    r.step(message({ type: MessageType.MsgVoteResp, from: 3n, to: 1n, term: 1 }));
    assert.equal(r.state, StateType.StateCandidate, "old majority alone is not enough");
    r.step(message({ type: MessageType.MsgVoteResp, from: 5n, to: 1n, term: 1 }));
    assert.equal(r.state, StateType.StateLeader);
  });

  test("§6 - with auto-leave, the leader leaves the joint configuration by itself once it is applied", () => {
    const nt = new Network([null, null, null, null]);
    hup(nt, 1);
    // Node 4 is not yet a voter of anyone's configuration: start from {1,2,3}.
    for (const p of nt.peers.values()) {
      const r = p as Raft;
      r.applyConfChange(v2cc("r4"));
    }
    proposeEntry(nt, 1, v2("v4 r3", ConfChangeTransition.ConfChangeTransitionJointImplicit));
    applyConfChanges(nt);
    assert.equal(nt.raft(1).prs.isJoint(), true);
    // Applying the joint change at the leader appends the empty ConfChangeV2 that leaves it.
    nt.raft(1).advance(nt.raft(1).raftLog.applied, [], null, 0);
    nt.send(message({ type: MessageType.MsgBeat, from: 1n, to: 1n }));
    applyConfChanges(nt);
    assert.equal(nt.raft(1).prs.isJoint(), false);
    assert.deepEqual(nt.raft(1).prs.voterNodes(), ids(1, 2, 4));
  });

  test("§6 - new servers join as learners: they receive the log but do not count for commitment or elections", () => {
    const s = newTestStorage(ids(1), ids(2));
    const r = newTestRaft(1, 10, 1, s);
    const learner = newTestRaft(2, 10, 1, newTestStorage(ids(1), ids(2)));
    const nt = new Network([r, learner]);
    hup(nt, 1);
    assert.equal(r.state, StateType.StateLeader, "a single voter wins alone");
    propose(nt, 1, "x");
    assert.equal(learner.raftLog.committed, r.raftLog.committed);
    tickElection(learner);
    tickElection(learner);
    assert.equal(learner.state, StateType.StateFollower, "a learner never campaigns");
  });

  test("§6 - a learner is promoted in place and then votes", () => {
    const r = newTestRaft(2, 10, 1, newTestStorage(ids(1), ids(2)));
    assert.equal(r.promotable(), false);
    r.applyConfChange(v2cc("v2"));
    assert.equal(r.promotable(), true);
  });

  test("§6 - a leader removed from the configuration hands leadership over, then steps down", () => {
    const nt = new Network([null, null, null], (c) => {
      c.stepDownOnRemoval = true;
    });
    hup(nt, 1);
    propose(nt, 1, "x");
    const lead = nt.raft(1);
    lead.applyConfChange(v2cc("r1"));
    // The hand-over message goes out; deliver everything.
    nt.send(...lead.readMessages());
    assert.notEqual(lead.state, StateType.StateLeader);
    const newLeader = [nt.raft(2), nt.raft(3)].find((r) => r.state === StateType.StateLeader);
    assert.ok(newLeader !== undefined, "another voter took over");
  });

  test("§6 - removed servers cannot disrupt: with CheckQuorum, votes are ignored while a leader is heard", () => {
    const nt = new Network([null, null, null], (c) => {
      c.checkQuorum = true;
    });
    hup(nt, 1);
    const before = nt.raft(2).term;
    // Node 3 acts like a removed server that times out and campaigns.
    nt.raft(2).tick(); // followers have heard from the leader within the timeout
    nt.send(message({ type: MessageType.MsgVote, from: 3n, to: 2n, term: before + 5, logTerm: 9, index: 9 }));
    assertState(nt.raft(2), StateType.StateFollower, before, 1n);
  });

  test("§6 - CheckQuorum: a leader that has not heard from a majority within an election timeout steps down", () => {
    const nt = new Network([null, null, null], (c) => {
      c.checkQuorum = true;
    });
    hup(nt, 1);
    nt.isolate(1);
    const lead = nt.raft(1);
    for (let i = 0; i < 2 * 10; i++) lead.tick();
    assertState(lead, StateType.StateFollower, 1, NONE);
  });

  test("§9.6 (dissertation) - with PreVote, a partitioned node does not raise its term and disrupt on return", () => {
    const nt = new Network([null, null, null], (c) => {
      c.preVote = true;
    });
    hup(nt, 1);
    nt.isolate(3);
    const r3 = nt.raft(3);
    for (let i = 0; i < 5; i++) {
      tickElection(r3);
      nt.send(...r3.readMessages());
    }
    assertState(r3, StateType.StatePreCandidate, 1);
    nt.recover();
    nt.send(message({ type: MessageType.MsgBeat, from: 1n, to: 1n }));
    assertState(nt.raft(1), StateType.StateLeader, 1);
    assertState(r3, StateType.StateFollower, 1, 1n);
  });
});

function v2cc(changes: string, transition = ConfChangeTransition.ConfChangeTransitionAuto) {
  return { transition, changes: confChangesFromString(changes), context: EMPTY_BYTES };
}
