import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { confChangeOfEntry } from "./conf_change.js";
import { ErrInvalidConfig, ErrProposalDropped, ErrStepLocalMsg, ErrStepPeerNotFound } from "./errors.js";
import { StateType } from "./raft.js";
import { RawNode } from "./rawnode.js";
import { MemoryStorage } from "./storage.js";
import { InteractionEnv } from "./testing/env.js";
import { testRandom } from "./testing/network.js";
import { EntryType, MessageType, message } from "./types.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

function singleNode(): { rn: RawNode; storage: MemoryStorage } {
  const storage = new MemoryStorage();
  const rn = new RawNode({ id: 1n, electionTick: 10, heartbeatTick: 1, storage, random: testRandom(7) });
  rn.bootstrap([{ id: 1n }]);
  return { rn, storage };
}

/** Persists and applies one Ready the way the server loop will. */
function handle(rn: RawNode, storage: MemoryStorage) {
  const rd = rn.ready();
  if (rd.snapshot !== null) storage.applySnapshot(rd.snapshot);
  storage.append(rd.entries);
  if (rd.hardState !== null) storage.setHardState(rd.hardState);
  for (const e of rd.committedEntries) {
    const cc = confChangeOfEntry(e);
    if (cc !== null) rn.applyConfChange(cc);
  }
  rn.advance();
  return rd;
}

/** A single voter that elected itself and applied one proposal (index 3); its storage. */
function leaderWithOneProposal(): MemoryStorage {
  const { rn, storage } = singleNode();
  handle(rn, storage);
  rn.campaign();
  handle(rn, storage);
  rn.propose(enc("x"));
  handle(rn, storage);
  return storage;
}

/** A single voter (ID 1) restarted on `storage` with the given applied index. */
function restartAt(storage: MemoryStorage, applied: number): RawNode {
  return new RawNode({ id: 1n, electionTick: 10, heartbeatTick: 1, storage, applied, random: testRandom() });
}

describe("RawNode", () => {
  test("rawnode - config is validated like etcd's", () => {
    const storage = new MemoryStorage();
    const base = { id: 1n, electionTick: 10, heartbeatTick: 1, storage, random: testRandom() };
    assert.throws(
      () => new RawNode({ ...base, id: 0n }),
      (e) => e instanceof ErrInvalidConfig && /none as id/.test(e.message),
    );
    assert.throws(() => new RawNode({ ...base, heartbeatTick: 0 }), /heartbeat tick must be greater than 0/);
    assert.throws(
      () => new RawNode({ ...base, electionTick: 1 }),
      /election tick must be greater than heartbeat tick/,
    );
    assert.throws(() => new RawNode({ ...base, maxInflightMsgs: 0 }), /max inflight messages/);
    assert.throws(() => new RawNode({ ...base, readOnlyOption: 1 }), /CheckQuorum must be enabled/);
  });

  test("rawnode - a bootstrapped single voter elects itself and commits a proposal in the Ready that carries it", () => {
    const { rn, storage } = singleNode();
    const first = handle(rn, storage);
    assert.equal(first.committedEntries.length, 1);
    assert.equal(first.committedEntries[0]!.type, EntryType.EntryConfChange);
    assert.equal(first.hardState?.commit, 1);
    rn.campaign();
    const elected = handle(rn, storage);
    assert.equal(elected.softState?.raftState, StateType.StateLeader);
    assert.equal(elected.hardState?.term, 2);
    rn.propose(enc("a"));
    rn.propose(enc("b"));
    assert.equal(rn.hasReady(), true);
    const rd = handle(rn, storage);
    assert.deepEqual(
      rd.entries.map((e) => dec(e.data)),
      ["a", "b"],
    );
    assert.deepEqual(
      rd.committedEntries.map((e) => dec(e.data)),
      ["a", "b"],
    );
    assert.equal(rd.hardState?.commit, 4);
    assert.equal(rd.mustSync, true);
    assert.equal(rd.messages.length, 0);
    assert.equal(rn.hasReady(), false);
    assert.equal(storage.lastIndex(), 4);
  });

  test("rawnode - restarting from storage resumes term, vote, log and applied index", () => {
    const storage = leaderWithOneProposal();
    const restarted = restartAt(storage, 3);
    const st = restarted.status();
    assert.equal(st.hardState.term, 2);
    assert.equal(st.hardState.vote, 1n);
    assert.equal(st.hardState.commit, 3);
    assert.equal(st.applied, 3);
    assert.equal(restarted.hasReady(), false);
  });

  test("rawnode - a restart whose durable commit lags the applied index catches commit up", () => {
    const storage = leaderWithOneProposal();
    storage.setHardState({ ...storage.initialState().hardState, commit: 1 });
    const restarted = restartAt(storage, 3);
    assert.equal(restarted.status().hardState.commit, 3);
    assert.throws(
      () =>
        new RawNode({
          id: 1n,
          electionTick: 10,
          heartbeatTick: 1,
          storage,
          applied: 9,
          random: testRandom(),
        }),
      /beyond the last index/,
    );
  });

  test("rawnode - proposals without a leader are dropped with ErrProposalDropped", () => {
    const storage = new MemoryStorage();
    storage.setConfState({
      voters: [1n, 2n],
      learners: [],
      votersOutgoing: [],
      learnersNext: [],
      autoLeave: false,
    });
    const rn = new RawNode({ id: 1n, electionTick: 10, heartbeatTick: 1, storage, random: testRandom() });
    assert.throws(() => rn.propose(enc("x")), ErrProposalDropped);
  });

  test("rawnode - step refuses local messages and responses from unknown peers", () => {
    const { rn } = singleNode();
    assert.throws(() => rn.step(message({ type: MessageType.MsgHup })), ErrStepLocalMsg);
    assert.throws(
      () => rn.step(message({ type: MessageType.MsgAppResp, from: 9n, term: 1 })),
      ErrStepPeerNotFound,
    );
  });

  test("rawnode - ready before advance is refused", () => {
    const { rn } = singleNode();
    rn.ready();
    assert.throws(() => rn.ready(), /before advance/);
  });

  test("rawnode - three voters elect a leader and replicate a proposal to all", () => {
    const env = new InteractionEnv();
    env.addNodes(3, { voters: [1n, 2n, 3n], index: 2 });
    env.campaign(1);
    env.stabilize();
    assert.equal(env.node(1).rawNode.raft.state, StateType.StateLeader);
    assert.equal(env.node(2).rawNode.raft.lead, 1n);
    env.propose(1, "hello");
    env.stabilize();
    for (const n of env.nodes) {
      assert.deepEqual(
        n.applied.map((e) => dec(e.data)),
        ["hello"],
      );
      assert.equal(n.rawNode.raft.raftLog.committed, 4);
    }
    // A follower forwards proposals to the leader.
    env.propose(3, "from3");
    env.stabilize();
    assert.deepEqual(
      env.node(2).applied.map((e) => dec(e.data)),
      ["hello", "from3"],
    );
  });

  test("rawnode - messages of a Ready are to be sent only after its hard state and entries", () => {
    const env = new InteractionEnv();
    env.addNodes(3, { voters: [1n, 2n, 3n], index: 2 });
    env.campaign(1);
    const rd = env.node(1).rawNode.ready();
    // The vote request goes out in the same Ready that records the vote for ourselves.
    assert.equal(rd.hardState?.vote, 1n);
    assert.equal(rd.mustSync, true);
    assert.ok(rd.messages.every((m) => m.type === MessageType.MsgVote));
  });

  test("rawnode - a snapshot arriving while the last Ready's entries are being applied is deferred", () => {
    const env = new InteractionEnv();
    env.level = 4; // quiet
    env.addNodes(2, { voters: [1n, 2n], index: 2 });
    env.campaign(1);
    env.stabilize();
    env.propose(1, "x");
    env.processReady(1); // MsgApp with x
    env.deliverMsgs(2n);
    env.processReady(2); // persisted; the ack goes out
    env.deliverMsgs(1n); // x commits on the leader
    env.processReady(1); // which tells the follower
    env.deliverMsgs(2n);
    const follower = env.node(2).rawNode;
    const rd = follower.ready(); // carries committed entries, not yet applied
    assert.ok(rd.committedEntries.length > 0);
    const snap = {
      data: new Uint8Array(0),
      metadata: {
        index: 20,
        term: 1,
        confState: { voters: [1n, 2n], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false },
      },
    };
    follower.step(
      message({ type: MessageType.MsgSnap, from: 1n, to: 2n, term: follower.raft.term, snapshot: snap }),
    );
    assert.equal(follower.raft.raftLog.hasPendingSnapshot(), false, "deferred");
    follower.advance();
    follower.step(
      message({ type: MessageType.MsgSnap, from: 1n, to: 2n, term: follower.raft.term, snapshot: snap }),
    );
    assert.equal(follower.raft.raftLog.hasPendingSnapshot(), true, "taken once the entries are applied");
  });

  test("rawnode - restarting with an applied index below the snapshot is refused", () => {
    const storage = new MemoryStorage();
    storage.applySnapshot({
      data: new Uint8Array(0),
      metadata: {
        index: 10,
        term: 2,
        confState: { voters: [1n], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false },
      },
    });
    assert.throws(() => restartAt(storage, 5), /restore the state machine from the snapshot first/);
  });
});
