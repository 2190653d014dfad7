// The leader's (and candidate's) view of the group: the active configuration, each
// member's Progress, and the votes of the current election.
import { describeJoint, jointCommittedIndex, jointVoteResult, VoteResult } from "../quorum/index.js";
import { type ConfState, compareIds, type NodeId } from "../types.js";
import type { Progress } from "./progress.js";

/** A configuration. Voters in `voters.outgoing` only while joint. */
export interface TrackerConfig {
  voters: { incoming: Set<NodeId>; outgoing: Set<NodeId> };
  /** While joint: leave the joint config automatically once it is committed. */
  autoLeave: boolean;
  /** Learners; never also voters (of either half). */
  learners: Set<NodeId>;
  /**
   * Voters of the outgoing half that become learners when the joint config is left
   * (a voter cannot be a learner at the same time, so the demotion waits).
   */
  learnersNext: Set<NodeId>;
}

export function emptyTrackerConfig(): TrackerConfig {
  return {
    voters: { incoming: new Set(), outgoing: new Set() },
    autoLeave: false,
    learners: new Set(),
    learnersNext: new Set(),
  };
}

export function cloneTrackerConfig(c: TrackerConfig): TrackerConfig {
  return {
    voters: { incoming: new Set(c.voters.incoming), outgoing: new Set(c.voters.outgoing) },
    autoLeave: c.autoLeave,
    learners: new Set(c.learners),
    learnersNext: new Set(c.learnersNext),
  };
}

function sorted(ids: Iterable<NodeId>): NodeId[] {
  return [...ids].sort(compareIds);
}

export function describeTrackerConfig(c: TrackerConfig): string {
  let s = `voters=${describeJoint(c.voters)}`;
  if (c.learners.size > 0) s += ` learners=(${sorted(c.learners).join(" ")})`;
  if (c.learnersNext.size > 0) s += ` learners_next=(${sorted(c.learnersNext).join(" ")})`;
  if (c.autoLeave) s += " autoleave";
  return s;
}

export function trackerConfigToConfState(c: TrackerConfig): ConfState {
  return {
    voters: sorted(c.voters.incoming),
    learners: sorted(c.learners),
    votersOutgoing: sorted(c.voters.outgoing),
    learnersNext: sorted(c.learnersNext),
    autoLeave: c.autoLeave,
  };
}

export type ProgressMap = Map<NodeId, Progress>;

export class ProgressTracker {
  config: TrackerConfig = emptyTrackerConfig();
  /** Every voter and learner has one; nobody else does. */
  progress: ProgressMap = new Map();
  votes = new Map<NodeId, boolean>();
  private ids: NodeId[] = [];
  private readonly acked = (id: NodeId): number | undefined => this.progress.get(id)?.match;

  constructor(readonly maxInflight: number) {}

  /** Installs a configuration and its progress map (from confchange). */
  setConfig(config: TrackerConfig, progress: ProgressMap): void {
    this.config = config;
    this.progress = progress;
    this.ids = sorted(progress.keys());
  }

  confState(): ConfState {
    return trackerConfigToConfState(this.config);
  }

  /** Exactly one voter and not joint: that voter decides alone. */
  isSingleton(): boolean {
    return this.config.voters.incoming.size === 1 && this.config.voters.outgoing.size === 0;
  }

  isJoint(): boolean {
    return this.config.voters.outgoing.size > 0;
  }

  /** The largest index a quorum has in its log. */
  committed(): number {
    return jointCommittedIndex(this.config.voters, this.acked);
  }

  /** Calls fn for every member in ascending ID order (determinism matters). */
  visit(fn: (id: NodeId, pr: Progress) => void): void {
    for (const id of this.ids) fn(id, this.progress.get(id)!);
  }

  /** Sorted IDs of everyone tracked. */
  memberIds(): readonly NodeId[] {
    return this.ids;
  }

  /** Whether a quorum was recently active (CheckQuorum). */
  quorumActive(): boolean {
    const votes = new Map<NodeId, boolean>();
    for (const [id, pr] of this.progress) {
      if (!pr.isLearner) votes.set(id, pr.recentActive);
    }
    return jointVoteResult(this.config.voters, votes) === VoteResult.VoteWon;
  }

  voterNodes(): NodeId[] {
    const s = new Set(this.config.voters.incoming);
    for (const id of this.config.voters.outgoing) s.add(id);
    return sorted(s);
  }

  learnerNodes(): NodeId[] {
    return sorted(this.config.learners);
  }

  resetVotes(): void {
    this.votes.clear();
  }

  /** Records the first vote of `id` in this election; later ones are ignored. */
  recordVote(id: NodeId, granted: boolean): void {
    if (!this.votes.has(id)) this.votes.set(id, granted);
  }

  /** The result of a vote by the current configuration given `votes`. */
  voteResult(votes: ReadonlyMap<NodeId, boolean>): VoteResult {
    return jointVoteResult(this.config.voters, votes);
  }

  tallyVotes(): { granted: number; rejected: number; result: VoteResult } {
    let granted = 0;
    let rejected = 0;
    for (const [id, pr] of this.progress) {
      if (pr.isLearner) continue;
      const v = this.votes.get(id);
      if (v === undefined) continue;
      if (v) granted++;
      else rejected++;
    }
    return { granted, rejected, result: jointVoteResult(this.config.voters, this.votes) };
  }
}
