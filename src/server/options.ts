import type { AutoCompaction } from "./compactor.js";

// What the server needs to run, in its own units. `config/` builds this from etcd's
// flags; embedders build it directly.

import type { Logger } from "../log/index.js";

export type { Logger };

export interface ServerOptions {
  readonly name: string;
  readonly dataDir: string;
  /** Where the WAL lives; default `<dataDir>/member/wal`. */
  readonly walDir?: string;
  /** This member's advertised peer URLs (they determine its member ID). */
  readonly advertisePeerUrls: readonly string[];
  /** This member's advertised client URLs (published to the cluster). */
  readonly advertiseClientUrls: readonly string[];
  /** --initial-cluster as name -> peer URLs. */
  readonly initialCluster: ReadonlyMap<string, readonly string[]>;
  readonly initialClusterToken: string;
  readonly initialClusterState: "new" | "existing";
  readonly heartbeatMs: number;
  readonly electionMs: number;
  /** Raft entries applied between snapshots (etcd's --snapshot-count). */
  readonly snapshotCount: number;
  /** Backend size limit; 0 = etcd's default (2 GiB), negative = none. */
  readonly quotaBackendBytes: number;
  readonly maxRequestBytes: number;
  readonly maxTxnOps: number;
  /** Automatic compaction; absent = off. */
  readonly autoCompaction?: AutoCompaction;
  /** The etcd version this member presents (/version, Status, metrics). */
  readonly etcdVersion: string;
  readonly unsafeNoFsync: boolean;
  /** How often the applied state is committed to disk (etcd's --backend-batch-interval). */
  readonly backendBatchIntervalMs?: number;
  /** ...or after this many apply batches (etcd's --backend-batch-limit counts operations). */
  readonly backendBatchLimit?: number;
  readonly logger: Logger;
}

/** etcd 3.4's defaults for everything but the identity and paths. */
export const DEFAULT_SERVER_OPTIONS = {
  heartbeatMs: 100,
  electionMs: 1000,
  snapshotCount: 100_000,
  quotaBackendBytes: 0,
  maxRequestBytes: 1.5 * 1024 * 1024,
  maxTxnOps: 128,
  unsafeNoFsync: false,
} as const satisfies Partial<ServerOptions>;

export const DEFAULT_QUOTA_BYTES = 2 * 1024 * 1024 * 1024;
