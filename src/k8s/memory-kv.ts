// An in-memory multi-version key-value store behaving like etcd's mvcc for the KvReader
// interface: revisions, ranges at past revisions, compaction (with etcd's errors), and
// watches that replay history, report progress once caught up, then go live. For tests
// of the lens, and for anyone testing code written against KvReader.
import type { KeyValue, KvReader, RangeOptions, RangeResult, WatchEvent, WatchOptions } from "./reader.js";
import { COMPACTED_MESSAGE, CompactedError, FUTURE_REVISION_MESSAGE } from "./reader.js";

interface Rec {
  kv: KeyValue;
  deleted: boolean;
}

interface LogEntry {
  type: "put" | "delete";
  kv: KeyValue;
  prev: KeyValue | undefined;
}

const EMPTY = Buffer.alloc(0);

export class MemoryKv implements KvReader {
  /** The current revision (etcd starts an empty store at 1). */
  revision = 1;
  compactRevision = 0;
  /** Every range request served, for tests of paging. */
  readonly rangeCalls: { key: string; limit: number; returned: number }[] = [];
  private readonly history = new Map<string, Rec[]>();
  private sorted: string[] | undefined;
  private log: LogEntry[] = [];
  private wake: (() => void)[] = [];

  /** Writes a value; returns the revision of the write. */
  put(key: string | Buffer, value: string | Buffer): number {
    const k = toKey(key);
    const prev = this.current(k);
    this.revision++;
    const kv: KeyValue = {
      key: Buffer.from(k, "latin1"),
      value: Buffer.from(value),
      createRevision: prev ? prev.createRevision : this.revision,
      modRevision: this.revision,
      version: prev ? prev.version + 1 : 1,
    };
    this.record(k, { kv, deleted: false }, { type: "put", kv, prev });
    return this.revision;
  }

  /** Deletes a key; returns the revision of the deletion, or undefined when it did not exist. */
  delete(key: string | Buffer): number | undefined {
    const k = toKey(key);
    const prev = this.current(k);
    if (!prev) return undefined;
    this.revision++;
    const kv: KeyValue = {
      key: Buffer.from(k, "latin1"),
      value: EMPTY,
      createRevision: 0,
      modRevision: this.revision,
      version: 0,
    };
    this.record(k, { kv, deleted: true }, { type: "delete", kv, prev });
    return this.revision;
  }

  /** Forgets history before `revision`, as etcd's compaction does. */
  compact(revision: number): void {
    if (revision <= this.compactRevision) throw new Error(COMPACTED_MESSAGE);
    if (revision > this.revision) throw new Error(FUTURE_REVISION_MESSAGE);
    this.compactRevision = revision;
    for (const [k, recs] of this.history) {
      let keepFrom = 0;
      for (let i = 0; i < recs.length; i++) if (recs[i]!.kv.modRevision <= revision) keepFrom = i;
      const kept = recs.slice(keepFrom);
      if (kept[0]?.deleted && kept[0].kv.modRevision <= revision) kept.shift();
      if (kept.length === 0) this.history.delete(k);
      else this.history.set(k, kept);
    }
    this.sorted = undefined;
    this.log = this.log.filter((e) => e.kv.modRevision > revision);
  }

  async range(key: Buffer, rangeEnd: Buffer | undefined, opts: RangeOptions = {}): Promise<RangeResult> {
    const rev = opts.revision && opts.revision > 0 ? opts.revision : this.revision;
    if (rev < this.compactRevision) throw new Error(COMPACTED_MESSAGE);
    if (rev > this.revision) throw new Error(FUTURE_REVISION_MESSAGE);
    const start = key.toString("latin1");
    const keys = this.sortedKeys();
    const kvs: KeyValue[] = [];
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Number.POSITIVE_INFINITY;
    let more = false;
    const inRange = rangeEnd === undefined ? (k: string) => k === start : rangeMatcher(rangeEnd);
    for (let i = lowerBound(keys, start); i < keys.length; i++) {
      const k = keys[i]!;
      if (!inRange(k)) {
        if (rangeEnd === undefined || k >= rangeEnd.toString("latin1")) break;
        continue;
      }
      const kv = this.at(k, rev);
      if (!kv) continue;
      if (kvs.length >= limit) {
        more = true;
        break;
      }
      kvs.push(opts.keysOnly ? { ...kv, value: EMPTY } : kv);
    }
    this.rangeCalls.push({ key: start, limit: opts.limit ?? 0, returned: kvs.length });
    return { kvs, more, revision: this.revision };
  }

  async *watch(
    key: Buffer,
    rangeEnd: Buffer | undefined,
    opts: WatchOptions = {},
  ): AsyncGenerator<WatchEvent> {
    const start = key.toString("latin1");
    const inRange = rangeEnd === undefined ? (k: string) => k === start : rangeMatcher(rangeEnd);
    let next = opts.startRevision && opts.startRevision > 0 ? opts.startRevision : this.revision + 1;
    if (next < this.compactRevision) throw new CompactedError(this.compactRevision);
    const signal = opts.signal;
    while (!signal?.aborted) {
      for (const e of this.log) {
        if (e.kv.modRevision < next || !inRange(e.kv.key.toString("latin1"))) continue;
        yield opts.prevKv && e.prev ? { type: e.type, kv: e.kv, prevKv: e.prev } : { type: e.type, kv: e.kv };
        if (signal?.aborted) return;
      }
      next = this.revision + 1;
      yield { type: "progress", revision: this.revision };
      if (signal?.aborted) return;
      // Written to while the consumer held the progress event: deliver that first.
      if (this.revision >= next) continue;
      await new Promise<void>((resolve) => {
        const done = () => resolve();
        this.wake.push(done);
        signal?.addEventListener("abort", done, { once: true });
      });
    }
  }

  private current(k: string): KeyValue | undefined {
    const recs = this.history.get(k);
    const last = recs?.[recs.length - 1];
    return last && !last.deleted ? last.kv : undefined;
  }

  private at(k: string, rev: number): KeyValue | undefined {
    const recs = this.history.get(k);
    if (!recs) return undefined;
    for (let i = recs.length - 1; i >= 0; i--) {
      const r = recs[i]!;
      if (r.kv.modRevision <= rev) return r.deleted ? undefined : r.kv;
    }
    return undefined;
  }

  private record(k: string, rec: Rec, entry: LogEntry): void {
    const recs = this.history.get(k);
    if (recs) recs.push(rec);
    else {
      this.history.set(k, [rec]);
      this.sorted = undefined;
    }
    this.log.push(entry);
    const waiting = this.wake;
    this.wake = [];
    for (const w of waiting) w();
  }

  private sortedKeys(): string[] {
    this.sorted ??= [...this.history.keys()].sort();
    return this.sorted;
  }
}

function toKey(key: string | Buffer): string {
  return typeof key === "string" ? Buffer.from(key, "utf8").toString("latin1") : key.toString("latin1");
}

function rangeMatcher(rangeEnd: Buffer): (k: string) => boolean {
  if (rangeEnd.length === 1 && rangeEnd[0] === 0) return () => true;
  const end = rangeEnd.toString("latin1");
  return (k) => k < end;
}

function lowerBound(keys: string[], start: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
