import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  COMMIT_ALL,
  type JointConfig,
  jointCommittedIndex,
  jointVoteResult,
  majorityCommittedIndex,
  majorityVoteResult,
  VoteResult,
} from "./index.js";

// Naive versions, written from the definitions rather than for speed.

/** The largest index that at least a majority of voters have acked (unknown = 0). */
function naiveCommitted(voters: ReadonlySet<bigint>, acked: ReadonlyMap<bigint, number>): number {
  if (voters.size === 0) return COMMIT_ALL;
  const candidates = [0, ...[...voters].map((id) => acked.get(id) ?? 0)];
  let best = 0;
  for (const idx of candidates) {
    let have = 0;
    for (const id of voters) if ((acked.get(id) ?? 0) >= idx) have++;
    if (have > voters.size / 2 && idx > best) best = idx;
  }
  return best;
}

/** Won if a majority said yes, lost if a majority can no longer say yes, else pending. */
function naiveVote(voters: ReadonlySet<bigint>, votes: ReadonlyMap<bigint, boolean>): VoteResult {
  if (voters.size === 0) return VoteResult.VoteWon;
  let yes = 0;
  let no = 0;
  for (const id of voters) {
    const v = votes.get(id);
    if (v === true) yes++;
    if (v === false) no++;
  }
  if (yes > voters.size / 2) return VoteResult.VoteWon;
  if (voters.size - no <= voters.size / 2) return VoteResult.VoteLost;
  return VoteResult.VotePending;
}

const idSet = fc.uniqueArray(fc.bigInt({ min: 1n, max: 9n }), { maxLength: 7 }).map((a) => new Set(a));
const ackMap = fc
  .array(fc.tuple(fc.bigInt({ min: 1n, max: 9n }), fc.integer({ min: 0, max: 20 })), { maxLength: 9 })
  .map((a) => new Map(a));
const voteMap = fc
  .array(fc.tuple(fc.bigInt({ min: 1n, max: 9n }), fc.boolean()), { maxLength: 9 })
  .map((a) => new Map(a));

describe("quorum", () => {
  test("quorum - majority committed index matches the naive definition", () => {
    fc.assert(
      fc.property(idSet, ackMap, (voters, acked) => {
        assert.equal(
          majorityCommittedIndex(voters, (id) => acked.get(id)),
          naiveCommitted(voters, acked),
        );
      }),
      { numRuns: 2000 },
    );
  });

  test("quorum - majority vote result matches the naive definition", () => {
    fc.assert(
      fc.property(idSet, voteMap, (voters, votes) => {
        assert.equal(majorityVoteResult(voters, votes), naiveVote(voters, votes));
      }),
      { numRuns: 2000 },
    );
  });

  test("quorum - a joint config commits the minimum of its halves and needs both halves to win", () => {
    fc.assert(
      fc.property(idSet, idSet, ackMap, voteMap, (incoming, outgoing, acked, votes) => {
        const cfg: JointConfig = { incoming, outgoing };
        const c = jointCommittedIndex(cfg, (id) => acked.get(id));
        assert.equal(c, Math.min(naiveCommitted(incoming, acked), naiveCommitted(outgoing, acked)));
        const a = naiveVote(incoming, votes);
        const b = naiveVote(outgoing, votes);
        const want =
          a === VoteResult.VoteLost || b === VoteResult.VoteLost
            ? VoteResult.VoteLost
            : a === VoteResult.VoteWon && b === VoteResult.VoteWon
              ? VoteResult.VoteWon
              : VoteResult.VotePending;
        assert.equal(jointVoteResult(cfg, votes), want);
      }),
      { numRuns: 2000 },
    );
  });

  test("quorum - a joint config with an empty outgoing half behaves as its incoming half", () => {
    fc.assert(
      fc.property(idSet, ackMap, voteMap, (voters, acked, votes) => {
        const cfg: JointConfig = { incoming: voters, outgoing: new Set() };
        assert.equal(
          jointCommittedIndex(cfg, (id) => acked.get(id)),
          majorityCommittedIndex(voters, (id) => acked.get(id)),
        );
        assert.equal(jointVoteResult(cfg, votes), majorityVoteResult(voters, votes));
      }),
    );
  });

  test("quorum - examples from etcd's majority_commit table", () => {
    const cfg = new Set([1n, 2n, 3n]);
    const idx = (m: Record<string, number>) => (id: bigint) => m[String(id)];
    assert.equal(majorityCommittedIndex(cfg, idx({ 1: 100, 2: 101, 3: 99 })), 100);
    assert.equal(majorityCommittedIndex(cfg, idx({ 1: 100 })), 0);
    assert.equal(majorityCommittedIndex(cfg, idx({ 1: 100, 2: 101 })), 100);
    assert.equal(majorityCommittedIndex(new Set([1n, 2n, 3n, 4n]), idx({ 1: 5, 2: 5, 3: 3, 4: 3 })), 3);
    assert.equal(majorityCommittedIndex(new Set(), idx({})), COMMIT_ALL);
  });
});
