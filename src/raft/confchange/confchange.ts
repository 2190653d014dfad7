// Applies configuration changes to a tracker's configuration, refusing the ones etcd's
// raft refuses. Works on copies: the caller installs the result only if it is valid.
import { ErrInvalidConfChange } from "../errors.js";
import { cloneTrackerConfig, Progress, type ProgressMap, type TrackerConfig } from "../tracker/index.js";
import { type ConfChangeSingle, ConfChangeType, type NodeId } from "../types.js";

export interface ChangerInput {
  config: TrackerConfig;
  progress: ProgressMap;
  maxInflight: number;
}

export interface ChangeResult {
  config: TrackerConfig;
  progress: ProgressMap;
}

const typeNames: Record<ConfChangeType, string> = {
  [ConfChangeType.ConfChangeAddNode]: "ConfChangeAddNode",
  [ConfChangeType.ConfChangeRemoveNode]: "ConfChangeRemoveNode",
  [ConfChangeType.ConfChangeUpdateNode]: "ConfChangeUpdateNode",
  [ConfChangeType.ConfChangeAddLearnerNode]: "ConfChangeAddLearnerNode",
};

export function describeChanges(ccs: readonly ConfChangeSingle[]): string {
  return ccs.map((c) => `${typeNames[c.type]}(${c.nodeId})`).join(" ");
}

/** Turns a configuration plus changes into a new configuration, or throws ErrInvalidConfChange. */
export class Changer {
  constructor(
    private readonly tracker: ChangerInput,
    /** The log's last index: where a new member's progress starts probing. */
    private readonly lastIndex: number,
  ) {}

  /**
   * Enters the joint configuration (old voters && new voters) in which `ccs` applies to
   * the incoming half. `autoLeave` lets raft leave it once committed.
   */
  enterJoint(autoLeave: boolean, ccs: readonly ConfChangeSingle[]): ChangeResult {
    const { config, progress } = this.checkAndCopy();
    if (config.voters.outgoing.size > 0) throw new ErrInvalidConfChange("config is already joint");
    if (config.voters.incoming.size === 0)
      throw new ErrInvalidConfChange("can't make a zero-voter config joint");
    config.voters.outgoing = new Set(config.voters.incoming);
    this.apply(config, progress, ccs);
    config.autoLeave = autoLeave;
    return checkAndReturn(config, progress);
  }

  /** Leaves the joint configuration: the outgoing half goes, learnersNext become learners. */
  leaveJoint(): ChangeResult {
    const { config, progress } = this.checkAndCopy();
    if (config.voters.outgoing.size === 0) throw new ErrInvalidConfChange("can't leave a non-joint config");
    for (const id of config.learnersNext) {
      config.learners.add(id);
      progress.get(id)!.isLearner = true;
    }
    config.learnersNext = new Set();
    for (const id of config.voters.outgoing) {
      if (!config.voters.incoming.has(id) && !config.learners.has(id)) progress.delete(id);
    }
    config.voters.outgoing = new Set();
    config.autoLeave = false;
    return checkAndReturn(config, progress);
  }

  /**
   * Applies changes that alter at most one voter without joint consensus (any number of
   * learner changes is fine: learners do not count towards quorums).
   */
  simple(ccs: readonly ConfChangeSingle[]): ChangeResult {
    const { config, progress } = this.checkAndCopy();
    if (config.voters.outgoing.size > 0) {
      throw new ErrInvalidConfChange("can't apply simple config change in joint config");
    }
    this.apply(config, progress, ccs);
    if (symdiff(this.tracker.config.voters.incoming, config.voters.incoming) > 1) {
      throw new ErrInvalidConfChange("more than one voter changed without entering joint config");
    }
    return checkAndReturn(config, progress);
  }

  private apply(config: TrackerConfig, progress: ProgressMap, ccs: readonly ConfChangeSingle[]): void {
    for (const cc of ccs) {
      if (cc.nodeId === 0n) continue; // etcd replaces refused changes by zero-ID ones
      switch (cc.type) {
        case ConfChangeType.ConfChangeAddNode:
          this.makeVoter(config, progress, cc.nodeId);
          break;
        case ConfChangeType.ConfChangeAddLearnerNode:
          this.makeLearner(config, progress, cc.nodeId);
          break;
        case ConfChangeType.ConfChangeRemoveNode:
          remove(config, progress, cc.nodeId);
          break;
        case ConfChangeType.ConfChangeUpdateNode:
          break;
        default:
          throw new ErrInvalidConfChange(`unexpected conf type ${String(cc.type)}`);
      }
    }
    if (config.voters.incoming.size === 0) throw new ErrInvalidConfChange("removed all voters");
  }

  private makeVoter(config: TrackerConfig, progress: ProgressMap, id: NodeId): void {
    const pr = progress.get(id);
    if (pr === undefined) {
      this.initProgress(config, progress, id, false);
      return;
    }
    pr.isLearner = false;
    config.learners.delete(id);
    config.learnersNext.delete(id);
    config.voters.incoming.add(id);
  }

  // Demoting a voter of the outgoing half waits in learnersNext: a node cannot be a
  // voter and a learner at once, and the outgoing half still needs its vote.
  private makeLearner(config: TrackerConfig, progress: ProgressMap, id: NodeId): void {
    const pr = progress.get(id);
    if (pr === undefined) {
      this.initProgress(config, progress, id, true);
      return;
    }
    if (pr.isLearner) return;
    remove(config, progress, id);
    progress.set(id, pr); // remove() may have dropped it; the progress carries on
    if (config.voters.outgoing.has(id)) {
      config.learnersNext.add(id);
    } else {
      pr.isLearner = true;
      config.learners.add(id);
    }
  }

  private initProgress(config: TrackerConfig, progress: ProgressMap, id: NodeId, isLearner: boolean): void {
    if (isLearner) config.learners.add(id);
    else config.voters.incoming.add(id);
    // Probe from the last index: a new member most likely has nothing and will need a
    // snapshot, which the probe finds out quickly.
    const pr = new Progress(Math.max(this.lastIndex, 1), 0, this.tracker.maxInflight, isLearner);
    // Counting it active avoids a leader stepping down (CheckQuorum) right after adding it.
    pr.recentActive = true;
    progress.set(id, pr);
  }

  private checkAndCopy(): ChangeResult {
    const config = cloneTrackerConfig(this.tracker.config);
    const progress: ProgressMap = new Map();
    for (const [id, pr] of this.tracker.progress) progress.set(id, pr.clone());
    return checkAndReturn(config, progress);
  }
}

function remove(config: TrackerConfig, progress: ProgressMap, id: NodeId): void {
  if (!progress.has(id)) return;
  config.voters.incoming.delete(id);
  config.learners.delete(id);
  config.learnersNext.delete(id);
  // A voter of the outgoing half keeps its progress until the joint config is left.
  if (!config.voters.outgoing.has(id)) progress.delete(id);
}

function symdiff(a: ReadonlySet<NodeId>, b: ReadonlySet<NodeId>): number {
  let n = 0;
  for (const id of a) if (!b.has(id)) n++;
  for (const id of b) if (!a.has(id)) n++;
  return n;
}

/** The invariants every configuration satisfies; a violation is refused, not installed. */
export function checkInvariants(config: TrackerConfig, progress: ProgressMap): void {
  const fail = (msg: string): never => {
    throw new ErrInvalidConfChange(msg);
  };
  for (const set of [config.voters.incoming, config.voters.outgoing, config.learners, config.learnersNext]) {
    for (const id of set) if (!progress.has(id)) fail(`no progress for ${id}`);
  }
  for (const id of config.learnersNext) {
    if (!config.voters.outgoing.has(id)) fail(`${id} is in LearnersNext, but not Voters[1]`);
    if (progress.get(id)!.isLearner) fail(`${id} is in LearnersNext, but is already marked as learner`);
  }
  for (const id of config.learners) {
    if (config.voters.outgoing.has(id)) fail(`${id} is in Learners and Voters[1]`);
    if (config.voters.incoming.has(id)) fail(`${id} is in Learners and Voters[0]`);
    if (!progress.get(id)!.isLearner) fail(`${id} is in Learners, but is not marked as learner`);
  }
  for (const [id, pr] of progress) {
    const known = config.voters.incoming.has(id) || config.voters.outgoing.has(id) || config.learners.has(id);
    if (!known) fail(`progress for ${id} but it is not a member`);
    if (pr.isLearner && !config.learners.has(id)) fail(`${id} is marked as learner but is not in Learners`);
  }
  if (config.voters.outgoing.size === 0) {
    if (config.learnersNext.size > 0) fail("LearnersNext must be empty when not joint");
    if (config.autoLeave) fail("AutoLeave must be false when not joint");
  }
}

function checkAndReturn(config: TrackerConfig, progress: ProgressMap): ChangeResult {
  checkInvariants(config, progress);
  return { config, progress };
}
