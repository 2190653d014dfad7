// The Raft consensus core: a deterministic state machine in the shape of etcd's raft
// library. No I/O, no timers, no randomness of its own. See README.md for the Ready contract.
export * from "./codec.js";
export {
  type AnyConfChange,
  asV2,
  confChangeOfEntry,
  confChangesFromString,
  confChangesToString,
  enterJoint,
  isConfChangeV2,
  leaveJoint,
  marshalConfChange,
} from "./conf_change.js";
export { type Config, DEFAULT_MAX_SIZE_PER_MSG, validateConfig } from "./config.js";
export {
  describeConfState,
  describeEntries,
  describeEntry,
  describeHardState,
  describeMessage,
  describeReady,
  describeSnapshot,
  describeSoftState,
  type EntryFormatter,
} from "./describe.js";
export {
  ErrCompacted,
  ErrInvalidConfChange,
  ErrInvalidConfig,
  ErrProposalDropped,
  ErrSnapOutOfDate,
  ErrSnapshotTemporarilyUnavailable,
  ErrStepLocalMsg,
  ErrStepPeerNotFound,
  ErrUnavailable,
  RaftError,
} from "./errors.js";
export { type Logger, LogLevel, lineLogger, silentLogger } from "./logger.js";
export { messageTypeName, type SoftState, StateType, stateNames } from "./raft.js";
export { type Peer, RawNode, type Ready, type SnapshotStatus } from "./rawnode.js";
export { ReadOnlyOption, type ReadState } from "./read_only.js";
export type { BasicStatus, ProgressStatus, Status } from "./status.js";
export { MemoryStorage, type Storage } from "./storage.js";
export { ProgressState } from "./tracker/index.js";
export * from "./types.js";
export { entrySize, NO_LIMIT, payloadSize } from "./util.js";
