// Segment and snap file names: `%016x-%016x.wal` (sequence, first raft index) and
// `%016x-%016x.snap` (term, index). Fixed-width hex, so name order is numeric order.
import { WalFileNotFoundError } from "./errors.js";
import type { WalFs } from "./fs.js";

const WAL_NAME = /^([0-9a-f]{16})-([0-9a-f]{16})\.wal$/;
const SNAP_NAME = /^([0-9a-f]{16})-([0-9a-f]{16})\.snap$/;

function hex16(n: number): string {
  return n.toString(16).padStart(16, "0");
}

export function walName(seq: number, index: number): string {
  return `${hex16(seq)}-${hex16(index)}.wal`;
}

export interface SegmentName {
  readonly name: string;
  readonly seq: number;
  /** The raft index of the first entry the segment may hold. */
  readonly index: number;
}

export function parseWalName(name: string): SegmentName | undefined {
  const m = WAL_NAME.exec(name);
  if (m === null) return undefined;
  return { name, seq: Number.parseInt(m[1]!, 16), index: Number.parseInt(m[2]!, 16) };
}

export function snapName(term: number, index: number): string {
  return `${hex16(term)}-${hex16(index)}.snap`;
}

export function parseSnapName(name: string): { term: number; index: number } | undefined {
  const m = SNAP_NAME.exec(name);
  if (m === null) return undefined;
  return { term: Number.parseInt(m[1]!, 16), index: Number.parseInt(m[2]!, 16) };
}

/** The WAL segments among directory entries, in order; other files are ignored. */
export function walSegments(entries: readonly string[]): SegmentName[] {
  const out: SegmentName[] = [];
  for (const e of entries) {
    const s = parseWalName(e);
    if (s !== undefined) out.push(s);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The segments to read when starting from a snapshot at `snapIndex`: from the last one
 * whose first index is <= snapIndex to the end, which must be an unbroken sequence.
 */
export function selectSegments(dir: string, all: readonly SegmentName[], snapIndex: number): SegmentName[] {
  let start = -1;
  for (let i = all.length - 1; i >= 0; i--) {
    if (snapIndex >= all[i]!.index) {
      start = i;
      break;
    }
  }
  if (start < 0) throw new WalFileNotFoundError(dir);
  const chosen = all.slice(start);
  for (let i = 1; i < chosen.length; i++) {
    if (chosen[i]!.seq !== chosen[i - 1]!.seq + 1) throw new WalFileNotFoundError(dir);
  }
  return chosen;
}

/** The segments in `dir`, in order; WalFileNotFoundError if the directory or its segments are missing. */
export async function listSegments(fs: WalFs, dir: string): Promise<SegmentName[]> {
  const names = await fs.readdir(dir).catch((err: NodeJS.ErrnoException) => {
    throw err.code === "ENOENT" ? new WalFileNotFoundError(dir) : err;
  });
  const segments = walSegments(names);
  if (segments.length === 0) throw new WalFileNotFoundError(dir);
  return segments;
}
