// etcd_disk_*, etcd_snap_* and their etcd_debugging_ kin: WAL, backend and snapshot timings.
import { exponentialBuckets, gauge, histogram } from "./define.js";

export const diskMetrics = {
  walFsyncSeconds: histogram(
    "etcd_disk_wal_fsync_duration_seconds",
    "The latency distributions of fsync called by WAL.",
    exponentialBuckets(0.001, 2, 14),
  ),
  /** A gauge in etcd despite its name: add the bytes written. */
  walWriteBytes: gauge("etcd_disk_wal_write_bytes_total", "Total number of bytes written in WAL."),
  backendCommitSeconds: histogram(
    "etcd_disk_backend_commit_duration_seconds",
    "The latency distributions of commit called by backend.",
    exponentialBuckets(0.001, 2, 14),
  ),
  backendCommitRebalanceSeconds: histogram(
    "etcd_debugging_disk_backend_commit_rebalance_duration_seconds",
    "The latency distributions of commit.rebalance called by bboltdb backend.",
    exponentialBuckets(0.001, 2, 14),
  ),
  backendCommitSpillSeconds: histogram(
    "etcd_debugging_disk_backend_commit_spill_duration_seconds",
    "The latency distributions of commit.spill called by bboltdb backend.",
    exponentialBuckets(0.001, 2, 14),
  ),
  backendCommitWriteSeconds: histogram(
    "etcd_debugging_disk_backend_commit_write_duration_seconds",
    "The latency distributions of commit.write called by bboltdb backend.",
    exponentialBuckets(0.001, 2, 14),
  ),
  backendDefragSeconds: histogram(
    "etcd_disk_backend_defrag_duration_seconds",
    "The latency distribution of backend defragmentation.",
    exponentialBuckets(0.1, 2, 13),
  ),
  backendSnapshotSeconds: histogram(
    "etcd_disk_backend_snapshot_duration_seconds",
    "The latency distribution of backend snapshots.",
    exponentialBuckets(0.01, 2, 17),
  ),
  defragInflight: gauge(
    "etcd_disk_defrag_inflight",
    "Whether or not defrag is active on the member. 1 means active, 0 means not.",
  ),
  snapSaveMarshallingSeconds: histogram(
    "etcd_debugging_snap_save_marshalling_duration_seconds",
    "The marshalling cost distributions of save called by snapshot.",
    exponentialBuckets(0.001, 2, 14),
  ),
  snapSaveTotalSeconds: histogram(
    "etcd_debugging_snap_save_total_duration_seconds",
    "The total latency distributions of save called by snapshot.",
    exponentialBuckets(0.001, 2, 14),
  ),
  snapFsyncSeconds: histogram(
    "etcd_snap_fsync_duration_seconds",
    "The latency distributions of fsync called by snap.",
    exponentialBuckets(0.001, 2, 14),
  ),
  snapDbSaveTotalSeconds: histogram(
    "etcd_snap_db_save_total_duration_seconds",
    "The total latency distributions of v3 snapshot save",
    exponentialBuckets(0.1, 2, 10),
  ),
  snapDbFsyncSeconds: histogram(
    "etcd_snap_db_fsync_duration_seconds",
    "The latency distributions of fsyncing .snap.db file",
    exponentialBuckets(0.001, 2, 14),
  ),
};
