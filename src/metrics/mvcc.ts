// etcd_mvcc_* and etcd_debugging_mvcc_*: etcd 3.4's key-value store metrics. 3.4 keeps
// range/put/delete/txn under both names; one handle moves both.
import { CounterPair, counter, exponentialBuckets, GaugeFunc, gauge, histogram } from "./define.js";

export const mvccMetrics = {
  range: new CounterPair(
    ["etcd_mvcc_range_total", "etcd_debugging_mvcc_range_total"],
    "Total number of ranges seen by this member.",
  ),
  put: new CounterPair(
    ["etcd_mvcc_put_total", "etcd_debugging_mvcc_put_total"],
    "Total number of puts seen by this member.",
  ),
  delete: new CounterPair(
    ["etcd_mvcc_delete_total", "etcd_debugging_mvcc_delete_total"],
    "Total number of deletes seen by this member.",
  ),
  txn: new CounterPair(
    ["etcd_mvcc_txn_total", "etcd_debugging_mvcc_txn_total"],
    "Total number of txns seen by this member.",
  ),
  keys: gauge("etcd_debugging_mvcc_keys_total", "Total number of keys."),
  watchStreams: gauge("etcd_debugging_mvcc_watch_stream_total", "Total number of watch streams."),
  watchers: gauge("etcd_debugging_mvcc_watcher_total", "Total number of watchers."),
  slowWatchers: gauge("etcd_debugging_mvcc_slow_watcher_total", "Total number of unsynced slow watchers."),
  events: counter("etcd_debugging_mvcc_events_total", "Total number of events sent by this member."),
  pendingEvents: gauge(
    "etcd_debugging_mvcc_pending_events_total",
    "Total number of pending events to be sent.",
  ),
  indexCompactionPauseMs: histogram(
    "etcd_debugging_mvcc_index_compaction_pause_duration_milliseconds",
    "Bucketed histogram of index compaction pause duration.",
    exponentialBuckets(0.5, 2, 14),
  ),
  dbCompactionPauseMs: histogram(
    "etcd_debugging_mvcc_db_compaction_pause_duration_milliseconds",
    "Bucketed histogram of db compaction pause duration.",
    exponentialBuckets(1, 2, 13),
  ),
  dbCompactionTotalMs: histogram(
    "etcd_debugging_mvcc_db_compaction_total_duration_milliseconds",
    "Bucketed histogram of db compaction total duration.",
    exponentialBuckets(100, 2, 14),
  ),
  dbCompactionKeys: counter(
    "etcd_debugging_mvcc_db_compaction_keys_total",
    "Total number of db keys compacted.",
  ),
  /** Report the backend's physical size once: `dbTotalSizeInBytes.report(() => size)`. */
  dbTotalSizeInBytes: new GaugeFunc(
    ["etcd_mvcc_db_total_size_in_bytes", "etcd_debugging_mvcc_db_total_size_in_bytes"],
    "Total size of the underlying database physically allocated in bytes.",
  ),
  dbTotalSizeInUseInBytes: new GaugeFunc(
    ["etcd_mvcc_db_total_size_in_use_in_bytes"],
    "Total size of the underlying database logically in use in bytes.",
  ),
  dbOpenReadTransactions: new GaugeFunc(
    ["etcd_mvcc_db_open_read_transactions"],
    "The number of currently open read transactions",
  ),
  hashSeconds: histogram(
    "etcd_mvcc_hash_duration_seconds",
    "The latency distribution of storage hash operation.",
    exponentialBuckets(0.01, 2, 15),
  ),
  hashRevSeconds: histogram(
    "etcd_mvcc_hash_rev_duration_seconds",
    "The latency distribution of storage hash by revision operation.",
    exponentialBuckets(0.01, 2, 15),
  ),
  currentRevision: new GaugeFunc(["etcd_debugging_mvcc_current_revision"], "The current revision of store."),
  compactRevision: new GaugeFunc(
    ["etcd_debugging_mvcc_compact_revision"],
    "The revision of the last compaction in store.",
  ),
  totalPutSizeInBytes: gauge(
    "etcd_debugging_mvcc_total_put_size_in_bytes",
    "The total size of put kv pairs seen by this member.",
  ),
};
