// Majority and joint quorums: which index is committed and who won a vote. Pure functions
// over sets of voter IDs; raft's tracker feeds them.
import type { NodeId } from "../types.js";

export enum VoteResult {
  /** Not enough votes either way yet. */
  VotePending = 1,
  /** A quorum rejected. */
  VoteLost = 2,
  /** A quorum granted. */
  VoteWon = 3,
}

/** The highest log index known to be on `id`, or undefined if unknown. */
export type AckedIndexer = (id: NodeId) => number | undefined;

/** A set of voters deciding by simple majority. */
export type MajorityConfig = ReadonlySet<NodeId>;

/**
 * The configuration voting: `incoming` always, `outgoing` too while joint (empty
 * otherwise). Decisions need a majority of each.
 */
export interface JointConfig {
  incoming: MajorityConfig;
  outgoing: MajorityConfig;
}

/** An empty config commits everything, so that a joint config with one empty half reduces to the other. */
export const COMMIT_ALL = Number.MAX_SAFE_INTEGER;

// Reused scratch space: committedIndex runs on every append response.
let scratch: number[] = [];

/**
 * The largest index acknowledged by a majority of `config`: sort the acked indexes
 * descending and take the one at the quorum position. Unknown voters count as 0.
 */
export function majorityCommittedIndex(config: MajorityConfig, acked: AckedIndexer): number {
  const n = config.size;
  if (n === 0) return COMMIT_ALL;
  if (scratch.length < n) scratch = new Array<number>(n);
  let k = 0;
  for (const id of config) {
    const idx = acked(id) ?? 0;
    // insertion sort, descending: n is small (typically 3 or 5)
    let j = k;
    while (j > 0 && scratch[j - 1]! < idx) {
      scratch[j] = scratch[j - 1]!;
      j--;
    }
    scratch[j] = idx;
    k++;
  }
  return scratch[Math.floor(n / 2)]!;
}

/** The result of a vote by `config` given the votes cast so far (absent = not yet voted). */
export function majorityVoteResult(config: MajorityConfig, votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  if (config.size === 0) return VoteResult.VoteWon; // by convention, as for COMMIT_ALL
  let yes = 0;
  let missing = 0;
  for (const id of config) {
    const v = votes.get(id);
    if (v === undefined) missing++;
    else if (v) yes++;
  }
  const q = Math.floor(config.size / 2) + 1;
  if (yes >= q) return VoteResult.VoteWon;
  if (yes + missing >= q) return VoteResult.VotePending;
  return VoteResult.VoteLost;
}

export function jointCommittedIndex(config: JointConfig, acked: AckedIndexer): number {
  const a = majorityCommittedIndex(config.incoming, acked);
  const b = majorityCommittedIndex(config.outgoing, acked);
  return Math.min(a, b);
}

export function jointVoteResult(config: JointConfig, votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  const a = majorityVoteResult(config.incoming, votes);
  const b = majorityVoteResult(config.outgoing, votes);
  if (a === b) return a; // both won, both lost, or both pending
  if (a === VoteResult.VoteLost || b === VoteResult.VoteLost) return VoteResult.VoteLost;
  return VoteResult.VotePending; // one won, the other pending
}

/** All voters of either half, ascending. */
export function jointIds(config: JointConfig): NodeId[] {
  const s = new Set<NodeId>(config.incoming);
  for (const id of config.outgoing) s.add(id);
  return [...s].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function describeMajority(config: MajorityConfig): string {
  return `(${[...config].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join(" ")})`;
}

export function describeJoint(config: JointConfig): string {
  const s = describeMajority(config.incoming);
  return config.outgoing.size > 0 ? `${s}&&${describeMajority(config.outgoing)}` : s;
}
