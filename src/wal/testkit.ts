// Helpers shared by this module's tests and the raft driver's (not exported from index.ts).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeFs, type WalFile, type WalFs } from "./fs.js";
import type { WalEntry } from "./types.js";

export async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "tetcd-wal-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Entries first..last of `term`, each with distinct, recognisable data of `size` bytes. */
export function makeEntries(first: number, last: number, term = 1, size = 40): WalEntry[] {
  const out: WalEntry[] = [];
  for (let i = first; i <= last; i++) {
    const data = Buffer.alloc(size, `t${term}-i${i}-`);
    out.push({ term, index: i, type: 0, data });
  }
  return out;
}

/** Entries as plain comparable values (data as Buffer). */
export function plain(entries: readonly WalEntry[]) {
  return entries.map((e) => ({ term: e.term, index: e.index, type: e.type, data: Buffer.from(e.data) }));
}

export interface CountingFs extends WalFs {
  readonly counts: { datasync: number; write: number };
  /** When set, every datasync waits for this before completing. */
  gate: Promise<void> | undefined;
  /** When set, the next datasync fails with it. */
  failNextDatasync: Error | undefined;
}

/** nodeFs with its fdatasyncs and writes counted, delayable and breakable. */
export function countingFs(): CountingFs {
  const fs: CountingFs = {
    ...nodeFs,
    counts: { datasync: 0, write: 0 },
    gate: undefined,
    failNextDatasync: undefined,
    async open(path, mode) {
      const file = await nodeFs.open(path, mode);
      const wrapped: WalFile = {
        durableWrites: false,
        write: (bufs, pos) => {
          fs.counts.write++;
          return file.write(bufs, pos);
        },
        writeBlocking: (bufs, pos) => {
          fs.counts.write++;
          file.writeBlocking(bufs, pos);
        },
        read: (len, pos) => file.read(len, pos),
        truncate: (len) => file.truncate(len),
        size: () => file.size(),
        close: () => file.close(),
        async datasync() {
          fs.counts.datasync++;
          if (fs.gate !== undefined) await fs.gate;
          const failure = fs.failNextDatasync;
          fs.failNextDatasync = undefined;
          if (failure !== undefined) throw failure;
          return file.datasync();
        },
      };
      return wrapped;
    },
  };
  return fs;
}

/** nodeFs without fdatasync/fsync: for tests that reopen a WAL hundreds of times. */
export function unsyncedFs(): WalFs {
  return {
    ...nodeFs,
    async open(path, mode) {
      const file = await nodeFs.open(path, mode);
      return {
        durableWrites: false,
        write: (bufs, pos) => file.write(bufs, pos),
        writeBlocking: (bufs, pos) => file.writeBlocking(bufs, pos),
        read: (len, pos) => file.read(len, pos),
        truncate: (len) => file.truncate(len),
        size: () => file.size(),
        close: () => file.close(),
        datasync: async () => {},
      };
    },
    syncDir: async () => {},
  };
}

export interface WriteCountingFs extends WalFs {
  /** Writes through the thread pool (`write`) and on the calling thread (`writeBlocking`). */
  readonly counts: { background: number; blocking: number };
  /**
   * A simulated clock (ms) that every write advances by `writeMs`, so code timing its writes
   * with `now()` sees a disk of the test's choosing, whatever the real disk does.
   */
  writeMs: number;
  now(): number;
}

/** nodeFs, O_DSYNC segments included, with each kind of write counted and timed by a simulated clock. */
export function writeCountingFs(): WriteCountingFs {
  let clockMs = 0;
  const fs: WriteCountingFs = {
    ...nodeFs,
    counts: { background: 0, blocking: 0 },
    writeMs: 0,
    now: () => clockMs,
    async open(path, mode, durableWrites) {
      const file = await nodeFs.open(path, mode, durableWrites);
      return {
        durableWrites: file.durableWrites,
        async write(bufs, pos) {
          fs.counts.background++;
          clockMs += fs.writeMs;
          return file.write(bufs, pos);
        },
        writeBlocking(bufs, pos) {
          fs.counts.blocking++;
          clockMs += fs.writeMs;
          file.writeBlocking(bufs, pos);
        },
        read: (len, pos) => file.read(len, pos),
        datasync: () => file.datasync(),
        truncate: (len) => file.truncate(len),
        size: () => file.size(),
        close: () => file.close(),
      };
    },
  };
  return fs;
}
