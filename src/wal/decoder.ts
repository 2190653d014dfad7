// Reads records back from segment files, checking each against the CRC chain. A record
// that ends early, or fails its checks while a whole disk sector of it is still zeros,
// is a torn write if it is in the last segment: the log ends before it. Anything else
// that fails is corruption, reported with the segment and offset.
import { join } from "node:path";
import { crc32c } from "../checksum/index.js";
import { toNumber, walpb } from "../proto/index.js";
import {
  WalCorruptError,
  WalCrcMismatchError,
  WalMaxEntrySizeError,
  WalUnexpectedEofError,
} from "./errors.js";
import type { WalFs } from "./fs.js";
import type { SegmentName } from "./names.js";
import { FRAME_SIZE_BYTES, MAX_RECORD_BYTES, MIN_SECTOR_BYTES, RecordType, readFrameSize } from "./record.js";

export interface DecodedRecord {
  readonly type: number;
  readonly crc: number;
  /** A view into the segment's bytes: copy what must outlive the visit. */
  readonly data: Uint8Array;
  readonly segment: string;
  /** Offset of the record's length word in its segment. */
  readonly offset: number;
}

export interface SegmentEnd {
  /** `eof`: the records ended cleanly; `torn`: a torn record follows `offset`. */
  readonly kind: "eof" | "torn";
  /** Offset just after the last valid record. */
  readonly offset: number;
  /** The running CRC after the last valid record. */
  readonly crc: number;
  readonly torn?: WalUnexpectedEofError;
}

/**
 * Decodes the records of one segment, starting with running CRC `crc`. `isLast` allows
 * a torn tail; in an earlier segment the same damage is corruption.
 */
export function decodeSegment(
  name: string,
  buf: Buffer,
  isLast: boolean,
  crc: number,
  visit: (rec: DecodedRecord) => void,
): SegmentEnd {
  let off = 0;
  let running = crc;
  const early = (at: number, detail: string): SegmentEnd => {
    if (!isLast) throw new WalCorruptError(name, at, detail);
    return { kind: "torn", offset: off, crc: running, torn: new WalUnexpectedEofError(name, at) };
  };
  for (;;) {
    if (off === buf.length) return { kind: "eof", offset: off, crc: running };
    if (off + FRAME_SIZE_BYTES > buf.length) return early(off, "segment ends inside a length word");
    const { recordBytes, padBytes } = readFrameSize(buf, off);
    // A zero length word is the end of the records (the rest is preallocated space).
    if (recordBytes === 0 && padBytes === 0) return { kind: "eof", offset: off, crc: running };
    if (recordBytes >= MAX_RECORD_BYTES - padBytes) throw new WalMaxEntrySizeError(name, off);
    const start = off + FRAME_SIZE_BYTES;
    const end = start + recordBytes + padBytes;
    if (end > buf.length) return early(off, "segment ends inside a record");
    const body = buf.subarray(start, start + recordBytes);
    const torn = isLast && hasZeroSector(buf, start, end);
    let rec: walpb.Record;
    try {
      rec = walpb.Record.decode(body);
    } catch (err) {
      if (torn) return early(off, "");
      throw new WalCorruptError(name, off, `undecodable record: ${(err as Error).message}`);
    }
    const type = toNumber(rec.type);
    const data = rec.data;
    if (type === RecordType.crc) {
      // A segment's first record carries the CRC so far; it must continue the chain
      // unless reading starts here (running CRC still 0).
      if (running !== 0 && rec.crc !== running) throw new WalCrcMismatchError(name, off, "wal: crc mismatch");
      running = rec.crc;
    } else {
      const next = crc32c(data, running);
      if (rec.crc !== next) {
        if (torn) return early(off, "");
        throw new WalCrcMismatchError(name, off);
      }
      running = next;
    }
    visit({ type, crc: rec.crc, data, segment: name, offset: off });
    off = end;
  }
}

/** Whether any disk sector's share of buf[start, end) is all zeros: a write that never landed. */
function hasZeroSector(buf: Buffer, start: number, end: number): boolean {
  let chunkStart = start;
  while (chunkStart < end) {
    const chunkEnd = Math.min(end, (Math.floor(chunkStart / MIN_SECTOR_BYTES) + 1) * MIN_SECTOR_BYTES);
    let zero = true;
    for (let i = chunkStart; i < chunkEnd; i++) {
      if (buf[i] !== 0) {
        zero = false;
        break;
      }
    }
    if (zero) return true;
    chunkStart = chunkEnd;
  }
  return false;
}

export interface LogEnd extends SegmentEnd {
  /** The last segment read. */
  readonly segment: SegmentName;
  /** The last segment's bytes as read: its records, and possibly some bytes after them. */
  readonly tailBytes: Buffer;
}

const READ_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Reads a segment up to the end of its records: segments are preallocated (64 MB) and
 * mostly zeros, so reading stops at the first zero length word past what was read.
 */
export async function readSegmentRecords(fs: WalFs, path: string): Promise<Buffer> {
  const file = await fs.open(path, "read");
  try {
    const size = await file.size();
    let buf = Buffer.alloc(Math.min(size, READ_CHUNK_BYTES));
    let read = 0;
    let scan = 0; // offset of the next length word to look at
    while (read < size) {
      if (read === buf.length) {
        const grown = Buffer.alloc(Math.min(size, buf.length * 2));
        buf.copy(grown, 0, 0, read);
        buf = grown;
      }
      const chunk = await file.read(Math.min(READ_CHUNK_BYTES, buf.length - read), read);
      if (chunk.length === 0) break;
      chunk.copy(buf, read);
      read += chunk.length;
      // Walk length words over what is in memory; a zero one ends the records.
      while (scan + FRAME_SIZE_BYTES <= read) {
        const { recordBytes, padBytes } = readFrameSize(buf, scan);
        if (recordBytes === 0 && padBytes === 0) return buf.subarray(0, read);
        if (recordBytes >= MAX_RECORD_BYTES - padBytes) return buf.subarray(0, read); // the decoder reports it
        scan += FRAME_SIZE_BYTES + recordBytes + padBytes;
      }
    }
    return buf.subarray(0, read);
  } finally {
    await file.close();
  }
}

/** Decodes `segments` of `dir` in order, one file in memory at a time. */
export async function decodeSegments(
  fs: WalFs,
  dir: string,
  segments: readonly SegmentName[],
  visit: (rec: DecodedRecord) => void,
): Promise<LogEnd> {
  let crc = 0;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const bytes = await readSegmentRecords(fs, join(dir, seg.name));
    const isLast = i === segments.length - 1;
    const end = decodeSegment(seg.name, bytes, isLast, crc, visit);
    if (isLast) return { ...end, segment: seg, tailBytes: bytes };
    crc = end.crc;
  }
  throw new Error("decodeSegments: no segments");
}
