// The records of the `kv_latest` bucket: each live key's current version. Values up to
// LATEST_INLINE_MAX_BYTES are kept inline, so a range at the current revision reads them
// in its one ordered scan; a larger value is not stored twice: the record holds the
// key-value without its value and where the full copy in etcd's `key` bucket is.
// Measured both ways with 256-byte values: referencing them costs compare.sh's k8s
// workload (paginated lists) about 30% more CPU per request, one lookup per listed key;
// copying them costs put-1000 about 7% of its throughput in commit writes.
//
//   inline:    mvccpb.KeyValue (begins with 0x0a: field 1, the non-empty key)
//   reference: 0xfe, the 17-byte `key` bucket key of the full copy, mvccpb.KeyValue
//              without value (a read with values needs one lookup and one decode)
//   sub reference (earlier builds wrote these for values over 1 KiB; still read): 0xff,
//              8-byte big-endian sub revision, mvccpb.KeyValue without value

import assert from "node:assert/strict";
import type { ReadTx } from "../storage/index.js";
import { decodeKeyValue, encodeKeyValue, type KeyValue } from "./kv.js";
import { KEY_BUCKET } from "./layout.js";
import { REV_BYTES, revToBytes } from "./revision.js";

export const LATEST_INLINE_MAX_BYTES = 1024;
const REFERENCE = 0xfe;
const SUB_REFERENCE = 0xff;
const EMPTY = Buffer.alloc(0);

/** The latest record for `kv`, whose full copy `full` is stored under `revKey` in `key`. */
export function encodeLatest(kv: KeyValue, revKey: Buffer, full: Buffer): Buffer {
  if (kv.value.length <= LATEST_INLINE_MAX_BYTES) return full;
  assert.equal(revKey.length, REV_BYTES, "latest: a reference names a live revision");
  return Buffer.concat([Buffer.of(REFERENCE), revKey, encodeKeyValue({ ...kv, value: EMPTY })]);
}

/** The key-value a latest record stands for; its value is fetched only when wanted. */
export function decodeLatest(tx: ReadTx, bytes: Buffer, keysOnly = false): KeyValue {
  const kind = bytes[0];
  if (kind === REFERENCE) {
    if (keysOnly) return decodeKeyValue(bytes.subarray(1 + REV_BYTES), true);
    return decodeKeyValue(fullCopy(tx, bytes.subarray(1, 1 + REV_BYTES)));
  }
  if (kind !== SUB_REFERENCE) return decodeKeyValue(bytes, keysOnly);
  const kv = decodeKeyValue(bytes.subarray(9), true);
  if (keysOnly) return kv;
  const sub = Number(bytes.readBigUInt64BE(1));
  return { ...kv, value: decodeKeyValue(fullCopy(tx, revToBytes(kv.modRevision, sub))).value };
}

function fullCopy(tx: ReadTx, revKey: Buffer): Buffer {
  const full = tx.get(KEY_BUCKET, revKey);
  assert.ok(full !== undefined, `mvcc: latest record points at missing revision ${revKey.toString("hex")}`);
  return full;
}
