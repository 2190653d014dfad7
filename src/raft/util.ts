// Sizes and small helpers shared across the raft core.
import type { Entry } from "./types.js";

/** No size limit (for `entries()` and friends). */
export const NO_LIMIT = Number.POSITIVE_INFINITY;

/** Bytes a non-negative integer (< 2^53) takes as a protobuf varint. */
export function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** The entry's encoded size in raftpb (what MaxSizePerMsg and friends count). */
export function entrySize(e: Entry): number {
  let size = 3 + varintSize(e.type) + varintSize(e.term) + varintSize(e.index);
  const n = e.data.length;
  if (n > 0) size += 1 + varintSize(n) + n;
  return size;
}

/** The application payload of an entry (what MaxUncommittedEntriesSize counts). */
export function payloadSize(e: Entry): number {
  return e.data.length;
}

export function payloadsSize(ents: readonly Entry[]): number {
  let s = 0;
  for (const e of ents) s += e.data.length;
  return s;
}

/**
 * How many entries of `ents[from..to)` fit in `maxSize` bytes: always at least one, so
 * a single oversized entry still makes progress.
 */
export function limitCount(ents: readonly Entry[], from: number, to: number, maxSize: number): number {
  if (to - from <= 1 || maxSize === NO_LIMIT) return to - from;
  let size = entrySize(ents[from]!);
  let n = 1;
  for (let i = from + 1; i < to; i++) {
    size += entrySize(ents[i]!);
    if (size > maxSize) break;
    n++;
  }
  return n;
}

/** The prefix of `ents` within `maxSize` bytes (at least one entry). */
export function limitSize(ents: Entry[], maxSize: number): Entry[] {
  const n = limitCount(ents, 0, ents.length, maxSize);
  return n === ents.length ? ents : ents.slice(0, n);
}
