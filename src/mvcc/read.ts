// Ranges over committed state (or a write transaction's own view) at any uncompacted revision.

import type { ReadTx } from "../storage/index.js";
import { ErrCompacted, ErrFutureRev } from "./errors.js";
import { decodeKeyValue, type KeyValue } from "./kv.js";
import { decodeLatest } from "./latest.js";
import {
  INDEX_BUCKET,
  indexKey,
  indexKeyPrefix,
  isFromKey,
  KEY_BUCKET,
  LATEST_BUCKET,
  MARK_TOMBSTONE,
} from "./layout.js";
import { readRevPair, revToBytes } from "./revision.js";

export interface RangeOptions {
  /** Read at this revision; 0 or omitted means the current one. */
  revision?: number;
  /** At most this many kvs (count still counts every match); 0 or omitted means all. */
  limit?: number;
  /** Only the count: no kvs. */
  countOnly?: boolean;
  /** kvs without values. */
  keysOnly?: boolean;
}

export interface RangeResult {
  kvs: KeyValue[];
  /** Every key matching, regardless of limit. */
  count: number;
  /** The store's current revision when read. */
  revision: number;
}

/** The range [key, rangeEnd): empty rangeEnd is the single key, "\0" every key >= key. */
export function readRange(
  tx: ReadTx,
  currentRev: number,
  compactRev: number,
  key: Buffer,
  rangeEnd: Buffer | undefined,
  options: RangeOptions,
): RangeResult {
  let rev = options.revision ?? 0;
  if (rev > currentRev) throw new ErrFutureRev();
  if (rev <= 0) rev = currentRev;
  if (rev < compactRev) throw new ErrCompacted();
  const limit = options.limit !== undefined && options.limit > 0 ? options.limit : Number.POSITIVE_INFINITY;
  const single = rangeEnd === undefined || rangeEnd.length === 0;
  const end = single || isFromKey(rangeEnd) ? undefined : rangeEnd;
  if (!single && end !== undefined && Buffer.compare(key, end) >= 0)
    return { kvs: [], count: 0, revision: currentRev };
  const found =
    rev === currentRev
      ? single
        ? latestGet(tx, key, options)
        : latestRange(tx, key, end, limit, options)
      : single
        ? historyGet(tx, key, rev, options)
        : historyRange(tx, key, end, rev, limit, options);
  return { kvs: found.kvs, count: found.count, revision: currentRev };
}

interface Found {
  kvs: KeyValue[];
  count: number;
}

function latestGet(tx: ReadTx, key: Buffer, options: RangeOptions): Found {
  if (key.length === 0) return { kvs: [], count: 0 };
  const bytes = tx.get(LATEST_BUCKET, key);
  if (bytes === undefined) return { kvs: [], count: 0 };
  if (options.countOnly === true) return { kvs: [], count: 1 };
  return { kvs: [decodeLatest(tx, bytes, options.keysOnly === true)], count: 1 };
}

function latestRange(
  tx: ReadTx,
  key: Buffer,
  end: Buffer | undefined,
  limit: number,
  options: RangeOptions,
): Found {
  const bounds = { start: key, ...(end !== undefined ? { end } : {}) };
  if (options.countOnly === true) return { kvs: [], count: tx.count(LATEST_BUCKET, bounds) };
  const kvs: KeyValue[] = [];
  const keysOnly = options.keysOnly === true;
  const scan = Number.isFinite(limit) ? { ...bounds, limit } : bounds;
  for (const { value } of tx.scan(LATEST_BUCKET, scan)) kvs.push(decodeLatest(tx, value, keysOnly));
  const count = kvs.length < limit ? kvs.length : tx.count(LATEST_BUCKET, bounds);
  return { kvs, count };
}

/** The newest index entry of `key` at or below `rev`, if the key is live there. */
export function liveRevisionAt(
  tx: ReadTx,
  key: Buffer,
  rev: number,
): { main: number; sub: number } | undefined {
  if (key.length === 0) return undefined;
  const prefix = indexKeyPrefix(key);
  for (const { key: ik, value } of tx.scan(INDEX_BUCKET, {
    start: prefix,
    end: indexKey(key, rev + 1, 0),
    reverse: true,
    limit: 1,
  })) {
    if (value.equals(MARK_TOMBSTONE)) return undefined;
    return readRevPair(ik, ik.length - 16);
  }
  return undefined;
}

function fetch(tx: ReadTx, main: number, sub: number, keysOnly: boolean): KeyValue {
  const bytes = tx.get(KEY_BUCKET, revToBytes(main, sub));
  if (bytes === undefined) throw new Error(`mvcc: index points at missing revision ${main}.${sub}`);
  return decodeKeyValue(bytes, keysOnly);
}

function historyGet(tx: ReadTx, key: Buffer, rev: number, options: RangeOptions): Found {
  const at = liveRevisionAt(tx, key, rev);
  if (at === undefined) return { kvs: [], count: 0 };
  if (options.countOnly === true) return { kvs: [], count: 1 };
  return { kvs: [fetch(tx, at.main, at.sub, options.keysOnly === true)], count: 1 };
}

/** One ordered pass over every revision of the keys in range, keeping each key's newest <= rev. */
function historyRange(
  tx: ReadTx,
  key: Buffer,
  end: Buffer | undefined,
  rev: number,
  limit: number,
  options: RangeOptions,
): Found {
  const kvs: KeyValue[] = [];
  let count = 0;
  const wantKvs = options.countOnly !== true;
  const keysOnly = options.keysOnly === true;
  let group: Buffer | undefined;
  let liveMain = -1;
  let liveSub = 0;
  const emit = () => {
    if (liveMain < 0) return;
    count++;
    if (wantKvs && kvs.length < limit) kvs.push(fetch(tx, liveMain, liveSub, keysOnly));
  };
  const bounds = {
    ...(key.length > 0 ? { start: indexKeyPrefix(key) } : {}),
    ...(end !== undefined ? { end: indexKeyPrefix(end) } : {}),
  };
  for (const { key: ik, value } of tx.scan(INDEX_BUCKET, bounds)) {
    const prefixLen = ik.length - 16;
    if (
      group === undefined ||
      group.length !== prefixLen ||
      ik.compare(group, 0, prefixLen, 0, prefixLen) !== 0
    ) {
      emit();
      group = ik.subarray(0, prefixLen);
      liveMain = -1;
    }
    const r = readRevPair(ik, prefixLen);
    if (r.main > rev) continue;
    if (value.equals(MARK_TOMBSTONE)) {
      liveMain = -1;
    } else {
      liveMain = r.main;
      liveSub = r.sub;
    }
  }
  emit();
  return { kvs, count };
}
