// etcd's HashKV: a CRC-32C over the bucket name "key" and then each (revision bytes, value)
// of the `key` bucket up to `rev`, skipping revisions at or below the compaction that the
// compaction removes (or will remove) — exactly etcd 3.4's kvstore.go HashByRev.
import { Crc32c } from "../checksum/index.js";
import type { ReadTx } from "../storage/index.js";
import { decodeKeyValue } from "./kv.js";
import { INDEX_BUCKET, indexKey, KEY_BUCKET, LATEST_BUCKET, MARK_TOMBSTONE } from "./layout.js";
import { bytesToRev, isTombstone, readRevPair, revToBytes } from "./revision.js";

/** Whether revision (main, sub) of `key` is its live version at `rev` (etcd's keep set). */
function keptAt(tx: ReadTx, key: Buffer, main: number, sub: number, rev: number): boolean {
  for (const _ of tx.keys(INDEX_BUCKET, {
    start: indexKey(key, main, sub + 1),
    end: indexKey(key, rev + 1, 0),
    limit: 1,
  }))
    return false;
  return true;
}

/** Whether any key is live at `rev` (etcd hashes everything when its keep set is empty). */
function anyLiveAt(tx: ReadTx, rev: number, currentRev: number): boolean {
  if (rev === currentRev) {
    for (const _ of tx.keys(LATEST_BUCKET, { limit: 1 })) return true;
    return false;
  }
  let group: Buffer | undefined;
  let live = false;
  for (const { key: ik, value } of tx.scan(INDEX_BUCKET)) {
    const prefixLen = ik.length - 16;
    if (
      group === undefined ||
      group.length !== prefixLen ||
      ik.compare(group, 0, prefixLen, 0, prefixLen) !== 0
    ) {
      if (live) return true;
      group = ik.subarray(0, prefixLen);
      live = false;
    }
    if (readRevPair(ik, prefixLen).main <= rev) live = !value.equals(MARK_TOMBSTONE);
  }
  return live;
}

export function hashKV(tx: ReadTx, rev: number, compactRev: number, currentRev: number): number {
  const crc = new Crc32c();
  crc.update(Buffer.from(KEY_BUCKET));
  let keepEmpty: boolean | undefined;
  for (const { key: k, value } of tx.scan(KEY_BUCKET, { end: revToBytes(rev + 1, 0) })) {
    const r = bytesToRev(k);
    if (r.main <= compactRev) {
      const kept = !isTombstone(k) && keptAt(tx, decodeKeyValue(value, true).key, r.main, r.sub, rev);
      if (!kept) {
        keepEmpty ??= !anyLiveAt(tx, rev, currentRev);
        if (!keepEmpty) continue;
      }
    }
    crc.update(k);
    crc.update(value);
  }
  return crc.digest();
}
