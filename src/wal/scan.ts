// The walk over a WAL's records shared by `readAll` and `verifyWal`: the metadata must
// agree across segments, the snapshot to start from must be recorded with its term, and
// unknown record types are corruption. Entries and hard states go to the caller.
import { decodeSegments, type LogEnd } from "./decoder.js";
import {
  WalCorruptError,
  WalMetadataConflictError,
  type WalPosition,
  WalSnapshotMismatchError,
} from "./errors.js";
import type { WalFs } from "./fs.js";
import type { SegmentName } from "./names.js";
import { decodeEntry, decodeHardState, decodeWalSnapshot, RecordType } from "./record.js";
import type { WalEntry, WalHardState, WalSnapshot } from "./types.js";

export interface ScanVisitor {
  entry?(e: WalEntry, pos: WalPosition): void;
  state?(s: WalHardState): void;
}

export interface Scan {
  readonly metadata: Buffer | undefined;
  /** Whether the snapshot to start from was recorded (with its term). */
  readonly matched: boolean;
  readonly end: LogEnd;
}

/** Reads `segments`, with `start` as the snapshot the reader starts from. */
export async function scanLog(
  fs: WalFs,
  dir: string,
  segments: readonly SegmentName[],
  start: WalSnapshot,
  visit: ScanVisitor,
): Promise<Scan> {
  let metadata: Buffer | undefined;
  let matched = false;
  const end = await decodeSegments(fs, dir, segments, (rec) => {
    const pos = { segment: rec.segment, offset: rec.offset };
    switch (rec.type) {
      case RecordType.entry:
        visit.entry?.(decodeEntry(rec.data), pos);
        break;
      case RecordType.state:
        visit.state?.(decodeHardState(rec.data));
        break;
      case RecordType.metadata:
        if (metadata !== undefined && !metadata.equals(rec.data)) throw new WalMetadataConflictError(pos);
        metadata = Buffer.from(rec.data);
        break;
      case RecordType.crc:
        break;
      case RecordType.snapshot: {
        const s = decodeWalSnapshot(rec.data);
        if (s.index === start.index) {
          if (s.term !== start.term) throw new WalSnapshotMismatchError(pos);
          matched = true;
        }
        break;
      }
      default:
        throw new WalCorruptError(rec.segment, rec.offset, `unexpected block type ${rec.type}`);
    }
  });
  return { metadata, matched, end };
}
