// The write-ahead log and snapshot files, in etcd 3.4's formats (see README.md).
export { type DumpedRecord, describeEntry, dumpWal, formatEntries, type WalDump } from "./dump.js";
export {
  SnapCorruptError,
  SnapCrcMismatchError,
  SnapEmptyError,
  SnapNoSnapshotError,
  WalCorruptError,
  WalCrcMismatchError,
  WalError,
  WalExistsError,
  WalFailedError,
  WalFileNotFoundError,
  WalLockedError,
  WalMaxEntrySizeError,
  WalMetadataConflictError,
  type WalPosition,
  WalSliceOutOfRangeError,
  WalSnapshotMismatchError,
  WalSnapshotNotFoundError,
  WalUnexpectedEofError,
} from "./errors.js";
export { nodeFs, type OpenMode, type WalFile, type WalFs } from "./fs.js";
export { parseSnapName, parseWalName, snapName, walName } from "./names.js";
export { type RepairResult, repairWal } from "./repair.js";
export {
  decodeRaftSnapshot,
  decodeSnapFile,
  encodeRaftSnapshot,
  encodeSnapFile,
  type RaftSnapshot,
  type SnapConfState,
  Snapshotter,
} from "./snapshotter.js";
export {
  EMPTY_HARD_STATE,
  isEmptyHardState,
  type WalContents,
  type WalEntry,
  type WalHardState,
  type WalSnapshot,
} from "./types.js";
export { validSnapshotEntries, verifyWal } from "./verify.js";
export { SEGMENT_SIZE_BYTES, Wal, type WalOptions } from "./wal.js";
