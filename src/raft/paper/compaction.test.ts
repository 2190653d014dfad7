// The Raft paper, §7 (log compaction): one test per rule.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MemoryStorage } from "../storage.js";
import { entriesOf, hup, propose, take } from "../testing/helpers.js";
import { ids, Network, newTestRaft, newTestStorage, nextEnts } from "../testing/network.js";
import { ProgressState } from "../tracker/index.js";
import { type Entry, EntryType, MessageType, message, type Snapshot } from "../types.js";

const ent = (index: number, term: number): Entry => ({
  index,
  term,
  type: EntryType.EntryNormal,
  data: new Uint8Array(0),
});
const snapshot = (index: number, term: number, voters = ids(1, 2)): Snapshot => ({
  data: new Uint8Array([1, 2, 3]),
  metadata: {
    index,
    term,
    confState: { voters, learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false },
  },
});

/** A leader of {1,2} whose log starts after a snapshot at 11, sending that snapshot to 2. */
function leaderSendingSnapshot() {
  const s = newTestStorage(ids(1, 2));
  s.applySnapshot(snapshot(11, 11));
  const r = newTestRaft(1, 10, 1, s);
  r.becomeCandidate();
  r.becomeLeader();
  const pr = r.prs.progress.get(2n)!;
  pr.becomeSnapshot(11);
  return { r, pr };
}

describe("§7 log compaction", () => {
  test("§7 - each server compacts on its own: the snapshot replaces the log up to its index", () => {
    const nt = new Network([null, null, null]);
    hup(nt, 1);
    for (const d of ["a", "b", "c"]) propose(nt, 1, d);
    const r2 = nt.raft(2);
    const s2 = nt.storage.get(2n)!;
    nextEnts(r2, s2);
    s2.createSnapshot(3, r2.prs.confState(), new Uint8Array([9]));
    s2.compact(3);
    assert.equal(r2.raftLog.firstIndex(), 4);
    assert.equal(r2.raftLog.term(3), 1, "the snapshot keeps the last included entry's term");
    assert.equal(nt.raft(1).raftLog.firstIndex(), 1, "the others are unaffected");
    propose(nt, 1, "d");
    assert.equal(
      r2.raftLog.lastIndex(),
      nt.raft(1).raftLog.lastIndex(),
      "replication continues after compaction",
    );
  });

  test("§7 - a leader sends InstallSnapshot (MsgSnap) to a follower that needs compacted entries", () => {
    const s = newTestStorage(ids(1, 2));
    s.applySnapshot(snapshot(11, 11));
    const r = newTestRaft(1, 10, 1, s);
    r.becomeCandidate();
    r.becomeLeader();
    r.readMessages();
    const pr = r.prs.progress.get(2n)!;
    pr.next = r.raftLog.firstIndex() - 1; // the follower needs entry 11, compacted
    pr.recentActive = true;
    r.sendAppend(2n);
    const [m] = take(r);
    assert.equal(m?.type, MessageType.MsgSnap);
    assert.equal(m?.snapshot?.metadata.index, 11);
    assert.equal(pr.state, ProgressState.StateSnapshot);
    assert.equal(pr.pendingSnapshot, 11);
  });

  test("§7 - a follower installing a snapshot discards its whole log when the snapshot has newer information", () => {
    const s = newTestStorage(ids(1, 2));
    s.append([ent(1, 1), ent(2, 1), ent(3, 2)]);
    const r = newTestRaft(2, 10, 1, s);
    r.becomeFollower(5, 1n);
    r.step(message({ type: MessageType.MsgSnap, from: 1n, to: 2n, term: 5, snapshot: snapshot(10, 4) }));
    assert.equal(r.raftLog.committed, 10);
    assert.equal(r.raftLog.lastIndex(), 10);
    assert.deepEqual(entriesOf(r), []);
    assert.equal(take(r)[0]?.index, 10, "it acknowledges the snapshot's index");
  });

  test("§7 - a follower that already has the snapshot's last entry keeps the entries after it", () => {
    const s = newTestStorage(ids(1, 2));
    s.append([ent(1, 1), ent(2, 1), ent(3, 1), ent(4, 1)]);
    const r = newTestRaft(2, 10, 1, s);
    r.becomeFollower(1, 1n);
    r.step(message({ type: MessageType.MsgSnap, from: 1n, to: 2n, term: 1, snapshot: snapshot(2, 1) }));
    assert.equal(r.raftLog.committed, 2, "commit is fast-forwarded");
    assert.equal(r.raftLog.lastIndex(), 4, "later entries stay");
    assert.equal(r.raftLog.hasPendingSnapshot(), false);
  });

  test("§7 - a stale snapshot (at or below the commit index) is ignored", () => {
    const s = newTestStorage(ids(1, 2));
    s.append([ent(1, 1), ent(2, 1), ent(3, 1)]);
    const r = newTestRaft(2, 10, 1, s);
    r.becomeFollower(1, 1n);
    r.raftLog.commitTo(3);
    r.step(message({ type: MessageType.MsgSnap, from: 1n, to: 2n, term: 1, snapshot: snapshot(2, 1) }));
    assert.equal(r.raftLog.hasPendingSnapshot(), false);
    assert.equal(take(r)[0]?.index, 3);
  });

  test("§7 - once the snapshot is reported applied (or failed), the leader probes the follower again", () => {
    for (const status of ["finish", "failure"] as const) {
      const { r, pr } = leaderSendingSnapshot();
      r.step(message({ type: MessageType.MsgSnapStatus, from: 2n, to: 1n, reject: status === "failure" }));
      assert.equal(pr.state, ProgressState.StateProbe);
      assert.equal(pr.next, status === "finish" ? 12 : 1 + pr.match);
      assert.equal(pr.probeSent, true, "it waits for a heartbeat response before probing");
    }
  });

  test("§7 - an acknowledgement past the log's start ends the snapshot state", () => {
    const { r, pr } = leaderSendingSnapshot();
    r.step(message({ type: MessageType.MsgAppResp, from: 2n, to: 1n, term: r.term, index: 11 }));
    assert.equal(pr.state, ProgressState.StateReplicate);
    assert.equal(pr.match, 11);
  });

  test("§7 - a server restarts from its latest snapshot plus the entries after it", () => {
    const s = new MemoryStorage();
    s.applySnapshot(snapshot(10, 3, ids(1, 2, 3)));
    s.append([ent(11, 3), ent(12, 4)]);
    s.setHardState({ term: 4, vote: 2n, commit: 11 });
    const r = newTestRaft(1, 10, 1, s);
    assert.deepEqual(r.prs.voterNodes(), ids(1, 2, 3), "configuration from the snapshot");
    assert.equal(r.raftLog.firstIndex(), 11);
    assert.equal(r.raftLog.lastIndex(), 12);
    assert.equal(r.raftLog.committed, 11);
    assert.deepEqual(
      nextEnts(r, s).map((e) => e.index),
      [11],
      "only entries after the snapshot are applied",
    );
  });

  test("§7 - a follower far behind catches up through a snapshot and then the log", () => {
    const nt = new Network([null, null, null]);
    hup(nt, 1);
    nt.isolate(3);
    for (const d of ["a", "b", "c", "d"]) propose(nt, 1, d);
    const r1 = nt.raft(1);
    const s1 = nt.storage.get(1n)!;
    nextEnts(r1, s1);
    s1.createSnapshot(r1.raftLog.applied, r1.prs.confState(), new Uint8Array([7]));
    s1.compact(r1.raftLog.applied);
    nt.recover();
    // The follower is inactive from the leader's point of view until it answers.
    nt.send(message({ type: MessageType.MsgBeat, from: 1n, to: 1n }));
    nt.send(message({ type: MessageType.MsgSnapStatus, from: 3n, to: 1n }));
    nt.send(message({ type: MessageType.MsgBeat, from: 1n, to: 1n }));
    propose(nt, 1, "e");
    const r3 = nt.raft(3);
    assert.equal(r3.raftLog.lastIndex(), r1.raftLog.lastIndex());
    assert.equal(r3.raftLog.committed, r1.raftLog.committed);
  });
});
