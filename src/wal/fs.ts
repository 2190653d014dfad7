// The file operations the WAL and the snapshotter use, behind an interface so tests can
// count fdatasyncs or inject failures. The default runs on fs/promises, i.e. on libuv's
// thread pool: the event loop keeps serving requests while the disk works. `writeBlocking`
// is for the one case where that hop costs more than it buys (see Wal.sync).
import assert from "node:assert/strict";
import { constants, writevSync } from "node:fs";
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm, unlink } from "node:fs/promises";

export interface WalFile {
  /** Every write returns only once its bytes are durable (opened with O_DSYNC). */
  readonly durableWrites: boolean;
  /** Writes every byte of `buffers`, in order, starting at `position`. */
  write(buffers: readonly Uint8Array[], position: number): Promise<void>;
  /** The same, on the calling thread: returns once written (durable, with durableWrites). */
  writeBlocking(buffers: readonly Uint8Array[], position: number): void;
  /** Reads up to `length` bytes at `position`. */
  read(length: number, position: number): Promise<Buffer>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  size(): Promise<number>;
  close(): Promise<void>;
}

/** How to open: `create` makes or empties a file; `write` opens an existing one read-write. */
export type OpenMode = "read" | "write" | "create";

export interface WalFs {
  /** `durableWrites`: open with O_DSYNC, so each write is durable without a separate fdatasync. */
  open(path: string, mode: OpenMode, durableWrites?: boolean): Promise<WalFile>;
  readFile(path: string): Promise<Buffer>;
  readdir(dir: string): Promise<string[]>;
  /** mkdir -p with mode 0700, as etcd creates its directories. */
  mkdirp(dir: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** rm -rf; no error if absent. */
  removeAll(path: string): Promise<void>;
  /** fsync a directory so renames and unlinks in it are durable. */
  syncDir(dir: string): Promise<void>;
}

const FLAGS: Record<OpenMode, number> = {
  read: constants.O_RDONLY,
  write: constants.O_RDWR,
  create: constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC,
};

class NodeFile implements WalFile {
  constructor(
    private readonly handle: FileHandle,
    readonly durableWrites: boolean,
  ) {}

  async write(buffers: readonly Uint8Array[], position: number): Promise<void> {
    let pending = buffers.filter((b) => b.length > 0);
    let pos = position;
    while (pending.length > 0) {
      const { bytesWritten } = await this.handle.writev(pending, pos);
      assert.ok(bytesWritten > 0, "writev wrote nothing");
      pos += bytesWritten;
      pending = dropBytes(pending, bytesWritten);
    }
  }

  writeBlocking(buffers: readonly Uint8Array[], position: number): void {
    let pending = buffers.filter((b) => b.length > 0);
    let pos = position;
    while (pending.length > 0) {
      const bytesWritten = writevSync(this.handle.fd, pending, pos);
      assert.ok(bytesWritten > 0, "writev wrote nothing");
      pos += bytesWritten;
      pending = dropBytes(pending, bytesWritten);
    }
  }

  async read(length: number, position: number): Promise<Buffer> {
    const buf = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await this.handle.read(buf, got, length - got, position + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  }

  datasync(): Promise<void> {
    return this.handle.datasync();
  }

  truncate(length: number): Promise<void> {
    return this.handle.truncate(length);
  }

  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** What remains of `buffers` after its first `n` bytes (a short write continues there). */
function dropBytes(buffers: readonly Uint8Array[], n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let skip = n;
  for (const b of buffers) {
    if (skip >= b.length) {
      skip -= b.length;
      continue;
    }
    out.push(skip > 0 ? b.subarray(skip) : b);
    skip = 0;
  }
  return out;
}

export const nodeFs: WalFs = {
  async open(path, mode, durableWrites = false) {
    const flags = durableWrites ? FLAGS[mode] | constants.O_DSYNC : FLAGS[mode];
    return new NodeFile(await open(path, flags, 0o600), durableWrites);
  },
  readFile: (path) => readFile(path),
  readdir: (dir) => readdir(dir),
  async mkdirp(dir) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  },
  rename: (from, to) => rename(from, to),
  unlink: (path) => unlink(path),
  removeAll: (path) => rm(path, { recursive: true, force: true }),
  async syncDir(dir) {
    const h = await open(dir, constants.O_RDONLY);
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  },
};
