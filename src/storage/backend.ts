// The storage contract: named buckets of ordered binary keys, one atomic synchronous write
// transaction at a time, consistent snapshots for reads. MVCC, leases, auth and the server's
// applied index all live in one Backend so that one transaction covers them all.
import type { Readable } from "node:stream";

/** etcd's bucket names; tetcd's own modules add theirs (see mvcc/). */
export const ETCD_BUCKETS = [
  "key",
  "meta",
  "lease",
  "alarm",
  "members",
  "members_removed",
  "cluster",
  "auth",
  "authUsers",
  "authRoles",
] as const;

/** An ordered scan of one bucket: [start, end) in byte order, or reversed (end exclusive still). */
export interface ScanOptions {
  /** First key (inclusive); omitted means the bucket's first key. */
  start?: Buffer;
  /** Bound (exclusive); omitted means no bound. */
  end?: Buffer;
  /** Walk from the highest key below `end` down to `start`. */
  reverse?: boolean;
  /** At most this many entries; 0 or omitted means no limit. */
  limit?: number;
}

export interface Entry {
  key: Buffer;
  value: Buffer;
}

/** Reads against one consistent state. Returned buffers belong to the caller. */
export interface ReadTx {
  get(bucket: string, key: Buffer): Buffer | undefined;
  scan(bucket: string, options?: ScanOptions): Iterable<Entry>;
  keys(bucket: string, options?: ScanOptions): Iterable<Buffer>;
  count(bucket: string, options?: ScanOptions): number;
}

/** A write transaction: reads see its own writes; all of it commits or none of it. */
export interface WriteTx extends ReadTx {
  put(bucket: string, key: Buffer, value: Buffer): void;
  /** Returns whether the key existed. */
  delete(bucket: string, key: Buffer): boolean;
  /** Runs after the transaction committed, in registration order. */
  onCommit(callback: () => void): void;
  /** Runs if the transaction is rolled back (its function threw). */
  onAbort(callback: () => void): void;
}

/** A consistent copy of the whole backend, as a byte stream of known size. */
export interface BackendSnapshot {
  sizeBytes: number;
  stream: Readable;
}

export interface Backend {
  /** Where the backend lives (a file; other threads may open it by this path). */
  readonly path: string;
  /** Runs `fn` against a consistent snapshot of committed state (synchronously). */
  read<T>(fn: (tx: ReadTx) => T): T;
  /** Runs `fn` synchronously in one atomic transaction; visible to all later reads on return. */
  write<T>(fn: (tx: WriteTx) => T): T;
  /** Makes every committed transaction durable. */
  sync(): Promise<void>;
  /** Size of the backing file. */
  sizeBytes(): number;
  /** Bytes of pages holding data (the rest is free space a defragment reclaims). */
  sizeInUseBytes(): number;
  /** Rewrites the file without free space. Writes must not be issued until it resolves. */
  defragment(): Promise<void>;
  /** A consistent copy of the whole state (for Maintenance.Snapshot). */
  snapshot(): Promise<BackendSnapshot>;
  /** A CRC-32C over every bucket (names, keys, values) in order, minus `ignore`d keys. */
  hash(ignore?: ReadonlyArray<{ bucket: string; key: Buffer }>): number;
  /** Creates the named buckets if absent (etcd's ETCD_BUCKETS always exist). Not inside write(). */
  ensureBuckets(names: Iterable<string>): void;
  /** Names of the buckets, sorted. */
  buckets(): string[];
  close(): Promise<void>;
}

/** Thrown by `write` while a defragment swaps files. */
export class ErrBackendBusy extends Error {
  constructor() {
    super("backend: defragment in progress");
    this.name = "ErrBackendBusy";
  }
}
