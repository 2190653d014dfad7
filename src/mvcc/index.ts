// The multi-version key-value store and its watches (etcd 3.4's mvcc).
export {
  ErrCompacted,
  ErrEmptyWatcherRange,
  ErrFutureRev,
  ErrKeyTooLarge,
  ErrWatcherDuplicateID,
  ErrWatcherNotExist,
} from "./errors.js";
export type { KeyValue } from "./kv.js";
export { MAX_USER_KEY_BYTES, MVCC_BUCKETS } from "./layout.js";
export type { RangeOptions, RangeResult } from "./read.js";
export {
  type CompactResult,
  type HashKVResult,
  type HashResult,
  type MvccOptions,
  MvccStore,
} from "./store.js";
export type { WatchConsumer, WatchOptions, WatchRequest, WatchResponse, WatchStream } from "./watch.js";
export type { Event, EventType, LeaseHooks, MvccWriteTxn, WriteResult } from "./write-txn.js";
