// What a raft node is configured with, validated as etcd's raft validates it.
import { ErrInvalidConfig } from "./errors.js";
import { type Logger, silentLogger } from "./logger.js";
import { ReadOnlyOption } from "./read_only.js";
import type { Storage } from "./storage.js";
import { NONE, type NodeId } from "./types.js";
import { NO_LIMIT } from "./util.js";

export interface Config {
  /** This node's ID; never 0. */
  id: NodeId;
  /** Ticks a follower waits without hearing from a leader before campaigning (randomized up to 2x). */
  electionTick: number;
  /** Ticks between a leader's heartbeats; must be below electionTick. */
  heartbeatTick: number;
  /** The stable log and state; raft only reads it. */
  storage: Storage;
  /** The last applied index when restarting (0 for a new node). */
  applied?: number;
  /** Most bytes of entries in one MsgApp (at least one entry is always sent); 0: one entry. Default 1 MiB. */
  maxSizePerMsg?: number;
  /** Most bytes of committed entries in one Ready; default maxSizePerMsg. */
  maxCommittedSizePerReady?: number;
  /** Most bytes of uncommitted proposals a leader holds before dropping more; default no limit. */
  maxUncommittedEntriesSize?: number;
  /** Most MsgApps in flight to one follower in replicate state; default 256. */
  maxInflightMsgs?: number;
  /** A leader steps down if a quorum was not active in the last election timeout. */
  checkQuorum?: boolean;
  /** Campaign in a pre-election first, so a partitioned node cannot disrupt with a higher term. */
  preVote?: boolean;
  readOnlyOption?: ReadOnlyOption;
  /** Followers drop proposals instead of forwarding them to the leader. */
  disableProposalForwarding?: boolean;
  /**
   * A leader removed from (or demoted in) the configuration hands leadership over to the
   * most up-to-date voter and then steps down (otherwise it keeps leading, dropping proposals).
   */
  stepDownOnRemoval?: boolean;
  logger?: Logger;
  /** The only randomness raft uses: a uniform integer in [0, n). */
  random: (n: number) => number;
}

export type ResolvedConfig = Required<Config>;

export const DEFAULT_MAX_SIZE_PER_MSG = 1024 * 1024;

export function validateConfig(c: Config): ResolvedConfig {
  if (c.id === NONE) throw new ErrInvalidConfig("cannot use none as id");
  if (!(c.heartbeatTick > 0)) throw new ErrInvalidConfig("heartbeat tick must be greater than 0");
  if (!(c.electionTick > c.heartbeatTick))
    throw new ErrInvalidConfig("election tick must be greater than heartbeat tick");
  if (c.storage == null) throw new ErrInvalidConfig("storage cannot be nil");
  if (typeof c.random !== "function") throw new ErrInvalidConfig("random source cannot be nil");
  const maxInflightMsgs = c.maxInflightMsgs ?? 256;
  if (!(maxInflightMsgs > 0)) throw new ErrInvalidConfig("max inflight messages must be greater than 0");
  const checkQuorum = c.checkQuorum ?? false;
  const readOnlyOption = c.readOnlyOption ?? ReadOnlyOption.Safe;
  if (readOnlyOption === ReadOnlyOption.LeaseBased && !checkQuorum) {
    throw new ErrInvalidConfig("CheckQuorum must be enabled when ReadOnlyOption is ReadOnlyLeaseBased");
  }
  const maxSizePerMsg = c.maxSizePerMsg ?? DEFAULT_MAX_SIZE_PER_MSG;
  const uncommitted = c.maxUncommittedEntriesSize ?? 0;
  const committedPerReady = c.maxCommittedSizePerReady ?? 0;
  return {
    id: c.id,
    electionTick: c.electionTick,
    heartbeatTick: c.heartbeatTick,
    storage: c.storage,
    applied: c.applied ?? 0,
    maxSizePerMsg,
    maxCommittedSizePerReady: committedPerReady === 0 ? maxSizePerMsg : committedPerReady,
    maxUncommittedEntriesSize: uncommitted === 0 ? NO_LIMIT : uncommitted,
    maxInflightMsgs,
    checkQuorum,
    preVote: c.preVote ?? false,
    readOnlyOption,
    disableProposalForwarding: c.disableProposalForwarding ?? false,
    stepDownOnRemoval: c.stepDownOnRemoval ?? false,
    logger: c.logger ?? silentLogger,
    random: c.random,
  };
}
