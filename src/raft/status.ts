// A snapshot of a node's state for monitoring and tests.
import type { Raft, SoftState } from "./raft.js";
import { StateType } from "./raft.js";
import { cloneTrackerConfig, type ProgressState, type TrackerConfig } from "./tracker/index.js";
import type { HardState, NodeId } from "./types.js";

export interface ProgressStatus {
  match: number;
  next: number;
  state: ProgressState;
  pendingSnapshot: number;
  recentActive: boolean;
  probeSent: boolean;
  isLearner: boolean;
  inflight: number;
}

export interface BasicStatus {
  id: NodeId;
  hardState: HardState;
  softState: SoftState;
  applied: number;
  leadTransferee: NodeId;
}

export interface Status extends BasicStatus {
  config: TrackerConfig;
  /** Only on the leader: what it knows of every member. */
  progress: Map<NodeId, ProgressStatus>;
}

export function basicStatusOf(r: Raft): BasicStatus {
  return {
    id: r.id,
    hardState: r.hardState(),
    softState: r.softState(),
    applied: r.raftLog.applied,
    leadTransferee: r.leadTransferee,
  };
}

export function statusOf(r: Raft): Status {
  const progress = new Map<NodeId, ProgressStatus>();
  if (r.state === StateType.StateLeader) {
    r.prs.visit((id, pr) => {
      progress.set(id, {
        match: pr.match,
        next: pr.next,
        state: pr.state,
        pendingSnapshot: pr.pendingSnapshot,
        recentActive: pr.recentActive,
        probeSent: pr.probeSent,
        isLearner: pr.isLearner,
        inflight: pr.inflights.count(),
      });
    });
  }
  return { ...basicStatusOf(r), config: cloneTrackerConfig(r.prs.config), progress };
}
