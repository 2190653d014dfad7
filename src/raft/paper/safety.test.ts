// The Raft paper, §5.4 (safety): one test per rule.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { StateType } from "../raft.js";
import { brief, dataOf, entriesOf, hup, propose, take, withLog } from "../testing/helpers.js";
import { Network, nextEnts } from "../testing/network.js";
import { type Entry, EntryType, MessageType, message } from "../types.js";

const ent = (index: number, term: number): Entry => ({
  index,
  term,
  type: EntryType.EntryNormal,
  data: new Uint8Array(0),
});

describe("§5.4 safety", () => {
  test("§5.4.1 - a vote request carries the candidate's last log index and term", () => {
    const { r } = withLog(1, "1 2", 2);
    r.step(message({ type: MessageType.MsgHup, from: 1n, to: 1n }));
    assert.deepEqual(take(r).map(brief), ["1->2 MsgVote t3 2/2", "1->3 MsgVote t3 2/2"]);
  });

  test("§5.4.1 - a voter refuses a candidate whose log is less up to date than its own", () => {
    const cases: { logTerm: number; index: number; reject: boolean }[] = [
      { logTerm: 2, index: 2, reject: false }, // same log
      { logTerm: 2, index: 3, reject: false }, // longer, same last term
      { logTerm: 3, index: 1, reject: false }, // shorter but later last term
      { logTerm: 2, index: 1, reject: true }, // shorter, same last term
      { logTerm: 1, index: 3, reject: true }, // longer but earlier last term
    ];
    for (const c of cases) {
      const { r } = withLog(1, "1 2", 2);
      r.step(
        message({ type: MessageType.MsgVote, from: 2n, to: 1n, term: 3, logTerm: c.logTerm, index: c.index }),
      );
      const [resp] = take(r);
      assert.equal(resp?.reject, c.reject, JSON.stringify(c));
    }
  });

  test("§5.4.2 - a leader counts replicas only for entries of its own term", () => {
    for (const [index, committed] of [
      [1, false],
      [2, false],
      [3, true],
    ] as const) {
      const { r } = withLog(1, "1 2", 2);
      r.becomeCandidate();
      r.becomeLeader(); // appends the empty entry 3 at term 3
      r.step(message({ type: MessageType.MsgAppResp, from: 2n, to: 1n, term: r.term, index }));
      assert.equal(r.raftLog.committed === index, committed, `ack of ${index}`);
    }
  });

  test("§5.4.2 - an old-term entry replicated on a majority can still be overwritten (figure 8)", () => {
    // (b)/(c): entry 2@2 is on S1 and S2 (a majority of 3 is 2), written by a leader of
    // term 2 that crashed before committing. S3 was leader of term 3 with 2@3.
    const { r: s1 } = withLog(1, "1 2", 3);
    const { r: s2 } = withLog(2, "1 2", 3);
    // S1 becomes leader of term 4: entry 2@2 is on a majority but must not be committed
    // until an entry of term 4 is.
    s1.becomeCandidate();
    s1.becomeLeader();
    s1.step(message({ type: MessageType.MsgAppResp, from: 2n, to: 1n, term: s1.term, index: 2 }));
    assert.equal(s1.raftLog.committed, 0);
    // Had it committed 2@2: S1 crashes before 3@4 reaches anyone, S3 (whose last entry is
    // 2@3) asks S2 for its vote in term 5. S3's last term beats S2's, so S2 votes for it,
    // and S3 overwrites 2@2 on S2: the "committed" entry would be gone.
    s2.step(message({ type: MessageType.MsgVote, from: 3n, to: 2n, term: 5, logTerm: 3, index: 2 }));
    assert.equal(take(s2)[0]?.reject, false);
    s2.step(
      message({
        type: MessageType.MsgApp,
        from: 3n,
        to: 2n,
        term: 5,
        logTerm: 1,
        index: 1,
        entries: [ent(2, 3)],
      }),
    );
    assert.deepEqual(entriesOf(s2), [
      [1, 1],
      [2, 3],
    ]);
  });

  test("§5.4.3 - a candidate missing a committed entry cannot be elected (leader completeness)", () => {
    const nt = new Network([null, null, null]);
    hup(nt, 1);
    nt.isolate(3);
    propose(nt, 1, "committed");
    assert.equal(nt.raft(1).raftLog.committed, 2);
    // The leader goes away; node 3 lacks entry 2, so node 2 refuses it.
    nt.recover();
    nt.isolate(1);
    hup(nt, 3);
    assert.notEqual(nt.raft(3).state, StateType.StateLeader);
    hup(nt, 2);
    assert.equal(nt.raft(2).state, StateType.StateLeader);
    assert.deepEqual(dataOf(nt.raft(2).raftLog.allEntries()), ["committed"]);
  });

  test("§5.4.3 - servers never apply different entries at the same index (state machine safety)", () => {
    const nt = new Network([null, null, null, null, null]);
    const applied = new Map<number, string>();
    const check = () => {
      for (const [id, r] of nt.peers) {
        if (!("raftLog" in r)) continue;
        for (const e of nextEnts(r, nt.storage.get(id)!)) {
          const key = `${e.term}:${dataOf([e]).join()}`;
          const seen = applied.get(e.index);
          if (seen !== undefined) assert.equal(key, seen, `index ${e.index} at ${id}`);
          applied.set(e.index, key);
        }
      }
    };
    hup(nt, 1);
    propose(nt, 1, "a");
    check();
    nt.isolate(1);
    propose(nt, 1, "lost"); // the isolated old leader's entry never commits
    hup(nt, 2);
    propose(nt, 2, "b");
    check();
    nt.recover();
    hup(nt, 3);
    propose(nt, 3, "c");
    check();
    assert.deepEqual(dataOf(nt.raft(1).raftLog.allEntries()), ["a", "b", "c"]);
  });
});
