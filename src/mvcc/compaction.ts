// Physical compaction at revision `rev`: for every key, the revisions at or below `rev` go,
// except the newest one if it is not a tombstone. Works through the `key` bucket's revisions
// above the previous compaction in batches, each its own backend transaction.
import type { Backend, WriteTx } from "../storage/index.js";
import { decodeKeyValue } from "./kv.js";
import {
  FINISHED_COMPACT_KEY,
  INDEX_BUCKET,
  indexKey,
  indexKeyPrefix,
  KEY_BUCKET,
  keyAfter,
  MARK_TOMBSTONE,
  META_BUCKET,
} from "./layout.js";
import { readRevPair, revToBytes } from "./revision.js";

/** Removes the history of `key` at or below `rev` except its live version there. */
function compactKey(tx: WriteTx, key: Buffer, rev: number): number {
  const entries = [...tx.scan(INDEX_BUCKET, { start: indexKeyPrefix(key), end: indexKey(key, rev + 1, 0) })];
  const last = entries[entries.length - 1];
  const keepLast = last !== undefined && !last.value.equals(MARK_TOMBSTONE);
  let removed = 0;
  for (let i = 0; i < entries.length - (keepLast ? 1 : 0); i++) {
    const { key: ik, value } = entries[i]!;
    const r = readRevPair(ik, ik.length - 16);
    tx.delete(INDEX_BUCKET, ik);
    tx.delete(KEY_BUCKET, revToBytes(r.main, r.sub, value.equals(MARK_TOMBSTONE)));
    removed++;
  }
  return removed;
}

/**
 * One batch: up to `limit` revisions of the `key` bucket from `cursor` up to `rev`.
 * Returns the next cursor, or undefined when the compaction is finished (and recorded).
 */
export function compactBatch(
  backend: Backend,
  rev: number,
  cursor: Buffer,
  limit: number,
): Buffer | undefined {
  return backend.write((tx) => {
    const entries = [...tx.scan(KEY_BUCKET, { start: cursor, end: revToBytes(rev + 1, 0), limit })];
    const done = new Set<string>();
    for (const { value } of entries) {
      const { key } = decodeKeyValue(value, true);
      const id = key.toString("latin1");
      if (done.has(id)) continue;
      done.add(id);
      compactKey(tx, key, rev);
    }
    if (entries.length < limit) {
      tx.put(META_BUCKET, FINISHED_COMPACT_KEY, revToBytes(rev, 0));
      return undefined;
    }
    return keyAfter(entries[entries.length - 1]!.key);
  });
}

/** Runs a whole compaction in batches, yielding to the event loop between them. */
export async function runCompaction(
  backend: Backend,
  fromRev: number,
  rev: number,
  limit: number,
  stopped: () => boolean,
): Promise<void> {
  let cursor: Buffer | undefined = revToBytes(fromRev + 1, 0);
  while (!stopped()) {
    cursor = compactBatch(backend, rev, cursor, limit);
    if (cursor === undefined) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
