// The write-ahead log: raft's hard state and entries, appended to segment files in
// etcd's format and made durable before the server acknowledges them.
//
// Writes are split in two so the server can group-commit: `save` encodes records into
// memory at once (CRC chain, segment cuts and all), and `sync` writes what is buffered
// and fdatasyncs it. Saves made while a sync is on disk go out together in the next one,
// with a single fdatasync. A failed write or fdatasync poisons the WAL: after fsync
// fails, the page cache can no longer be trusted to hold what we wrote.
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import type { LogEnd } from "./decoder.js";
import { RecordEncoder } from "./encoder.js";
import {
  WalExistsError,
  WalFailedError,
  WalLockedError,
  WalSliceOutOfRangeError,
  WalSnapshotNotFoundError,
} from "./errors.js";
import { nodeFs, type WalFile, type WalFs } from "./fs.js";
import { acquireLock, lockedByOthers, type WalLock } from "./lock.js";
import { listSegments, type SegmentName, selectSegments, walName, walSegments } from "./names.js";
import { encodeHardState, encodeWalSnapshot, RecordType } from "./record.js";
import { scanLog } from "./scan.js";
import {
  EMPTY_HARD_STATE,
  isEmptyHardState,
  type WalContents,
  type WalEntry,
  type WalHardState,
  type WalSnapshot,
} from "./types.js";

/** etcd's SegmentSizeBytes: segments are preallocated to this and cut once they reach it. */
export const SEGMENT_SIZE_BYTES = 64 * 1000 * 1000;

export interface WalOptions {
  /** File operations (tests count or break them). Default: fs/promises. */
  readonly fs?: WalFs;
  readonly segmentSizeBytes?: number;
  /** etcd's --unsafe-no-fsync: skip fdatasync. Loses acknowledged writes on power loss. */
  readonly unsafeNoFsync?: boolean;
}

/** Buffered work for the disk, executed in order by the flusher. */
type Op =
  | { kind: "write"; buffers: Buffer[] }
  | { kind: "cut"; segment: SegmentName; header: Buffer[]; headerBytes: number };

interface Tail {
  file: WalFile;
  segment: SegmentName;
  /** Bytes of the segment already written to the file (pending ones not counted). */
  written: number;
  /**
   * Bytes from the start that have been written, as records or as zeros (>= written).
   * Segments are sparse; a write into a hole makes the file system allocate blocks, and a
   * durable write that allocates must also commit the journal. So each write that passes
   * this mark carries zeros up to the next ALLOCATE_BYTES boundary, and the writes after it
   * land on blocks already there.
   */
  allocated: number;
}

/** How far ahead of the records a tail segment's blocks are allocated (with zeros). */
const ALLOCATE_BYTES = 256 * 1024;
const ZEROS = Buffer.alloc(ALLOCATE_BYTES);

/**
 * `buffers` (to be written at tail.written), followed by the zeros that allocate the
 * segment up to the next ALLOCATE_BYTES boundary (at most its preallocated size) if they
 * end past tail.allocated. The zeros only ever cover bytes past the records, which read
 * as zeros already.
 */
function withAllocation(tail: Tail, buffers: Buffer[], length: number, segmentBytes: number): Buffer[] {
  assert.ok(tail.allocated >= tail.written);
  const end = tail.written + length;
  if (end <= tail.allocated) return buffers;
  const boundary = Math.max(end, Math.min(Math.ceil(end / ALLOCATE_BYTES) * ALLOCATE_BYTES, segmentBytes));
  tail.allocated = boundary;
  return boundary === end ? buffers : [...buffers, ZEROS.subarray(0, boundary - end)];
}

function byteLength(buffers: readonly Buffer[]): number {
  let n = 0;
  for (const b of buffers) n += b.length;
  return n;
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Failure is sticky and reported by every later call; never crash on an unobserved batch.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

export class Wal {
  private state: "reading" | "appending" | "closed";
  private metadata: Buffer = Buffer.alloc(0);
  /** The last hard state saved (repeated at the head of each new segment). */
  private hardState: WalHardState = EMPTY_HARD_STATE;
  /** Index of the last entry saved (or snapshot recorded). */
  private lastIndex = 0;
  /** Frames records and carries the CRC chain over everything encoded, pending included. */
  private encoder = new RecordEncoder(0);
  private tail: Tail | undefined;
  /** The tail segment's size once everything pending is written. */
  private tailBytes = 0;
  /** Segments from the one holding the open snapshot on: never purged until released. */
  private held: SegmentName[];
  private pending: Op[] = [];
  private next: Deferred | undefined;
  private inFlight: Promise<void> | undefined;
  private failure: WalFailedError | undefined;
  private readonly fs: WalFs;
  private readonly segmentSizeBytes: number;
  private readonly noFsync: boolean;

  private constructor(
    readonly dir: string,
    private readonly lock: WalLock,
    private readonly start: WalSnapshot,
    segments: SegmentName[],
    options: WalOptions,
  ) {
    this.fs = options.fs ?? nodeFs;
    this.segmentSizeBytes = options.segmentSizeBytes ?? SEGMENT_SIZE_BYTES;
    this.noFsync = options.unsafeNoFsync ?? false;
    this.held = segments;
    this.state = "reading";
    assert.ok(this.segmentSizeBytes >= 4096, "segment size too small");
  }

  /** Whether `dir` holds any WAL segment. */
  static async exists(dir: string, fs: WalFs = nodeFs): Promise<boolean> {
    const names = await fs.readdir(dir).catch(() => []);
    return walSegments(names).length > 0;
  }

  /**
   * Creates a WAL in `dir` (which must hold no segments) whose every segment starts with
   * `metadata`, and returns it ready for appends. As etcd, it builds the first segment in
   * `<dir>.tmp` and renames the directory into place, so a crash leaves no half WAL.
   */
  static async create(dir: string, metadata: Uint8Array, options: WalOptions = {}): Promise<Wal> {
    const fs = options.fs ?? nodeFs;
    if (await Wal.exists(dir, fs)) throw new WalExistsError(dir);
    await fs.mkdirp(dirname(dir));
    const lock = await acquireLock(`${dir}.lock`);
    let w: Wal | undefined;
    try {
      const first = { name: walName(0, 0), seq: 0, index: 0 };
      w = new Wal(dir, lock, { index: 0, term: 0 }, [first], options);
      w.metadata = Buffer.from(metadata);
      const tmpDir = `${dir}.tmp`;
      await fs.removeAll(tmpDir);
      await fs.mkdirp(tmpDir);
      const file = await fs.open(join(tmpDir, first.name), "create", !w.noFsync);
      await file.truncate(w.segmentSizeBytes);
      w.tail = { file, segment: first, written: 0, allocated: 0 };
      w.state = "appending";
      w.append(RecordType.crc, undefined);
      w.append(RecordType.metadata, w.metadata);
      w.append(RecordType.snapshot, encodeWalSnapshot({ index: 0, term: 0 }));
      await w.sync();
      await fs.removeAll(dir);
      await fs.rename(tmpDir, dir);
      await fs.syncDir(dirname(dir));
      return w;
    } catch (err) {
      await w?.tail?.file.close();
      await lock.release();
      throw err;
    }
  }

  /**
   * Opens the WAL in `dir` for reading from `snapshot` on; call `readAll` next, which
   * readies it for appends. The snapshot must be one the WAL recorded ({0, 0} at first).
   */
  static async open(dir: string, snapshot: WalSnapshot, options: WalOptions = {}): Promise<Wal> {
    const fs = options.fs ?? nodeFs;
    const all = await listSegments(fs, dir);
    const lock = await acquireLock(`${dir}.lock`);
    try {
      const segments = selectSegments(dir, all, snapshot.index);
      const etcd = await lockedByOthers(segments.map((s) => join(dir, s.name)));
      if (etcd !== undefined) throw new WalLockedError(dir, etcd);
      return new Wal(dir, lock, snapshot, segments, options);
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  /**
   * Reads every record from the open snapshot on: the metadata, the last hard state and
   * the entries after the snapshot (an index written again replaces the earlier entry
   * and everything after it, as when a leader overwrote this member's log). Throws
   * WalUnexpectedEofError if the last segment ends in a torn record (run `repairWal`
   * and open again), WalSnapshotNotFoundError if the snapshot was never recorded.
   * Afterwards the WAL appends after the last valid record.
   */
  async readAll(): Promise<WalContents> {
    assert.equal(this.state, "reading", "readAll: the WAL was already read");
    let hardState = EMPTY_HARD_STATE;
    const entries: WalEntry[] = [];
    let lastIndex = 0;
    const start = this.start;
    const { metadata, matched, end } = await scanLog(this.fs, this.dir, this.held, start, {
      entry(e, pos) {
        if (e.index > start.index) {
          const at = e.index - start.index - 1;
          if (at > entries.length) throw new WalSliceOutOfRangeError(pos);
          entries.length = at;
          entries.push(e);
        }
        lastIndex = e.index;
      },
      state(s) {
        hardState = s;
      },
    });
    if (end.torn !== undefined) throw end.torn;
    if (!matched) throw new WalSnapshotNotFoundError();
    await this.openTail(end);
    this.metadata = metadata ?? Buffer.alloc(0);
    this.hardState = hardState;
    this.lastIndex = Math.max(lastIndex, start.index);
    this.state = "appending";
    return { metadata: this.metadata, hardState, entries };
  }

  /** Opens the last segment for appending after its last valid record. */
  private async openTail(end: LogEnd): Promise<void> {
    const file = await this.fs.open(join(this.dir, end.segment.name), "write", !this.noFsync);
    try {
      // Bytes after the last record must be zeros, or a later reader could take stale
      // data for records: zero them as etcd's ZeroToEnd does, by truncating to the end of
      // the records and extending back (the file system hands back zeros).
      const length = await file.size();
      await file.truncate(end.offset);
      await file.truncate(length);
      await file.datasync();
    } catch (err) {
      await file.close();
      throw err;
    }
    this.tail = { file, segment: end.segment, written: end.offset, allocated: end.offset };
    this.tailBytes = end.offset;
    this.encoder = new RecordEncoder(end.crc);
  }

  /**
   * Buffers a hard state (skipped when undefined or empty) and entries, in memory only:
   * `sync` makes them durable. Entries must continue the log without a gap; they may
   * rewrite indexes already saved.
   */
  save(hardState: WalHardState | undefined, entries: readonly WalEntry[]): void {
    this.assertAppending();
    if (entries.length > 0) {
      const first = entries[0]!;
      assert.ok(
        first.index >= 1 && first.index <= this.lastIndex + 1,
        "save: entries leave a gap in the log",
      );
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i]!;
        assert.equal(e.index, first.index + i, "save: entries are not consecutive");
        this.tailBytes += this.encoder.entry(e);
      }
      this.lastIndex = entries[entries.length - 1]!.index;
    }
    if (hardState !== undefined && !isEmptyHardState(hardState)) {
      this.hardState = { term: hardState.term, vote: hardState.vote, commit: hardState.commit };
      this.append(RecordType.state, encodeHardState(this.hardState));
    }
    if (this.tailBytes >= this.segmentSizeBytes) this.cut();
  }

  /**
   * Records that a raft snapshot at {index, term} was saved, so the WAL can be opened
   * there; resolves once durable.
   */
  saveSnapshot(snapshot: WalSnapshot): Promise<void> {
    this.assertAppending();
    this.append(RecordType.snapshot, encodeWalSnapshot(snapshot));
    this.lastIndex = Math.max(this.lastIndex, snapshot.index);
    return this.sync();
  }

  /**
   * Writes and fdatasyncs everything saved so far. Resolves when it is durable; rejects
   * (now and forever after) if the disk failed.
   *
   * `inline`: if the disk is idle and the work is one plain write to a segment opened with
   * O_DSYNC, do it on the calling thread before returning. For a lone small batch the
   * round trip through the thread pool costs about as much as the write itself, and there
   * is nothing to overlap it with; under load, leave it false so batches keep growing
   * while the disk works.
   */
  sync(options: { inline?: boolean } = {}): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.sealWrites();
    if (this.pending.length === 0) return this.inFlight ?? Promise.resolve();
    if (options.inline === true && this.canWriteInline()) return this.writeInline();
    this.next ??= deferred();
    const done = this.next.promise;
    if (this.inFlight === undefined) void this.flush();
    return done;
  }

  /**
   * Releases the segments wholly before the one that holds `index` (etcd's
   * ReleaseLockTo): `purge` may delete them from then on. The tail is never released.
   */
  releaseLockTo(index: number): void {
    let keepFrom = this.held.length - 1;
    for (let i = 0; i < this.held.length; i++) {
      if (this.held[i]!.index >= index) {
        keepFrom = i - 1;
        break;
      }
    }
    if (keepFrom <= 0) return;
    this.held = this.held.slice(keepFrom);
  }

  /**
   * Deletes released segments, oldest first, while more than `maxFiles` segments remain
   * (etcd's --max-wals purge). Stops at the first segment still held. Returns the names.
   */
  async purge(maxFiles: number): Promise<string[]> {
    assert.ok(Number.isInteger(maxFiles) && maxFiles >= 0);
    const held = new Set(this.held.map((s) => s.name));
    const all = walSegments(await this.fs.readdir(this.dir));
    const removed: string[] = [];
    for (let i = 0; all.length - removed.length > maxFiles && i < all.length; i++) {
      const s = all[i]!;
      if (held.has(s.name)) break;
      await this.fs.unlink(join(this.dir, s.name));
      removed.push(s.name);
    }
    if (removed.length > 0) await this.fs.syncDir(this.dir);
    return removed;
  }

  /** The segments held (not yet released), oldest first. */
  segments(): readonly string[] {
    return this.held.map((s) => s.name);
  }

  /** Makes everything saved durable, closes the files and releases the lock. */
  async close(): Promise<void> {
    if (this.state === "closed") return;
    const wasAppending = this.state === "appending";
    this.state = "closed";
    try {
      if (wasAppending) await this.syncBeforeClose();
    } finally {
      await this.tail?.file.close();
      this.tail = undefined;
      await this.lock.release();
    }
  }

  private async syncBeforeClose(): Promise<void> {
    if (this.failure === undefined) await this.sync();
  }

  private assertAppending(): void {
    if (this.failure !== undefined) throw this.failure;
    assert.equal(this.state, "appending", "the WAL is not open for appends (readAll first)");
  }

  private append(type: number, data: Uint8Array | undefined): void {
    this.tailBytes += this.encoder.record(type, data);
  }

  /** Turns the records encoded so far into a write for the flusher. */
  private sealWrites(): void {
    if (this.encoder.hasPending()) this.pending.push({ kind: "write", buffers: this.encoder.take() });
  }

  /** Starts a new segment: it begins with the CRC so far, the metadata and the hard state. */
  private cut(): void {
    this.sealWrites();
    const prev = this.held[this.held.length - 1]!;
    const segment = {
      name: walName(prev.seq + 1, this.lastIndex + 1),
      seq: prev.seq + 1,
      index: this.lastIndex + 1,
    };
    let headerBytes = this.encoder.record(RecordType.crc, undefined);
    headerBytes += this.encoder.record(RecordType.metadata, this.metadata);
    if (!isEmptyHardState(this.hardState)) {
      headerBytes += this.encoder.record(RecordType.state, encodeHardState(this.hardState));
    }
    this.pending.push({ kind: "cut", segment, header: this.encoder.take(), headerBytes });
    this.held.push(segment);
    this.tailBytes = headerBytes;
  }

  private canWriteInline(): boolean {
    const op = this.pending[0];
    return (
      this.inFlight === undefined &&
      this.pending.length === 1 &&
      op?.kind === "write" &&
      (this.noFsync || this.tail!.file.durableWrites)
    );
  }

  private writeInline(): Promise<void> {
    const op = this.pending.pop();
    assert.ok(op?.kind === "write" && this.pending.length === 0 && this.next === undefined);
    const tail = this.tail!;
    const length = byteLength(op.buffers);
    try {
      tail.file.writeBlocking(withAllocation(tail, op.buffers, length, this.segmentSizeBytes), tail.written);
    } catch (err) {
      this.failure = new WalFailedError(err);
      return Promise.reject(this.failure);
    }
    tail.written += length;
    return Promise.resolve();
  }

  /** The flusher: one batch of pending work per round, each ending in one fdatasync. */
  private async flush(): Promise<void> {
    for (;;) {
      this.sealWrites();
      if (this.pending.length === 0 || this.failure !== undefined) break;
      const ops = this.pending;
      this.pending = [];
      const batch = this.next ?? deferred();
      this.next = undefined;
      this.inFlight = batch.promise;
      try {
        await this.execute(ops);
        batch.resolve();
      } catch (err) {
        this.failure = new WalFailedError(err);
        batch.reject(this.failure);
        const waiting = this.next as Deferred | undefined;
        waiting?.reject(this.failure);
        this.next = undefined;
      }
    }
    this.inFlight = undefined;
  }

  private async execute(ops: Op[]): Promise<void> {
    let dirty = false;
    for (const op of ops) {
      const tail = this.tail!;
      if (op.kind === "write") {
        const length = byteLength(op.buffers);
        await tail.file.write(withAllocation(tail, op.buffers, length, this.segmentSizeBytes), tail.written);
        tail.written += length;
        dirty = true;
      } else {
        await this.executeCut(tail, op.segment, op.header, op.headerBytes);
        dirty = false;
      }
    }
    // A segment opened with O_DSYNC made each write durable as it returned: one trip to
    // the disk thread per batch instead of two.
    if (dirty && !this.noFsync && !this.tail!.file.durableWrites) await this.tail!.file.datasync();
  }

  /**
   * Seals the tail (truncated to its records, synced), then builds the next segment under
   * a temporary name (preallocated, header written and synced) and renames it into place.
   * A crash in between leaves only a `.tmp` file, which readers ignore.
   */
  private async executeCut(tail: Tail, segment: SegmentName, header: Buffer[], headerBytes: number) {
    await tail.file.truncate(tail.written);
    if (!this.noFsync) await tail.file.datasync();
    await tail.file.close();
    this.tail = undefined;
    const tmp = join(this.dir, "0.tmp");
    const file = await this.fs.open(tmp, "create", !this.noFsync);
    await file.truncate(this.segmentSizeBytes);
    await file.write(header, 0);
    if (!this.noFsync) await file.datasync();
    await this.fs.rename(tmp, join(this.dir, segment.name));
    if (!this.noFsync) await this.fs.syncDir(this.dir);
    this.tail = { file, segment, written: headerBytes, allocated: headerBytes };
  }
}
