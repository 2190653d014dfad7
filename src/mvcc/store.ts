// The multi-version key-value store (etcd 3.4's mvcc semantics) on a Backend.

import assert from "node:assert/strict";
import type { Backend, ReadTx, WriteTx } from "../storage/index.js";
import { runCompaction } from "./compaction.js";
import { ErrCompacted, ErrFutureRev } from "./errors.js";
import { hashKV } from "./hash.js";
import { decodeKeyValue, type KeyValue } from "./kv.js";
import { decodeLatest } from "./latest.js";
import {
  FINISHED_COMPACT_KEY,
  INDEX_BUCKET,
  indexKey,
  indexKeyPrefix,
  KEY_BUCKET,
  LATEST_BUCKET,
  MARK_TOMBSTONE,
  META_BUCKET,
  MVCC_BUCKETS,
  SCHEDULED_COMPACT_KEY,
} from "./layout.js";
import { type RangeOptions, type RangeResult, readRange } from "./read.js";
import { bytesToRev, isTombstone, readRevPair, revToBytes } from "./revision.js";
import { type WatchConsumer, WatchHub, type WatchOptions, WatchStream } from "./watch.js";
import { type Event, type LeaseHooks, MvccWriteTxn } from "./write-txn.js";

export interface MvccOptions {
  /** Told which keys attach to / detach from which lease (also for every leased key on open). */
  leaseHooks?: LeaseHooks;
  /** Revisions of the `key` bucket per compaction batch (etcd's CompactionBatchLimit). */
  compactionBatchLimit?: number;
  watch?: WatchOptions;
}

export interface CompactResult {
  /** The compaction revision, now persisted (or persisted with the caller's transaction). */
  revision: number;
  /** Resolves once the compacted history is physically gone. */
  done: Promise<void>;
}

export interface HashResult {
  hash: number;
  revision: number;
}

export interface HashKVResult {
  hash: number;
  compactRevision: number;
  revision: number;
}

/** The DefaultIgnores of etcd's Hash: the applied index differs between members. */
const HASH_IGNORES = [{ bucket: META_BUCKET, key: Buffer.from("consistent_index") }];

export class MvccStore {
  private currentRev = 1;
  /** The newest revision handed out: above currentRev while its transaction is uncommitted. */
  private headRev = 1;
  /** -1 until the first compaction, as in etcd (HashKV reports it). */
  private compactRev = -1;
  private finishedCompactRev = -1;
  private writing = false;
  private compactions: Promise<void> = Promise.resolve();
  private readonly hooks: LeaseHooks | undefined;
  private readonly batchLimit: number;
  private readonly hub: WatchHub;
  private closed = false;

  constructor(
    readonly backend: Backend,
    options: MvccOptions = {},
  ) {
    this.hooks = options.leaseHooks;
    this.batchLimit = options.compactionBatchLimit ?? 1000;
    assert.ok(this.batchLimit > 0, "mvcc: compactionBatchLimit must be positive");
    backend.ensureBuckets(MVCC_BUCKETS);
    this.restore();
    this.hub = new WatchHub(
      {
        currentRevision: () => this.currentRev,
        compactRevision: () => this.compactRev,
        readEvents: (from, to, max) => this.backend.read((tx) => readEvents(tx, from, to, max)),
        prevKv: (kv) => this.backend.read((tx) => prevVersion(tx, kv)),
      },
      options.watch,
    );
  }

  private restore(): void {
    this.backend.read((tx) => {
      const finished = tx.get(META_BUCKET, FINISHED_COMPACT_KEY);
      const scheduled = tx.get(META_BUCKET, SCHEDULED_COMPACT_KEY);
      this.finishedCompactRev = finished === undefined ? -1 : bytesToRev(finished).main;
      const scheduledRev = scheduled === undefined ? -1 : bytesToRev(scheduled).main;
      this.compactRev = Math.max(this.finishedCompactRev, scheduledRev);
      let last = 0;
      for (const k of tx.keys(KEY_BUCKET, { reverse: true, limit: 1 })) last = bytesToRev(k).main;
      this.currentRev = Math.max(1, last, this.compactRev);
      this.headRev = this.currentRev;
      if (this.hooks !== undefined) {
        for (const { value } of tx.scan(LATEST_BUCKET)) {
          const kv = decodeLatest(tx, value, true);
          if (kv.lease !== 0n) this.hooks.attach(kv.lease, kv.key);
        }
      }
    });
    // An interrupted compaction finishes now, as etcd's restore does.
    if (this.compactRev > this.finishedCompactRev) this.scheduleCompaction(this.compactRev);
  }

  currentRevision(): number {
    return this.currentRev;
  }

  compactRevision(): number {
    return this.compactRev;
  }

  /** Reads committed state. */
  range(key: Buffer, rangeEnd?: Buffer, options: RangeOptions = {}): RangeResult {
    return this.backend.read((tx) => readRange(tx, this.currentRev, this.compactRev, key, rangeEnd, options));
  }

  /** Starts a write transaction inside the caller's backend transaction; call end() before the
   * next one. Several may run in one backend transaction, each making its own revision. */
  write(tx: WriteTx): MvccWriteTxn {
    assert.ok(!this.closed, "mvcc: store closed");
    assert.ok(!this.writing, "mvcc: a write txn is still open");
    this.writing = true;
    tx.onAbort(() => {
      this.writing = false;
    });
    const beginRev = this.headRev;
    return new MvccWriteTxn(tx, {
      beginRev,
      compactRev: () => this.compactRev,
      hooks: this.hooks,
      finish: (rev, events) => this.finishWrite(tx, rev, events),
      done: () => {
        this.writing = false;
      },
    });
  }

  private finishWrite(tx: WriteTx, rev: number, events: Event[]): void {
    assert.equal(rev, this.headRev + 1, "mvcc: revisions are consecutive");
    this.headRev = rev;
    tx.onCommit(() => {
      assert.equal(rev, this.currentRev + 1, "mvcc: commits in revision order");
      this.currentRev = rev;
      this.hub.notify(events, rev);
    });
    tx.onAbort(() => {
      this.headRev = this.currentRev;
    });
  }

  /**
   * Compacts history at `rev`: reads below it fail with ErrCompacted from now on. The revision is
   * persisted in `tx` if given (then the physical work starts after it commits), else at once.
   */
  compact(rev: number, tx?: WriteTx): CompactResult {
    if (rev <= this.compactRev) throw new ErrCompacted();
    if (rev > this.headRev) throw new ErrFutureRev();
    const previous = this.compactRev;
    this.compactRev = rev;
    let done: Promise<void>;
    if (tx === undefined) {
      this.backend.write((t) => t.put(META_BUCKET, SCHEDULED_COMPACT_KEY, revToBytes(rev, 0)));
      done = this.scheduleCompaction(rev);
    } else {
      tx.put(META_BUCKET, SCHEDULED_COMPACT_KEY, revToBytes(rev, 0));
      let start!: () => void;
      const committed = new Promise<void>((resolve) => {
        start = resolve;
      });
      tx.onCommit(start);
      tx.onAbort(() => {
        this.compactRev = previous;
      });
      done = committed.then(() => this.scheduleCompaction(rev));
    }
    return { revision: rev, done };
  }

  /** Compactions run one after another, in the order asked. */
  private scheduleCompaction(rev: number): Promise<void> {
    const run = this.compactions.then(async () => {
      if (this.closed || rev <= this.finishedCompactRev) return;
      await runCompaction(this.backend, this.finishedCompactRev, rev, this.batchLimit, () => this.closed);
      if (!this.closed) this.finishedCompactRev = rev;
    });
    this.compactions = run.catch(() => {});
    return run;
  }

  /** Resolves when every compaction asked for so far has finished. */
  compactionsDone(): Promise<void> {
    return this.compactions;
  }

  /** A hash of the whole backend (without the applied index), at the current revision. */
  hash(): HashResult {
    return { hash: this.backend.hash(HASH_IGNORES), revision: this.currentRev };
  }

  /** etcd's HashKV at `rev` (0: current). */
  hashKV(rev = 0): HashKVResult {
    const compactRev = this.compactRev;
    const currentRev = this.currentRev;
    if (rev > 0 && rev <= compactRev) throw new ErrCompacted();
    if (rev > currentRev) throw new ErrFutureRev();
    const at = rev === 0 ? currentRev : rev;
    const hash = this.backend.read((tx) => hashKV(tx, at, compactRev, currentRev));
    return { hash, compactRevision: compactRev, revision: currentRev };
  }

  /** A new watch stream delivering to `consumer`. */
  watchStream(consumer: WatchConsumer): WatchStream {
    assert.ok(!this.closed, "mvcc: store closed");
    return new WatchStream(this.hub, consumer);
  }

  /** Watchers per state. */
  watcherCounts(): { synced: number; unsynced: number } {
    return this.hub.counts();
  }

  /** Stops background work (a running compaction stops between batches and resumes on reopen).
   * The backend stays open: it belongs to the caller. */
  async close(): Promise<void> {
    this.closed = true;
    this.hub.close();
    await this.compactions;
  }
}

/** Events of the `key` bucket from `fromRev`, ending on a complete revision. */
function readEvents(
  tx: ReadTx,
  fromRev: number,
  toRev: number,
  maxEntries: number,
): { events: Event[]; lastRev: number } {
  const events: Event[] = [];
  const end = revToBytes(toRev + 1, 0);
  let lastKey: Buffer | undefined;
  for (const { key, value } of tx.scan(KEY_BUCKET, {
    start: revToBytes(fromRev, 0),
    end,
    limit: maxEntries,
  })) {
    events.push(toEvent(key, value));
    lastKey = key;
  }
  if (events.length < maxEntries || lastKey === undefined) return { events, lastRev: toRev };
  // Finish the last revision so no response splits one.
  const lastRev = bytesToRev(lastKey).main;
  for (const { key, value } of tx.scan(KEY_BUCKET, {
    start: Buffer.concat([lastKey, Buffer.from([0])]),
    end: revToBytes(lastRev + 1, 0),
  }))
    events.push(toEvent(key, value));
  return { events, lastRev };
}

function toEvent(revKey: Buffer, value: Buffer): Event {
  const kv = decodeKeyValue(value);
  if (isTombstone(revKey)) {
    // etcd patches in the mod revision of a delete so watchers can order it.
    kv.modRevision = bytesToRev(revKey).main;
    return { type: "delete", kv };
  }
  return { type: "put", kv };
}

/** The version of kv.key right before kv (by revision), unless deleted or compacted away. */
function prevVersion(tx: ReadTx, kv: KeyValue): KeyValue | undefined {
  // As etcd: the key at modRevision - 1.
  for (const { key: ik, value } of tx.scan(INDEX_BUCKET, {
    start: indexKeyPrefix(kv.key),
    end: indexKey(kv.key, kv.modRevision, 0),
    reverse: true,
    limit: 1,
  })) {
    const r = readRevPair(ik, ik.length - 16);
    if (value.equals(MARK_TOMBSTONE)) return undefined;
    const bytes = tx.get(KEY_BUCKET, revToBytes(r.main, r.sub));
    return bytes === undefined ? undefined : decodeKeyValue(bytes);
  }
  return undefined;
}
