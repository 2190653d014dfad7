// Flow control: the inflight window, message size limits, and the uncommitted-size limit.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ErrProposalDropped } from "./errors.js";
import { electAndCommitEmpty, proposeTo } from "./testing/helpers.js";
import { ids, newTestRaft, newTestStorage } from "./testing/network.js";
import { ProgressState } from "./tracker/index.js";
import { MessageType, message } from "./types.js";
import { entrySize } from "./util.js";

describe("flow control", () => {
  test("flow - a replicating follower gets at most MaxInflightMsgs appends until it acknowledges", () => {
    const r = newTestRaft(1, 10, 1, newTestStorage(ids(1, 2)), (c) => {
      c.maxInflightMsgs = 3;
      c.maxSizePerMsg = 0;
    });
    electAndCommitEmpty(r);
    const pr = r.prs.progress.get(2n)!;
    assert.equal(pr.state, ProgressState.StateReplicate);
    for (let i = 0; i < 10; i++) proposeTo(r, `p${i}`);
    const sent = r.readMessages().filter((m) => m.type === MessageType.MsgApp);
    assert.equal(sent.length, 3, "the window is full after three");
    assert.equal(pr.isPaused(), true);
    // Acknowledging the first frees one slot: exactly one more message goes out.
    r.step(
      message({ type: MessageType.MsgAppResp, from: 2n, to: 1n, term: r.term, index: sent[0]!.index + 1 }),
    );
    const more = r.readMessages().filter((m) => m.type === MessageType.MsgApp && m.entries.length > 0);
    assert.equal(more.length, 1);
  });

  test("flow - a heartbeat response lets one more append through a full window", () => {
    const r = newTestRaft(1, 10, 1, newTestStorage(ids(1, 2)), (c) => {
      c.maxInflightMsgs = 1;
      c.maxSizePerMsg = 0;
    });
    electAndCommitEmpty(r);
    for (let i = 0; i < 3; i++) proposeTo(r, `p${i}`);
    assert.equal(r.readMessages().filter((m) => m.type === MessageType.MsgApp).length, 1);
    r.step(message({ type: MessageType.MsgHeartbeatResp, from: 2n, to: 1n, term: r.term }));
    assert.equal(r.readMessages().filter((m) => m.type === MessageType.MsgApp).length, 1);
  });

  test("flow - MaxSizePerMsg splits entries over several appends (and always sends one)", () => {
    const one = entrySize({ term: 1, index: 3, type: 0, data: new TextEncoder().encode("p0") });
    const r = newTestRaft(1, 10, 1, newTestStorage(ids(1, 2)), (c) => {
      c.maxSizePerMsg = 2 * one;
    });
    r.becomeCandidate();
    r.becomeLeader();
    for (let i = 0; i < 5; i++) proposeTo(r, `p${i}`);
    r.readMessages();
    // The follower acknowledges nothing yet: probing sends one message; let it through.
    r.step(message({ type: MessageType.MsgAppResp, from: 2n, to: 1n, term: r.term, index: 1 }));
    const sizes = r
      .readMessages()
      .filter((m) => m.type === MessageType.MsgApp && m.entries.length > 0)
      .map((m) => m.entries.length);
    assert.ok(sizes.length >= 2 && sizes.every((n) => n <= 2), `batches ${sizes}`);
  });

  test("flow - proposals beyond MaxUncommittedEntriesSize are dropped until entries commit", () => {
    const r = newTestRaft(1, 10, 1, newTestStorage(ids(1, 2, 3)), (c) => {
      c.maxUncommittedEntriesSize = 10;
    });
    electAndCommitEmpty(r);
    proposeTo(r, "0123456789abcdef"); // one proposal always fits, however large
    assert.throws(() => proposeTo(r, "x"), ErrProposalDropped);
    // Commit it: the budget frees up as committed entries are handed out.
    for (const id of [2n, 3n]) {
      r.step(
        message({
          type: MessageType.MsgAppResp,
          from: id,
          to: 1n,
          term: r.term,
          index: r.raftLog.lastIndex(),
        }),
      );
    }
    r.advance(r.raftLog.committed, r.raftLog.nextEnts(), null, 0);
    assert.equal(r.uncommittedSize, 0);
    proposeTo(r, "x");
  });

  test("flow - an unreachable follower drops back from replicate to probe", () => {
    const r = newTestRaft(1, 10, 1, newTestStorage(ids(1, 2)));
    electAndCommitEmpty(r);
    const pr = r.prs.progress.get(2n)!;
    assert.equal(pr.state, ProgressState.StateReplicate);
    r.step(message({ type: MessageType.MsgUnreachable, from: 2n, to: 1n }));
    assert.equal(pr.state, ProgressState.StateProbe);
  });
});
