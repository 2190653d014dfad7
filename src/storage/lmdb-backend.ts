// The Backend on LMDB (npm `lmdb`): one file (plus its `-lock` file), named databases as
// buckets, synchronous write transactions. Why these options: see README.md.
import assert from "node:assert/strict";
import { createReadStream, existsSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { type Database, open, type RootDatabase } from "lmdb";
import { Crc32c } from "../checksum/index.js";
import { diskMetrics } from "../metrics/index.js";
import {
  type Backend,
  type BackendSnapshot,
  type Entry,
  ErrBackendBusy,
  ETCD_BUCKETS,
  type ReadTx,
  type ScanOptions,
  type WriteTx,
} from "./backend.js";

export interface LmdbBackendOptions {
  /**
   * Group commit: writes accumulate in one open LMDB transaction (each write a nested
   * transaction, so it still commits or aborts as a whole and is visible to every read in this
   * process at once) and the group commits, fully fsynced, at least this often. 0: every
   * write is its own fsynced LMDB commit. Default 100 ms. See README.md.
   */
  commitIntervalMs?: number;
  /** ...or after this many writes. Default 1000. */
  commitMaxWrites?: number;
  /** Open read-only (for example from a worker thread that serves reads). */
  readOnly?: boolean;
}

/** The open group: an LMDB transaction whose lmdb-js callback has not finished. */
interface Group {
  finish: () => void;
  timer: NodeJS.Timeout | undefined;
  writes: number;
}

type Db = Database<Buffer, Buffer>;

const META_PAGES = 2;
const LOWEST_KEY = Buffer.from([0]);
const MAX_BUCKETS = 64;

/** Opens (creating if absent) the LMDB backend file at `path`. */
export function openLmdbBackend(path: string, options: LmdbBackendOptions = {}): LmdbBackend {
  return new LmdbBackend(path, options);
}

export class LmdbBackend implements Backend {
  readonly path: string;
  private readonly options: LmdbBackendOptions;
  private root: RootDatabase<Buffer, Buffer>;
  private dbs = new Map<string, Db>();
  private writing: LmdbWriteTx | undefined;
  private busy = false;
  private closed = false;
  private group: Group | undefined;
  private readonly intervalMs: number;
  private readonly maxWrites: number;

  constructor(path: string, options: LmdbBackendOptions) {
    this.path = path;
    this.options = options;
    this.intervalMs = options.commitIntervalMs ?? 100;
    this.maxWrites = options.commitMaxWrites ?? 1000;
    assert.ok(this.intervalMs >= 0 && this.maxWrites > 0, "backend: bad commit options");
    this.root = this.openRoot();
    this.ensureBuckets(ETCD_BUCKETS);
  }

  private openRoot(): RootDatabase<Buffer, Buffer> {
    return open<Buffer, Buffer>({
      path: this.path,
      noSubdir: true,
      maxDbs: MAX_BUCKETS,
      // Every LMDB commit is fully synced (data, then meta): the file is intact after any
      // crash, power loss included. Group commit keeps that affordable.
      overlappingSync: false,
      readOnly: this.options.readOnly === true,
      // Buckets hold raw bytes; the root only maps bucket names to databases.
      keyEncoding: "binary",
      encoding: "binary",
    });
  }

  ensureBuckets(names: Iterable<string>): void {
    assert.ok(this.writing === undefined, "backend: buckets are created outside write transactions");
    for (const name of names) {
      if (this.dbs.has(name)) continue;
      assert.ok(!this.closed, "backend: closed");
      this.dbs.set(
        name,
        this.root.openDB<Buffer, Buffer>({ name, keyEncoding: "binary", encoding: "binary" }),
      );
    }
  }

  /** The database of one bucket; buckets are opened by ensureBuckets (a new LMDB database
   * created inside a write transaction would be invisible to the read snapshots). */
  private db(bucket: string): Db {
    const db = this.dbs.get(bucket);
    assert.ok(db !== undefined, `backend: unknown bucket ${bucket}`);
    return db;
  }

  read<T>(fn: (tx: ReadTx) => T): T {
    assert.ok(this.writing === undefined, "backend: read() inside write() would see uncommitted state");
    // lmdb-js holds one read snapshot until the next commit, and commits only happen in
    // write(), which cannot run while `fn` runs synchronously: `fn` sees one state.
    return fn(new LmdbReadTx(this.db.bind(this)));
  }

  write<T>(fn: (tx: WriteTx) => T): T {
    if (this.busy) throw new ErrBackendBusy();
    assert.ok(!this.closed, "backend: closed");
    assert.ok(this.writing === undefined, "backend: write transactions do not nest");
    const tx = new LmdbWriteTx(this.db.bind(this));
    this.writing = tx;
    if (this.group === undefined && this.intervalMs > 0) this.openGroup();
    let result: T;
    try {
      result = this.root.transactionSync(() => {
        const r = fn(tx);
        assert.ok(!(r instanceof Promise), "backend: write(fn) must be synchronous");
        return r;
      });
    } catch (err) {
      this.writing = undefined;
      tx.finish();
      for (const cb of tx.abortCallbacks) cb();
      throw err;
    }
    this.writing = undefined;
    tx.finish();
    if (this.group !== undefined && ++this.group.writes >= this.maxWrites) this.commit();
    for (const cb of tx.commitCallbacks) cb();
    return result;
  }

  /**
   * Opens the group: an lmdb-js transaction whose callback returns a thenable we settle
   * ourselves, so the LMDB transaction stays open and every transactionSync meanwhile runs
   * as a nested (abortable) transaction inside it; settling it commits synchronously.
   */
  private openGroup(): void {
    let finish: (() => void) | undefined;
    const pending = {
      // biome-ignore lint/suspicious/noThenProperty: lmdb-js keeps the transaction open until this thenable settles, which we do synchronously in commit().
      then(onDone: () => unknown) {
        finish = () => onDone();
        return pending;
      },
    };
    this.root.transactionSync(() => pending);
    assert.ok(finish !== undefined, "backend: lmdb-js did not keep the group transaction open");
    const group: Group = { finish, timer: undefined, writes: 0 };
    group.timer = setTimeout(() => {
      if (this.group === group && this.writing === undefined) this.commit();
    }, this.intervalMs);
    group.timer.unref();
    this.group = group;
  }

  /** Commits the open group (fsynced) now. */
  private commit(): void {
    const group = this.group;
    if (group === undefined) return;
    assert.ok(this.writing === undefined, "backend: commit inside a write");
    this.group = undefined;
    clearTimeout(group.timer);
    // A failed commit (disk full, I/O error) loses writes the process already acted on: crash.
    const started = performance.now();
    group.finish();
    diskMetrics.backendCommitSeconds.observe((performance.now() - started) / 1000);
  }

  /** Makes every write so far durable (commits the open group, fsynced). */
  sync(): Promise<void> {
    this.commit();
    return Promise.resolve();
  }

  /** The file's size, or more while the open group holds pages the file has yet to grow by. */
  sizeBytes(): number {
    const file = statSync(this.path).size;
    return this.group === undefined ? file : Math.max(file, this.sizeInUseBytes());
  }

  sizeInUseBytes(): number {
    const stats = this.root.getStats() as LmdbStats;
    let pages = META_PAGES + treePages(stats.root) + treePages(stats.free);
    for (const name of this.buckets()) pages += treePages(this.db(name).getStats() as LmdbStats);
    return pages * stats.pageSize;
  }

  buckets(): string[] {
    return [...this.dbs.keys()].sort();
  }

  hash(ignore: ReadonlyArray<{ bucket: string; key: Buffer }> = []): number {
    const skip = new Set(ignore.map((i) => `${i.bucket}\u0000${i.key.toString("latin1")}`));
    const crc = new Crc32c();
    this.read((tx) => {
      for (const bucket of this.buckets()) {
        crc.update(Buffer.from(bucket));
        for (const { key, value } of tx.scan(bucket)) {
          if (skip.size > 0 && skip.has(`${bucket}\u0000${key.toString("latin1")}`)) continue;
          crc.update(key);
          crc.update(value);
        }
      }
    });
    return crc.digest();
  }

  async snapshot(): Promise<BackendSnapshot> {
    this.commit();
    const file = join(dirname(this.path), `.snapshot-${process.pid}-${Date.now()}-${Math.random()}`);
    const started = performance.now();
    await this.root.backup(file, false);
    diskMetrics.backendSnapshotSeconds.observe((performance.now() - started) / 1000);
    const sizeBytes = statSync(file).size;
    const stream = createReadStream(file);
    // The copy is only a staging file: once open, unlinking it keeps the data readable.
    stream.once("open", () => rmSync(file, { force: true }));
    stream.once("error", () => rmSync(file, { force: true }));
    return { sizeBytes, stream };
  }

  async defragment(): Promise<void> {
    assert.ok(this.writing === undefined && !this.busy, "backend: defragment during a write");
    this.commit();
    this.busy = true;
    const started = performance.now();
    try {
      const tmp = `${this.path}.defrag`;
      rmSync(tmp, { force: true });
      await this.root.backup(tmp, true);
      await this.closeRoot();
      renameSync(tmp, this.path);
      const lock = `${this.path}-lock`;
      if (existsSync(`${tmp}-lock`)) rmSync(`${tmp}-lock`, { force: true });
      // The old lock file describes the old file's readers; start a fresh one.
      rmSync(lock, { force: true });
      const names = [...this.dbs.keys()];
      this.dbs.clear();
      this.root = this.openRoot();
      this.ensureBuckets(names);
      diskMetrics.backendDefragSeconds.observe((performance.now() - started) / 1000);
    } finally {
      this.busy = false;
    }
  }

  private async closeRoot(): Promise<void> {
    this.commit();
    await this.root.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    assert.ok(this.writing === undefined, "backend: close during a write");
    this.closed = true;
    await this.closeRoot();
  }
}

interface TreeStats {
  treeBranchPageCount: number;
  treeLeafPageCount: number;
  overflowPages: number;
}
interface LmdbStats extends TreeStats {
  pageSize: number;
  root: TreeStats;
  free: TreeStats;
}

function treePages(s: TreeStats): number {
  return s.treeBranchPageCount + s.treeLeafPageCount + s.overflowPages;
}

/** lmdb-js range options for our [start, end) scans in either direction. */
function rangeOptions(o: ScanOptions | undefined) {
  const start = o?.start !== undefined && o.start.length > 0 ? o.start : undefined;
  const end = o?.end;
  const limit = o?.limit !== undefined && o.limit > 0 ? o.limit : undefined;
  if (o?.reverse === true) {
    // lmdb-js walks down from `start` (inclusive unless exclusiveStart) to `end` (exclusive).
    return {
      ...(end !== undefined ? { start: end, exclusiveStart: true } : {}),
      // Without an explicit bound lmdb-js stops above the lowest key, 0x00: name it.
      end: start ?? LOWEST_KEY,
      inclusiveEnd: true,
      reverse: true,
      ...(limit !== undefined ? { limit } : {}),
    };
  }
  return {
    ...(start !== undefined ? { start } : {}),
    ...(end !== undefined ? { end } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
}

class LmdbReadTx implements ReadTx {
  constructor(protected readonly db: (bucket: string) => Db) {}

  get(bucket: string, key: Buffer): Buffer | undefined {
    return this.db(bucket).getBinary(key);
  }

  *scan(bucket: string, options?: ScanOptions): Iterable<Entry> {
    if (
      options?.end !== undefined &&
      options.start !== undefined &&
      Buffer.compare(options.start, options.end) >= 0
    )
      return;
    for (const { key, value } of this.db(bucket).getRange(rangeOptions(options))) yield { key, value };
  }

  *keys(bucket: string, options?: ScanOptions): Iterable<Buffer> {
    if (
      options?.end !== undefined &&
      options.start !== undefined &&
      Buffer.compare(options.start, options.end) >= 0
    )
      return;
    yield* this.db(bucket).getKeys(rangeOptions(options));
  }

  count(bucket: string, options?: ScanOptions): number {
    if (
      options?.end !== undefined &&
      options.start !== undefined &&
      Buffer.compare(options.start, options.end) >= 0
    )
      return 0;
    return this.db(bucket).getKeysCount(rangeOptions(options));
  }
}

class LmdbWriteTx extends LmdbReadTx implements WriteTx {
  readonly commitCallbacks: Array<() => void> = [];
  readonly abortCallbacks: Array<() => void> = [];
  private done = false;

  put(bucket: string, key: Buffer, value: Buffer): void {
    assert.ok(!this.done, "backend: transaction already ended");
    assert.ok(key.length > 0, "backend: empty key");
    this.db(bucket).putSync(key, value);
  }

  delete(bucket: string, key: Buffer): boolean {
    assert.ok(!this.done, "backend: transaction already ended");
    return this.db(bucket).removeSync(key);
  }

  onCommit(callback: () => void): void {
    this.commitCallbacks.push(callback);
  }

  onAbort(callback: () => void): void {
    this.abortCallbacks.push(callback);
  }

  finish(): void {
    this.done = true;
  }
}
