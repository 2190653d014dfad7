// Read-only checks over a WAL directory, as etcd's wal.Verify and
// wal.ValidSnapshotEntries: no lock taken, nothing written, a torn tail tolerated.
import { decodeSegments } from "./decoder.js";
import {
  WalCorruptError,
  WalFileNotFoundError,
  WalMetadataConflictError,
  WalSnapshotMismatchError,
  WalSnapshotNotFoundError,
} from "./errors.js";
import { nodeFs, type WalFs } from "./fs.js";
import { selectSegments, walSegments } from "./names.js";
import { decodeHardState, decodeWalSnapshot, RecordType } from "./record.js";
import type { WalSnapshot } from "./types.js";

/** Checks every record from `snapshot` on; throws what `readAll` would, but never the tear. */
export async function verifyWal(dir: string, snapshot: WalSnapshot, fs: WalFs = nodeFs): Promise<void> {
  const segments = selectSegments(dir, walSegments(await fs.readdir(dir)), snapshot.index);
  let metadata: Uint8Array | undefined;
  let matched = false;
  await decodeSegments(fs, dir, segments, (rec) => {
    const pos = { segment: rec.segment, offset: rec.offset };
    switch (rec.type) {
      case RecordType.metadata:
        if (metadata !== undefined && Buffer.compare(metadata, rec.data) !== 0) {
          throw new WalMetadataConflictError(pos);
        }
        metadata = rec.data;
        break;
      case RecordType.snapshot: {
        const s = decodeWalSnapshot(rec.data);
        if (s.index === snapshot.index) {
          if (s.term !== snapshot.term) throw new WalSnapshotMismatchError(pos);
          matched = true;
        }
        break;
      }
      case RecordType.entry:
      case RecordType.state:
      case RecordType.crc:
        break;
      default:
        throw new WalCorruptError(rec.segment, rec.offset, `unexpected block type ${rec.type}`);
    }
  });
  if (!matched) throw new WalSnapshotNotFoundError();
}

/**
 * The snapshots the WAL recorded whose index is committed by its last hard state: the
 * candidates to restart from (pair with `Snapshotter.loadNewestAvailable`).
 */
export async function validSnapshotEntries(dir: string, fs: WalFs = nodeFs): Promise<WalSnapshot[]> {
  const segments = walSegments(await fs.readdir(dir));
  const snaps: WalSnapshot[] = [];
  let commit = 0;
  if (segments.length === 0) throw new WalFileNotFoundError(dir);
  await decodeSegments(fs, dir, segments, (rec) => {
    if (rec.type === RecordType.snapshot) snaps.push(decodeWalSnapshot(rec.data));
    else if (rec.type === RecordType.state) commit = decodeHardState(rec.data).commit;
  });
  return snaps.filter((s) => s.index <= commit);
}
