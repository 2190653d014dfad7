// One WAL record on disk: an 8-byte little-endian length word, a walpb.Record
// {type, crc, data} and zero padding to 8-byte alignment. The length word holds the
// record's size in its low 56 bits; if padding follows, its top byte is 0x80 | padBytes.
// Alignment keeps the length word inside one sector, so a crash never tears it.
import assert from "node:assert/strict";
import { idToLong, raftpb, toId, toNumber, walpb } from "../proto/index.js";
import type { WalEntry, WalHardState, WalSnapshot } from "./types.js";

export const RecordType = {
  metadata: 1,
  entry: 2,
  state: 3,
  crc: 4,
  snapshot: 5,
} as const;

export const FRAME_SIZE_BYTES = 8;
/** Torn writes are judged per disk sector of this size. */
export const MIN_SECTOR_BYTES = 512;
/** etcd's decoder refuses records of this size or more (maxWALEntrySizeLimit). */
export const MAX_RECORD_BYTES = 10 * 1024 * 1024;

export interface FrameSize {
  readonly recordBytes: number;
  readonly padBytes: number;
}

export function padBytesFor(recordBytes: number): number {
  return (8 - (recordBytes % 8)) % 8;
}

/** Writes the length word for a record of `recordBytes` at `off`; returns the padding. */
export function writeFrameSize(buf: Buffer, off: number, recordBytes: number): number {
  assert.ok(Number.isSafeInteger(recordBytes) && recordBytes >= 0 && recordBytes < 2 ** 48);
  const padBytes = padBytesFor(recordBytes);
  const high = Math.floor(recordBytes / 2 ** 32) | (padBytes === 0 ? 0 : (0x80 | padBytes) << 24);
  buf.writeUInt32LE(recordBytes >>> 0, off);
  buf.writeUInt32LE(high >>> 0, off + 4);
  return padBytes;
}

/** Reads the length word at `off` (8 bytes must be there). */
export function readFrameSize(buf: Buffer, off: number): FrameSize {
  const low = buf.readUInt32LE(off);
  const high = buf.readUInt32LE(off + 4);
  const top = high >>> 24;
  // Padding is flagged by the top bit (a negative int64 in Go); its count sits in the low 3 bits.
  const padBytes = top & 0x80 ? top & 0x7 : 0;
  return { recordBytes: (high & 0xffffff) * 2 ** 32 + low, padBytes };
}

/** The full frame (length word, walpb.Record, padding) for one record. */
export function frameRecord(type: number, crc: number, data: Uint8Array | undefined): Buffer {
  const rec: walpb.IRecord = { type, crc };
  if (data !== undefined) rec.data = data;
  const body = walpb.Record.encode(rec).finish();
  const padBytes = padBytesFor(body.length);
  const frame = Buffer.allocUnsafe(FRAME_SIZE_BYTES + body.length + padBytes);
  writeFrameSize(frame, 0, body.length);
  frame.set(body, FRAME_SIZE_BYTES);
  frame.fill(0, FRAME_SIZE_BYTES + body.length);
  return frame;
}

// Payload codecs: raftpb.Entry, raftpb.HardState and walpb.Snapshot, field for field
// as etcd writes them (every scalar present, data only when non-empty).

export function encodeEntry(e: WalEntry): Uint8Array {
  const msg: raftpb.IEntry = { Type: e.type, Term: e.term, Index: e.index };
  if (e.data.length > 0) msg.Data = e.data;
  return raftpb.Entry.encode(msg).finish();
}

/** Decodes an entry; its data is copied so it does not pin the segment's buffer. */
export function decodeEntry(bytes: Uint8Array): WalEntry {
  const m = raftpb.Entry.decode(bytes);
  return {
    term: toNumber(m.Term),
    index: toNumber(m.Index),
    type: m.Type,
    data: Buffer.from(m.Data),
  };
}

export function encodeHardState(s: WalHardState): Uint8Array {
  return raftpb.HardState.encode({ term: s.term, vote: idToLong(s.vote), commit: s.commit }).finish();
}

export function decodeHardState(bytes: Uint8Array): WalHardState {
  const m = raftpb.HardState.decode(bytes);
  return { term: toNumber(m.term), vote: toId(m.vote), commit: toNumber(m.commit) };
}

export function encodeWalSnapshot(s: WalSnapshot): Uint8Array {
  return walpb.Snapshot.encode({ index: s.index, term: s.term }).finish();
}

export function decodeWalSnapshot(bytes: Uint8Array): WalSnapshot {
  const m = walpb.Snapshot.decode(bytes);
  return { index: toNumber(m.index), term: toNumber(m.term) };
}

export function recordTypeName(type: number): string {
  for (const [name, value] of Object.entries(RecordType)) if (value === type) return name;
  return `unknown(${type})`;
}
