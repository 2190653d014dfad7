// The Raft paper, §5.3 (log replication): one test per rule.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { StateType } from "../raft.js";
import {
  acceptAppends,
  brief,
  dataOf,
  electAndCommitEmpty,
  entriesOf,
  hup,
  propose,
  proposeTo,
  take,
  withLog,
} from "../testing/helpers.js";
import { ids, Network, newTestRaft, newTestStorage, nextEnts } from "../testing/network.js";
import { type Entry, EntryType, MessageType, message } from "../types.js";

const ent = (index: number, term: number): Entry => ({
  index,
  term,
  type: EntryType.EntryNormal,
  data: new Uint8Array(0),
});

describe("§5.3 log replication", () => {
  test("§5.3 - the leader appends a proposal to its log and sends AppendEntries to every follower", () => {
    const s = newTestStorage(ids(1, 2, 3));
    const r = newTestRaft(1, 10, 1, s);
    electAndCommitEmpty(r);
    proposeTo(r, "some data");
    assert.equal(r.raftLog.committed, 1);
    assert.deepEqual(take(r).map(brief), ["1->2 MsgApp t1 1/1 c1 [1/2]", "1->3 MsgApp t1 1/1 c1 [1/2]"]);
    assert.deepEqual(dataOf(r.raftLog.unstableEntries()), ["some data"]);
  });

  test("§5.3 - an entry is committed once a majority has it, and the leader then applies it", () => {
    const s = newTestStorage(ids(1, 2, 3));
    const r = newTestRaft(1, 10, 1, s);
    electAndCommitEmpty(r);
    nextEnts(r, s);
    proposeTo(r, "some data");
    const msgs = r.readMessages();
    acceptAppends(r, msgs.slice(0, 1));
    assert.equal(r.raftLog.committed, 2);
    assert.deepEqual(dataOf(nextEnts(r, s)), ["some data"]);
    // The new commit index goes out to the followers.
    assert.deepEqual(take(r).map(brief), ["1->2 MsgApp t1 1/2 c2", "1->3 MsgApp t1 1/2 c2"]);
  });

  test("§5.3 - the leader commits only what a majority acknowledged", () => {
    const cases: { size: number; acks: number[]; commit: boolean }[] = [
      { size: 1, acks: [], commit: true },
      { size: 3, acks: [], commit: false },
      { size: 3, acks: [2], commit: true },
      { size: 3, acks: [2, 3], commit: true },
      { size: 5, acks: [2], commit: false },
      { size: 5, acks: [2, 3], commit: true },
      { size: 5, acks: [2, 3, 4, 5], commit: true },
    ];
    for (const c of cases) {
      const voters = ids(...Array.from({ length: c.size }, (_, i) => i + 1));
      const s = newTestStorage(voters);
      const r = newTestRaft(1, 10, 1, s);
      electAndCommitEmpty(r);
      const li = r.raftLog.lastIndex();
      proposeTo(r, "some data");
      acceptAppends(
        r,
        r.readMessages().filter((m) => c.acks.includes(Number(m.to))),
      );
      assert.equal(r.raftLog.committed > li, c.commit, JSON.stringify(c));
    }
  });

  test("§5.3 - committing an entry commits every entry before it, including older terms'", () => {
    const { r, s } = withLog(1, "1 2", 2);
    r.becomeCandidate();
    r.becomeLeader();
    proposeTo(r, "some data");
    acceptAppends(r, r.readMessages());
    assert.deepEqual(
      nextEnts(r, s).map((e) => [e.index, e.term]),
      [
        [1, 1],
        [2, 2],
        [3, 3],
        [4, 3],
      ],
    );
  });

  test("§5.3 - a follower learns the commit index from AppendEntries and applies up to it", () => {
    const s = newTestStorage(ids(1, 2, 3));
    const r = newTestRaft(1, 10, 1, s);
    r.becomeFollower(1, 2n);
    const es = [1, 2, 3].map((i) => ({
      index: i,
      term: 1,
      type: EntryType.EntryNormal,
      data: new Uint8Array([i]),
    }));
    r.step(
      message({
        type: MessageType.MsgApp,
        from: 2n,
        to: 1n,
        term: 1,
        logTerm: 0,
        index: 0,
        entries: es,
        commit: 2,
      }),
    );
    assert.equal(r.raftLog.committed, 2);
    assert.deepEqual(
      nextEnts(r, s).map((e) => e.index),
      [1, 2],
    );
  });

  test("§5.3 - a follower refuses AppendEntries whose previous entry it does not have", () => {
    const cases: { term: number; index: number; want: string }[] = [
      { term: 0, index: 0, want: "1->2 MsgAppResp t2 i1" }, // match with committed entries
      { term: 1, index: 1, want: "1->2 MsgAppResp t2 i1" },
      { term: 2, index: 2, want: "1->2 MsgAppResp t2 i2" }, // match with uncommitted entries
      { term: 3, index: 2, want: "1->2 MsgAppResp t2 i2 reject(2)" }, // unmatching: term differs
      { term: 3, index: 3, want: "1->2 MsgAppResp t2 i3 reject(2)" }, // unexisting entry
    ];
    for (const c of cases) {
      const { r } = withLog(1, "1 2", 0);
      r.loadState({ term: 0, vote: 0n, commit: 1 });
      r.becomeFollower(2, 2n);
      r.step(
        message({ type: MessageType.MsgApp, from: 2n, to: 1n, term: 2, logTerm: c.term, index: c.index }),
      );
      assert.deepEqual(take(r).map(brief), [c.want], JSON.stringify(c));
    }
  });

  test("§5.3 - a follower deletes entries that conflict with the leader's and appends the new ones", () => {
    const cases: { index: number; term: number; ents: [number, number][]; want: [number, number][] }[] = [
      {
        index: 2,
        term: 2,
        ents: [[3, 3]],
        want: [
          [1, 1],
          [2, 2],
          [3, 3],
        ],
      },
      {
        index: 1,
        term: 1,
        ents: [
          [2, 3],
          [3, 4],
        ],
        want: [
          [1, 1],
          [2, 3],
          [3, 4],
        ],
      },
      {
        index: 0,
        term: 0,
        ents: [[1, 1]],
        want: [
          [1, 1],
          [2, 2],
        ],
      },
      { index: 0, term: 0, ents: [[1, 3]], want: [[1, 3]] },
    ];
    for (const c of cases) {
      const { r } = withLog(1, "1 2", 0);
      r.becomeFollower(2, 2n);
      r.step(
        message({
          type: MessageType.MsgApp,
          from: 2n,
          to: 1n,
          term: 2,
          logTerm: c.term,
          index: c.index,
          entries: c.ents.map(([i, t]) => ent(i, t)),
        }),
      );
      assert.deepEqual(entriesOf(r), c.want, JSON.stringify(c));
    }
  });

  test("§5.3 - the leader brings every kind of inconsistent follower log in line with its own (figure 7)", () => {
    const leaderLog = "1 1 1 4 4 5 5 6 6 6";
    const followers = [
      "1 1 1 4 4 5 5 6 6", // (a) missing an entry
      "1 1 1 4", // (b) missing many
      "1 1 1 4 4 5 5 6 6 6 6", // (c) an extra uncommitted entry
      "1 1 1 4 4 5 5 6 6 6 7 7", // (d) extra entries of a later term
      "1 1 1 4 4 4 4", // (e) missing entries, extra of an old term
      "1 1 1 2 2 2 3 3 3 3 3", // (f) extra entries of old terms
    ];
    for (const f of followers) {
      const lead = withLog(1, leaderLog, 8).r;
      lead.loadState({ term: 8, vote: 0n, commit: 10 });
      const follower = withLog(2, f, 7).r;
      // A third node votes for the leader but is otherwise absent.
      const nt = new Network([lead, follower, null]);
      nt.send(message({ type: MessageType.MsgHup, from: 1n, to: 1n }));
      nt.send(message({ type: MessageType.MsgVoteResp, from: 3n, to: 1n, term: lead.term }));
      propose(nt, 1, "x");
      assert.equal(lead.state, StateType.StateLeader);
      assert.deepEqual(entriesOf(follower), entriesOf(lead), JSON.stringify(f));
    }
  });

  test("§5.3 - a rejection hint lets the leader skip a whole conflicting term in one round trip", () => {
    const lead = withLog(1, "1 1 1 4 4 4", 5).r;
    const follower = withLog(2, "1 2 2 2 2 2 2 2", 5).r;
    lead.becomeCandidate();
    lead.becomeLeader();
    lead.readMessages();
    let rounds = 0;
    lead.sendAppend(2n);
    for (;;) {
      const out = lead.readMessages().filter((m) => m.to === 2n && m.type === MessageType.MsgApp);
      if (out.length === 0) break;
      rounds++;
      for (const m of out) follower.step(m);
      for (const resp of follower.readMessages()) lead.step(resp);
      if (entriesOf(follower).length === entriesOf(lead).length && !follower.readMessages().length) {
        const pr = lead.prs.progress.get(2n)!;
        if (pr.match === lead.raftLog.lastIndex()) break;
      }
    }
    assert.deepEqual(entriesOf(follower), entriesOf(lead));
    assert.ok(rounds <= 3, `took ${rounds} rounds`);
  });

  test("§5.3 - followers catch up through the network after missing entries", () => {
    const nt = new Network([null, null, null]);
    hup(nt, 1);
    nt.isolate(3);
    propose(nt, 1, "a");
    propose(nt, 1, "b");
    nt.recover();
    propose(nt, 1, "c");
    assert.deepEqual(entriesOf(nt.raft(3)), entriesOf(nt.raft(1)));
    assert.equal(nt.raft(3).raftLog.committed, nt.raft(1).raftLog.committed);
  });
});
