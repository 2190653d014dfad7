// The Raft paper, §5.1 (terms) and §5.2 (leader election): one test per rule.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { StateType } from "../raft.js";
import { assertState, brief, hup, take, tickElection } from "../testing/helpers.js";
import { blackHole, ids, Network, newTestRaft, newTestStorage } from "../testing/network.js";
import { MessageType, message, NONE } from "../types.js";

const three = () => newTestStorage(ids(1, 2, 3));

describe("§5.1 terms", () => {
  for (const [name, setup] of [
    ["follower", () => {}],
    ["candidate", (r: ReturnType<typeof newTestRaft>) => r.becomeCandidate()],
    [
      "leader",
      (r: ReturnType<typeof newTestRaft>) => {
        r.becomeCandidate();
        r.becomeLeader();
      },
    ],
  ] as const) {
    test(`§5.1 - a ${name} that sees a higher term adopts it and becomes a follower`, () => {
      const r = newTestRaft(1, 10, 1, three());
      setup(r);
      r.step(message({ type: MessageType.MsgApp, from: 2n, to: 1n, term: 2 }));
      assertState(r, StateType.StateFollower, 2, 2n);
    });
  }

  test("§5.1 - a request with a stale term is rejected (not acted on)", () => {
    const r = newTestRaft(1, 10, 1, three());
    r.loadState({ term: 2, vote: NONE, commit: 0 });
    r.step(message({ type: MessageType.MsgApp, from: 2n, to: 1n, term: 1, index: 0, entries: [] }));
    r.step(message({ type: MessageType.MsgVote, from: 2n, to: 1n, term: 1 }));
    assertState(r, StateType.StateFollower, 2, NONE);
    assert.equal(r.vote, NONE);
    // The stale leader is told the current term so that it steps down.
    assert.deepEqual(take(r).map(brief), ["1->2 MsgAppResp t2 i0"]);
  });
});

describe("§5.2 leader election", () => {
  test("§5.2 - servers start as followers", () => {
    const r = newTestRaft(1, 10, 1, three());
    assertState(r, StateType.StateFollower, 0, NONE);
  });

  test("§5.2 - a leader sends heartbeats to every follower each heartbeat timeout", () => {
    const r = newTestRaft(1, 10, 1, three());
    r.becomeCandidate();
    r.becomeLeader();
    r.readMessages();
    r.tick();
    assert.deepEqual(take(r).map(brief), ["1->2 MsgHeartbeat t1", "1->3 MsgHeartbeat t1"]);
  });

  for (const [name, setup] of [
    ["follower", () => {}],
    ["candidate", (r: ReturnType<typeof newTestRaft>) => r.becomeCandidate()],
  ] as const) {
    test(`§5.2 - a ${name} hearing nothing for an election timeout starts an election: new term, own vote, vote requests`, () => {
      const r = newTestRaft(1, 10, 1, three());
      setup(r);
      const term = r.term;
      r.readMessages();
      tickElection(r);
      assertState(r, StateType.StateCandidate, term + 1);
      assert.equal(r.vote, 1n);
      assert.deepEqual(take(r).map(brief), [
        `1->2 MsgVote t${term + 1} 0/0`,
        `1->3 MsgVote t${term + 1} 0/0`,
      ]);
    });
  }

  test("§5.2 - a candidate becomes leader with votes from a majority, and otherwise waits or loses", () => {
    const cases: { size: number; votes: Record<number, boolean>; want: StateType }[] = [
      { size: 1, votes: {}, want: StateType.StateLeader },
      { size: 3, votes: { 2: true, 3: true }, want: StateType.StateLeader },
      { size: 3, votes: { 2: true }, want: StateType.StateLeader },
      { size: 5, votes: { 2: true, 3: true, 4: true, 5: true }, want: StateType.StateLeader },
      { size: 5, votes: { 2: true, 3: true, 4: true }, want: StateType.StateLeader },
      { size: 5, votes: { 2: true, 3: true }, want: StateType.StateLeader },
      { size: 3, votes: { 2: false, 3: false }, want: StateType.StateFollower },
      { size: 5, votes: { 2: false, 3: false, 4: false, 5: false }, want: StateType.StateFollower },
      { size: 5, votes: { 2: true, 3: false, 4: false, 5: false }, want: StateType.StateFollower },
      { size: 3, votes: {}, want: StateType.StateCandidate },
      { size: 5, votes: { 2: true }, want: StateType.StateCandidate },
      { size: 5, votes: { 2: false, 3: false }, want: StateType.StateCandidate },
    ];
    for (const c of cases) {
      const voters = ids(...Array.from({ length: c.size }, (_, i) => i + 1));
      const r = newTestRaft(1, 10, 1, newTestStorage(voters));
      r.step(message({ type: MessageType.MsgHup, from: 1n, to: 1n }));
      for (const [id, granted] of Object.entries(c.votes)) {
        r.step(
          message({
            type: MessageType.MsgVoteResp,
            from: BigInt(id),
            to: 1n,
            term: r.term,
            reject: !granted,
          }),
        );
      }
      assert.equal(StateType[r.state], StateType[c.want], JSON.stringify(c));
      assert.equal(r.term, 1);
    }
  });

  test("§5.2 - a server votes for at most one candidate per term, first come first served", () => {
    const cases: { vote: bigint; from: bigint; reject: boolean }[] = [
      { vote: NONE, from: 1n, reject: false },
      { vote: NONE, from: 2n, reject: false },
      { vote: 1n, from: 1n, reject: false },
      { vote: 2n, from: 2n, reject: false },
      { vote: 1n, from: 2n, reject: true },
      { vote: 2n, from: 1n, reject: true },
    ];
    for (const c of cases) {
      const r = newTestRaft(3, 10, 1, three());
      r.loadState({ term: 1, vote: c.vote, commit: 0 });
      r.step(message({ type: MessageType.MsgVote, from: c.from, to: 3n, term: 1 }));
      const [resp] = take(r);
      assert.equal(resp?.type, MessageType.MsgVoteResp);
      assert.equal(
        resp?.reject,
        c.reject,
        JSON.stringify(c, (_k, v) => (typeof v === "bigint" ? Number(v) : v)),
      );
    }
  });

  test("§5.2 - a candidate that hears from a leader of its term (or a later one) steps down", () => {
    for (const term of [1, 2]) {
      const r = newTestRaft(1, 10, 1, three());
      r.step(message({ type: MessageType.MsgHup, from: 1n, to: 1n }));
      assert.equal(r.state, StateType.StateCandidate);
      r.step(message({ type: MessageType.MsgApp, from: 2n, to: 1n, term }));
      assertState(r, StateType.StateFollower, term, 2n);
    }
  });

  test("§5.2 - election timeouts are randomized in [electionTimeout, 2 * electionTimeout)", () => {
    const seen = new Set<number>();
    const r = newTestRaft(1, 10, 1, three());
    for (let i = 0; i < 500; i++) {
      r.becomeFollower(r.term + 1, NONE);
      assert.ok(r.randomizedElectionTimeout >= 10 && r.randomizedElectionTimeout < 20);
      seen.add(r.randomizedElectionTimeout);
    }
    assert.equal(seen.size, 10, "every timeout in the range occurs");
  });

  test("§5.2 - randomized timeouts make simultaneous candidacies rare", () => {
    let conflicts = 0;
    const rounds = 1000;
    for (let round = 0; round < rounds; round++) {
      const nodes = [1, 2, 3, 4, 5].map((id) => newTestRaft(id, 10, 1, newTestStorage(ids(1, 2, 3, 4, 5))));
      for (const r of nodes) r.becomeFollower(1, NONE);
      let started = 0;
      while (started === 0) {
        for (const r of nodes) {
          r.tick();
          if (r.readMessages().length > 0) started++;
        }
      }
      if (started > 1) conflicts++;
    }
    assert.ok(conflicts / rounds < 0.3, `conflicts ${conflicts}/${rounds}`);
  });

  test("§5.2 - a partitioned candidate keeps retrying with new terms; the rest elect a leader", () => {
    const nt = new Network([null, null, null]);
    nt.isolate(1);
    hup(nt, 1);
    hup(nt, 1);
    assertState(nt.raft(1), StateType.StateCandidate, 2);
    hup(nt, 2);
    assertState(nt.raft(2), StateType.StateLeader, 1);
    assertState(nt.raft(3), StateType.StateFollower, 1, 2n);
  });

  test("§5.2 - a cluster with a dead member still elects a leader with a majority", () => {
    const nt = new Network([null, null, blackHole()]);
    hup(nt, 1);
    assertState(nt.raft(1), StateType.StateLeader, 1);
  });
});

describe("§3.10 (dissertation) leadership transfer", () => {
  test("§3.10 - the leader sends TimeoutNow once the transferee is up to date, and it wins at once", () => {
    const nt = new Network([null, null, null]);
    hup(nt, 1);
    nt.send(message({ type: MessageType.MsgTransferLeader, from: 2n, to: 1n }));
    assertState(nt.raft(1), StateType.StateFollower, 2, 2n);
    assertState(nt.raft(2), StateType.StateLeader, 2);
  });

  test("§3.10 - proposals are dropped while a transfer is under way, and it is abandoned after an election timeout", () => {
    const nt = new Network([null, null, blackHole()]);
    hup(nt, 1);
    const lead = nt.raft(1);
    nt.send(message({ type: MessageType.MsgTransferLeader, from: 3n, to: 1n }));
    assert.equal(lead.leadTransferee, 3n);
    assert.throws(() =>
      lead.step(
        message({
          type: MessageType.MsgProp,
          from: 1n,
          entries: [{ term: 0, index: 0, type: 0, data: new Uint8Array(1) }],
        }),
      ),
    );
    for (let i = 0; i < 10; i++) lead.tick();
    assert.equal(lead.leadTransferee, NONE);
    assert.equal(lead.state, StateType.StateLeader);
  });
});
