// The records of the `kv_latest` bucket: each live key's current version. A value is
// stored once, in etcd's `key` bucket: the record holds the key-value without its value
// and the sub revision of the full copy. Only tiny values (flags, lock owners) are kept
// inline, where a copy costs no more than the reference. Keeping this bucket small matters
// because puts land on random pages of it and every dirty page is written at commit:
// copying 256-byte values here cost compare.sh's put-1000 about 7% of its throughput.
//
//   inline:    mvccpb.KeyValue (begins with 0x0a: field 1, the non-empty key)
//   reference: 0xff, 8-byte big-endian sub revision, mvccpb.KeyValue without value

import assert from "node:assert/strict";
import type { ReadTx } from "../storage/index.js";
import { decodeKeyValue, encodeKeyValue, type KeyValue } from "./kv.js";
import { KEY_BUCKET } from "./layout.js";
import { revToBytes } from "./revision.js";

export const LATEST_INLINE_MAX_BYTES = 32;
const REFERENCE = 0xff;
const EMPTY = Buffer.alloc(0);

/** The latest record for `kv`, written at sub revision `sub` of its main revision. */
export function encodeLatest(kv: KeyValue, sub: number, full: Buffer): Buffer {
  if (kv.value.length <= LATEST_INLINE_MAX_BYTES) return full;
  const head = Buffer.alloc(9);
  head[0] = REFERENCE;
  head.writeBigUInt64BE(BigInt(sub), 1);
  return Buffer.concat([head, encodeKeyValue({ ...kv, value: EMPTY })]);
}

/** The key-value a latest record stands for; its value is fetched only when wanted. */
export function decodeLatest(tx: ReadTx, bytes: Buffer, keysOnly = false): KeyValue {
  if (bytes[0] !== REFERENCE) return decodeKeyValue(bytes, keysOnly);
  const kv = decodeKeyValue(bytes.subarray(9), true);
  if (keysOnly) return kv;
  const sub = Number(bytes.readBigUInt64BE(1));
  const full = tx.get(KEY_BUCKET, revToBytes(kv.modRevision, sub));
  assert.ok(full !== undefined, `mvcc: latest record points at missing revision ${kv.modRevision}.${sub}`);
  return { ...kv, value: decodeKeyValue(full).value };
}
