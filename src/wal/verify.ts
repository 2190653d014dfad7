// Read-only checks over a WAL directory, as etcd's wal.Verify and
// wal.ValidSnapshotEntries: no lock taken, nothing written, a torn tail tolerated.
import { decodeSegments } from "./decoder.js";
import { WalSnapshotNotFoundError } from "./errors.js";
import { nodeFs, type WalFs } from "./fs.js";
import { listSegments, selectSegments } from "./names.js";
import { decodeHardState, decodeWalSnapshot, RecordType } from "./record.js";
import { scanLog } from "./scan.js";
import type { WalSnapshot } from "./types.js";

/** Checks every record from `snapshot` on; throws what `readAll` would, but never the tear. */
export async function verifyWal(dir: string, snapshot: WalSnapshot, fs: WalFs = nodeFs): Promise<void> {
  const segments = selectSegments(dir, await listSegments(fs, dir), snapshot.index);
  // A torn tail is where the log ends, as etcd's Verify has it; the snapshot must come before.
  const { matched } = await scanLog(fs, dir, segments, snapshot, {});
  if (!matched) throw new WalSnapshotNotFoundError();
}

/**
 * The snapshots the WAL recorded whose index is committed by its last hard state: the
 * candidates to restart from (pair with `Snapshotter.loadNewestAvailable`).
 */
export async function validSnapshotEntries(dir: string, fs: WalFs = nodeFs): Promise<WalSnapshot[]> {
  const segments = await listSegments(fs, dir);
  const snaps: WalSnapshot[] = [];
  let commit = 0;
  await decodeSegments(fs, dir, segments, (rec) => {
    if (rec.type === RecordType.snapshot) snaps.push(decodeWalSnapshot(rec.data));
    else if (rec.type === RecordType.state) commit = decodeHardState(rec.data).commit;
  });
  return snaps.filter((s) => s.index <= commit);
}
