// etcd's revision {main, sub} and its 17-byte form in the `key` bucket: 8-byte big-endian main,
// '_', 8-byte big-endian sub, plus a trailing 't' on tombstones.
import assert from "node:assert/strict";

export const REV_BYTES = 17;
const TOMBSTONE_MARK = 0x74; // 't'
const TWO_32 = 2 ** 32;

export interface Revision {
  main: number;
  sub: number;
}

function writeU64(buf: Buffer, n: number, at: number): void {
  buf.writeUInt32BE(Math.floor(n / TWO_32), at);
  buf.writeUInt32BE(n >>> 0, at + 4);
}

function readU64(buf: Buffer, at: number): number {
  return buf.readUInt32BE(at) * TWO_32 + buf.readUInt32BE(at + 4);
}

export function revToBytes(main: number, sub: number, tombstone = false): Buffer {
  assert.ok(Number.isSafeInteger(main) && main >= 0 && Number.isSafeInteger(sub) && sub >= 0, "bad revision");
  const buf = Buffer.allocUnsafe(tombstone ? REV_BYTES + 1 : REV_BYTES);
  writeU64(buf, main, 0);
  buf[8] = 0x5f; // '_'
  writeU64(buf, sub, 9);
  if (tombstone) buf[REV_BYTES] = TOMBSTONE_MARK;
  return buf;
}

export function bytesToRev(buf: Buffer): Revision {
  assert.ok(buf.length === REV_BYTES || buf.length === REV_BYTES + 1, "bad revision bytes");
  return { main: readU64(buf, 0), sub: readU64(buf, 9) };
}

export function isTombstone(revBytes: Buffer): boolean {
  return revBytes.length === REV_BYTES + 1 && revBytes[REV_BYTES] === TOMBSTONE_MARK;
}

/** The 16 bytes main+sub, as the index bucket appends them to a key. */
export function writeRevPair(buf: Buffer, at: number, main: number, sub: number): void {
  writeU64(buf, main, at);
  writeU64(buf, sub, at + 8);
}

export function readRevPair(buf: Buffer, at: number): Revision {
  return { main: readU64(buf, at), sub: readU64(buf, at + 8) };
}
