// Where the MVCC store keeps what (README.md shows a worked example):
//   key        etcd's bucket: 17-byte revision (+'t' for tombstones) -> mvccpb.KeyValue
//   kv_index   escaped user key, 00 00, 8-byte main, 8-byte sub -> 1 byte (put / tombstone):
//              every revision of every key, in (key, revision) order
//   kv_latest  user key -> mvccpb.KeyValue of its live version (absent once deleted)
//   meta       scheduledCompactRev / finishedCompactRev, as etcd writes them
import { ErrKeyTooLarge } from "./errors.js";
import { writeRevPair } from "./revision.js";

export const KEY_BUCKET = "key";
export const META_BUCKET = "meta";
export const INDEX_BUCKET = "kv_index";
export const LATEST_BUCKET = "kv_latest";
export const MVCC_BUCKETS = [KEY_BUCKET, META_BUCKET, INDEX_BUCKET, LATEST_BUCKET] as const;

export const SCHEDULED_COMPACT_KEY = Buffer.from("scheduledCompactRev");
export const FINISHED_COMPACT_KEY = Buffer.from("finishedCompactRev");

export const MARK_PUT = Buffer.from([0]);
export const MARK_TOMBSTONE = Buffer.from([1]);

/** LMDB's key limit (lmdb-js builds LMDB with 1978-byte keys). */
const MAX_LMDB_KEY = 1978;
/** Index suffix: 00 00 terminator + 16 bytes of revision. */
const INDEX_SUFFIX = 18;
export const MAX_USER_KEY_BYTES = MAX_LMDB_KEY - INDEX_SUFFIX;

/** The user key with each 00 byte escaped as 00 FF, then the 00 00 terminator. Preserves
 * byte order, and no escaped key is a prefix of another's entries. */
export function indexKeyPrefix(key: Buffer, extra = 0): Buffer {
  let zeros = 0;
  for (let i = 0; i < key.length; i++) if (key[i] === 0) zeros++;
  const len = key.length + zeros + 2;
  if (len + 16 > MAX_LMDB_KEY) throw new ErrKeyTooLarge(MAX_USER_KEY_BYTES - zeros);
  const out = Buffer.allocUnsafe(len + extra);
  if (zeros === 0) {
    key.copy(out, 0);
  } else {
    let j = 0;
    for (let i = 0; i < key.length; i++) {
      const b = key[i]!;
      out[j++] = b;
      if (b === 0) out[j++] = 0xff;
    }
  }
  out[len - 2] = 0;
  out[len - 1] = 0;
  return out;
}

export function indexKey(key: Buffer, main: number, sub: number): Buffer {
  const out = indexKeyPrefix(key, 16);
  writeRevPair(out, out.length - 16, main, sub);
  return out;
}

/** Checks a key fits the layout before anything is written. */
export function checkKeySize(key: Buffer): void {
  indexKeyPrefix(key);
}

/** The byte string right after every string starting with `key` (for exclusive bounds). */
export function keyAfter(key: Buffer): Buffer {
  return Buffer.concat([key, Buffer.from([0])]);
}

export function isFromKey(rangeEnd: Buffer | undefined): boolean {
  return rangeEnd !== undefined && rangeEnd.length === 1 && rangeEnd[0] === 0;
}
