// The Raft paper, §8 (client interaction): one test per rule.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ErrProposalDropped } from "../errors.js";
import { ReadOnlyOption } from "../read_only.js";
import { brief, dataOf, dec, enc, hup, propose, proposeTo, readIndexOn, take } from "../testing/helpers.js";
import { blackHole, ids, Network, newTestRaft, newTestStorage } from "../testing/network.js";
import { EntryType, MessageType, message } from "../types.js";

function readIndex(nt: Network, id: number, ctx: string): void {
  nt.send(
    message({
      type: MessageType.MsgReadIndex,
      from: BigInt(id),
      to: BigInt(id),
      entries: [{ term: 0, index: 0, type: EntryType.EntryNormal, data: enc(ctx) }],
    }),
  );
}

/** The heartbeat rounds the leader starts for reads happen when messages are collected. */
function flush(nt: Network, id: number): void {
  nt.send(...nt.raft(id).readMessages());
}

describe("§8 client interaction", () => {
  test("§8 - a client's proposal to a follower is forwarded to the leader", () => {
    const nt = new Network([null, null, null]);
    hup(nt, 1);
    propose(nt, 2, "via follower");
    assert.deepEqual(dataOf(nt.raft(1).raftLog.allEntries()), ["via follower"]);
    assert.equal(nt.raft(1).raftLog.committed, 2);
  });

  test("§8 - without a known leader a proposal is dropped, and the client must retry", () => {
    const r = newTestRaft(1, 10, 1, newTestStorage(ids(1, 2, 3)));
    assert.throws(() => proposeTo(r, "x"), ErrProposalDropped);
    r.becomeCandidate();
    assert.throws(() => proposeTo(r, "x"), ErrProposalDropped);
  });

  test("§8 - with forwarding disabled, a follower drops proposals instead", () => {
    const nt = new Network([null, null, null], (c) => {
      c.disableProposalForwarding = true;
    });
    hup(nt, 1);
    assert.throws(() => proposeTo(nt.raft(2), "x"), ErrProposalDropped);
  });

  test("§8 - a new leader commits an entry of its own term first (the no-op), which settles earlier entries", () => {
    const nt = new Network([null, null, null]);
    hup(nt, 1);
    const r = nt.raft(1);
    const first = r.raftLog.allEntries()[0]!;
    assert.equal(first.term, 1);
    assert.equal(first.data.length, 0);
    assert.equal(r.raftLog.committed, 1);
  });

  test("§8 - a read-only request is answered after a heartbeat round confirms leadership (ReadIndex)", () => {
    const nt = new Network([null, null, null]);
    hup(nt, 1);
    propose(nt, 1, "w");
    nt.isolate(2);
    nt.isolate(3);
    readIndex(nt, 1, "r1");
    flush(nt, 1);
    assert.equal(nt.raft(1).readStates.length, 0, "no quorum acknowledged: no answer");
    nt.recover();
    nt.send(message({ type: MessageType.MsgBeat, from: 1n, to: 1n }));
    const [rs] = nt.raft(1).readStates;
    assert.equal(rs?.index, 2);
    assert.equal(dec(rs?.requestCtx ?? new Uint8Array()), "r1");
  });

  test("§8 - reads are not served before the leader has committed an entry of its term", () => {
    const r = newTestRaft(1, 10, 1, newTestStorage(ids(1, 2, 3)));
    r.becomeCandidate();
    r.becomeLeader();
    readIndexOn(r, "early");
    assert.equal(r.pendingReadIndexMessages.length, 1);
    assert.equal(r.readStates.length, 0);
    // Committing the no-op releases it into a heartbeat round.
    r.bcastAppend();
    for (const m of take(r)) {
      r.step(message({ type: MessageType.MsgAppResp, from: m.to, to: 1n, term: r.term, index: 1 }));
    }
    assert.equal(r.pendingReadIndexMessages.length, 0);
    const round = r.readMessages().filter((m) => m.type === MessageType.MsgHeartbeat);
    assert.equal(round.length, 2);
  });

  test("§8 - reads arriving together share one heartbeat round", () => {
    const nt = new Network([null, null, null]);
    hup(nt, 1);
    const lead = nt.raft(1);
    for (const ctx of ["a", "b", "c"]) {
      readIndexOn(lead, ctx);
    }
    const out = lead.readMessages();
    assert.deepEqual(out.map(brief), ["1->2 MsgHeartbeat t1 c1", "1->3 MsgHeartbeat t1 c1"]);
    assert.ok(out.every((m) => dec(m.context) === "c"));
    nt.send(...out);
    assert.deepEqual(
      lead.readStates.map((rs) => dec(rs.requestCtx)),
      ["a", "b", "c"],
    );
  });

  test("§8 - a read sent to a follower is answered with the leader's read index", () => {
    const nt = new Network([null, null, null]);
    hup(nt, 1);
    propose(nt, 1, "w");
    readIndex(nt, 2, "via follower");
    flush(nt, 1);
    const [rs] = nt.raft(2).readStates;
    assert.equal(rs?.index, nt.raft(1).raftLog.committed);
    assert.equal(dec(rs?.requestCtx ?? new Uint8Array()), "via follower");
  });

  test("§8 - with lease-based reads the leader answers at once, trusting its lease (CheckQuorum)", () => {
    const nt = new Network([null, null, blackHole()], (c) => {
      c.checkQuorum = true;
      c.readOnlyOption = ReadOnlyOption.LeaseBased;
    });
    hup(nt, 1);
    nt.isolate(2);
    readIndex(nt, 1, "lease");
    assert.equal(nt.raft(1).readStates[0]?.index, 1);
  });

  test("§8 - a single voter answers reads at once: its commit index is always current", () => {
    const r = newTestRaft(1, 10, 1, newTestStorage(ids(1)));
    r.becomeCandidate();
    r.becomeLeader();
    readIndexOn(r, "solo");
    assert.equal(r.readStates[0]?.index, 1);
  });
});
