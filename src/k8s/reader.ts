// The read interface the lens functions need from an etcd client: ranges at a revision
// (paged) and a watch from a revision. tetcd's client satisfies it through a thin adapter;
// tests use MemoryKv. Keys and values are bytes; revisions are numbers.

export interface KeyValue {
  key: Buffer;
  /** Empty for keys-only ranges and for deletions. */
  value: Buffer;
  createRevision: number;
  modRevision: number;
  version: number;
}

export interface RangeOptions {
  /** Read as of this revision (0 or absent: the latest). */
  revision?: number;
  /** At most this many keys (0 or absent: no limit); `more` tells whether some were left. */
  limit?: number;
  /** Keys and revisions without values. */
  keysOnly?: boolean;
}

export interface RangeResult {
  kvs: KeyValue[];
  /** True when `limit` cut the result short. */
  more: boolean;
  /** The store's revision when the range was served (the header revision). */
  revision: number;
}

export interface WatchOptions {
  /** First revision to report (absent: only changes after now). */
  startRevision?: number;
  /** Ask for the previous key-value with each event. */
  prevKv?: boolean;
  /** Ends the iteration (the watch is cancelled). */
  signal?: AbortSignal;
}

export type WatchEvent =
  | { type: "put"; kv: KeyValue; prevKv?: KeyValue }
  | { type: "delete"; kv: KeyValue; prevKv?: KeyValue }
  /**
   * Every event up to `revision` has been delivered, exactly. An adapter may derive one
   * from the last revision of each watch response, or ask etcd (WatchProgressRequest)
   * while idle; etcd 3.4.23 answers such a request even before the watcher has caught up,
   * so its answers need care (see src/cli/lens/progress-gate.ts). Lens functions need it
   * to know when a deleted key's history, or a replay of changes up to now, is complete.
   */
  | { type: "progress"; revision: number };

export interface KvReader {
  /**
   * Keys in [key, rangeEnd) (rangeEnd absent: just `key`; "\0": every key >= key).
   * Rejects with etcd's "required revision has been compacted" error for a compacted
   * revision (see isCompactedError).
   */
  range(key: Buffer, rangeEnd: Buffer | undefined, opts?: RangeOptions): Promise<RangeResult>;
  /**
   * Events for [key, rangeEnd) from opts.startRevision on, in revision order, then live.
   * Throws CompactedError (or any error with a numeric `compactRevision`) when the start
   * revision is compacted.
   */
  watch(key: Buffer, rangeEnd: Buffer | undefined, opts?: WatchOptions): AsyncIterable<WatchEvent>;
}

/** etcd's message for a read below the compaction point (ErrCompacted). */
export const COMPACTED_MESSAGE = "etcdserver: mvcc: required revision has been compacted";
/** etcd's message for a read beyond the current revision (ErrFutureRev). */
export const FUTURE_REVISION_MESSAGE = "etcdserver: mvcc: required revision is a future revision";

/** A read below the compaction point; `compactRevision` is known for watches. */
export class CompactedError extends Error {
  override name = "CompactedError";
  constructor(readonly compactRevision?: number) {
    super(COMPACTED_MESSAGE);
  }
}

/** Whether an error from a KvReader means "that revision is compacted". */
export function isCompactedError(err: unknown): boolean {
  if (err instanceof CompactedError) return true;
  if (typeof err !== "object" || err === null) return false;
  const e = err as { compactRevision?: unknown; message?: unknown };
  return (
    typeof e.compactRevision === "number" ||
    (typeof e.message === "string" && e.message.includes("has been compacted"))
  );
}

/** The range end that covers every key starting with `prefix` (etcd's GetPrefixRangeEnd). */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]!++;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]); // all keys
}
