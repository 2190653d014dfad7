// Raft snapshots in etcd's snap files: `<snap dir>/%016x-%016x.snap` (term, index), each
// a snappb.Snapshot {crc, data} where data is an encoded raftpb.Snapshot and crc its
// CRC-32C. Files are written whole under a temporary name, synced and renamed, so a
// crash leaves the old snapshot or the new one. Loading takes the newest file that
// checks out; a bad one is renamed `.broken` and skipped, as etcd does.
import assert from "node:assert/strict";
import { join } from "node:path";
import { crc32c } from "../checksum/index.js";
import { type Int64, idToLong, raftpb, snappb, toId, toNumber } from "../proto/index.js";
import { SnapCorruptError, SnapCrcMismatchError, SnapEmptyError, SnapNoSnapshotError } from "./errors.js";
import { nodeFs, type WalFs } from "./fs.js";
import { parseSnapName, snapName } from "./names.js";
import type { WalSnapshot } from "./types.js";

/** raftpb.ConfState, with node IDs as bigint. */
export interface SnapConfState {
  readonly voters: readonly bigint[];
  readonly learners: readonly bigint[];
  readonly votersOutgoing: readonly bigint[];
  readonly learnersNext: readonly bigint[];
  readonly autoLeave: boolean;
}

/** raftpb.Snapshot: the applied state's bytes and where in the log it stands. */
export interface RaftSnapshot {
  readonly data: Uint8Array;
  readonly metadata: { readonly confState: SnapConfState; readonly index: number; readonly term: number };
}

const ids = (xs: readonly bigint[]) => xs.map((x) => idToLong(x));

export function encodeRaftSnapshot(s: RaftSnapshot): Uint8Array {
  const cs = s.metadata.confState;
  return raftpb.Snapshot.encode({
    data: s.data,
    metadata: {
      confState: {
        voters: ids(cs.voters),
        learners: ids(cs.learners),
        votersOutgoing: ids(cs.votersOutgoing),
        learnersNext: ids(cs.learnersNext),
        autoLeave: cs.autoLeave,
      },
      index: s.metadata.index,
      term: s.metadata.term,
    },
  }).finish();
}

export function decodeRaftSnapshot(bytes: Uint8Array): RaftSnapshot {
  const m = raftpb.Snapshot.decode(bytes);
  const md = m.metadata ?? {};
  const cs = md.confState ?? {};
  const big = (xs: readonly Int64[] | null | undefined) => (xs ?? []).map(toId);
  return {
    data: Buffer.from(m.data),
    metadata: {
      confState: {
        voters: big(cs.voters),
        learners: big(cs.learners),
        votersOutgoing: big(cs.votersOutgoing),
        learnersNext: big(cs.learnersNext),
        autoLeave: cs.autoLeave ?? false,
      },
      index: toNumber(md.index),
      term: toNumber(md.term),
    },
  };
}

/** The bytes of a snap file holding `snapshot`: snappb.Snapshot {crc, data}. */
export function encodeSnapFile(snapshot: RaftSnapshot): Uint8Array {
  const data = encodeRaftSnapshot(snapshot);
  return snappb.snapshot.encode({ crc: crc32c(data), data }).finish();
}

/** Decodes and checks the bytes of one snap file (`path` only names it in errors). */
export function decodeSnapFile(path: string, bytes: Uint8Array): RaftSnapshot {
  if (bytes.length === 0) throw new SnapEmptyError(path);
  let file: snappb.snapshot;
  try {
    file = snappb.snapshot.decode(bytes);
  } catch (err) {
    throw new SnapCorruptError(path, (err as Error).message);
  }
  if (file.data.length === 0 || file.crc === 0) throw new SnapEmptyError(path);
  if (crc32c(file.data) !== file.crc) throw new SnapCrcMismatchError(path);
  try {
    return decodeRaftSnapshot(file.data);
  } catch (err) {
    throw new SnapCorruptError(path, (err as Error).message);
  }
}

export class Snapshotter {
  private readonly fs: WalFs;

  constructor(
    readonly dir: string,
    fs?: WalFs,
  ) {
    this.fs = fs ?? nodeFs;
  }

  /** Writes the snapshot durably; an empty one (index 0) is skipped, as raft's IsEmptySnap. */
  async save(snapshot: RaftSnapshot): Promise<void> {
    if (snapshot.metadata.index === 0) return;
    const bytes = encodeSnapFile(snapshot);
    const name = snapName(snapshot.metadata.term, snapshot.metadata.index);
    const tmp = join(this.dir, `${name}.tmp`);
    const file = await this.fs.open(tmp, "create");
    try {
      await file.write([bytes], 0);
      await file.datasync();
    } finally {
      await file.close();
    }
    await this.fs.rename(tmp, join(this.dir, name));
    await this.fs.syncDir(this.dir);
  }

  /** Snap file names, newest first. Left-over temporary files are removed. */
  async list(): Promise<string[]> {
    const names = await this.fs.readdir(this.dir);
    for (const n of names) if (n.endsWith(".snap.tmp")) await this.fs.unlink(join(this.dir, n));
    return names.filter((n) => parseSnapName(n) !== undefined).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  }

  /** Reads and checks one snap file by name. */
  async read(name: string): Promise<RaftSnapshot> {
    const path = join(this.dir, name);
    return decodeSnapFile(path, await this.fs.readFile(path));
  }

  /** The newest valid snapshot; throws SnapNoSnapshotError if there is none. */
  load(): Promise<RaftSnapshot> {
    return this.loadMatching(() => true);
  }

  /** The newest valid snapshot that the WAL also recorded (see `validSnapshotEntries`). */
  loadNewestAvailable(walSnaps: readonly WalSnapshot[]): Promise<RaftSnapshot> {
    return this.loadMatching((s) =>
      walSnaps.some((w) => w.index === s.metadata.index && w.term === s.metadata.term),
    );
  }

  private async loadMatching(match: (s: RaftSnapshot) => boolean): Promise<RaftSnapshot> {
    for (const name of await this.list()) {
      let snap: RaftSnapshot;
      try {
        snap = await this.read(name);
      } catch (err) {
        assert.ok(err instanceof Error);
        const path = join(this.dir, name);
        await this.fs.rename(path, `${path}.broken`).catch(() => {});
        continue;
      }
      if (match(snap)) return snap;
    }
    throw new SnapNoSnapshotError();
  }
}
