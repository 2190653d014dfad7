// One MVCC write transaction inside the caller's backend transaction: every change gets the
// same main revision (beginRev + 1) and its own sub revision, in order.

import assert from "node:assert/strict";
import type { WriteTx } from "../storage/index.js";
import { encodeKeyValue, encodeTombstone, type KeyValue } from "./kv.js";
import { decodeLatest, encodeLatest } from "./latest.js";
import {
  checkKeySize,
  INDEX_BUCKET,
  indexKey,
  isFromKey,
  KEY_BUCKET,
  LATEST_BUCKET,
  MARK_PUT,
  MARK_TOMBSTONE,
} from "./layout.js";
import { type RangeOptions, type RangeResult, readRange } from "./read.js";
import { revToBytes } from "./revision.js";

export type EventType = "put" | "delete";

export interface Event {
  type: EventType;
  /** For a delete: only key and modRevision are set, as in etcd. */
  kv: KeyValue;
  /** The key's previous version, if it had one. */
  prevKv?: KeyValue;
}

/** Lets the lease layer track which keys hang on which lease. */
export interface LeaseHooks {
  attach(lease: bigint, key: Buffer): void;
  detach(lease: bigint, key: Buffer): void;
}

export interface WriteResult {
  /** The new revision, or the unchanged current one if nothing changed. */
  revision: number;
  events: Event[];
}

/** What the store hands a write transaction and learns back from it. */
export interface WriteContext {
  beginRev: number;
  compactRev: () => number;
  hooks: LeaseHooks | undefined;
  /** Called once by end() when something changed. */
  finish(rev: number, events: Event[]): void;
  /** Called once by end(). */
  done(): void;
}

const EMPTY = Buffer.alloc(0);

export class MvccWriteTxn {
  private readonly events: Event[] = [];
  private ended = false;

  constructor(
    private readonly tx: WriteTx,
    private readonly ctx: WriteContext,
  ) {}

  /** The revision reads in this transaction see: including its own changes. */
  get revision(): number {
    return this.events.length > 0 ? this.ctx.beginRev + 1 : this.ctx.beginRev;
  }

  range(key: Buffer, rangeEnd?: Buffer, options: RangeOptions = {}): RangeResult {
    assert.ok(!this.ended, "mvcc: write txn already ended");
    return readRange(this.tx, this.revision, this.ctx.compactRev(), key, rangeEnd, options);
  }

  /** Puts key=value; returns the version it replaced, if any. */
  put(key: Buffer, value: Buffer, lease: bigint = 0n): KeyValue | undefined {
    assert.ok(!this.ended, "mvcc: write txn already ended");
    assert.ok(key.length > 0, "mvcc: empty key");
    checkKeySize(key);
    const rev = this.ctx.beginRev + 1;
    const sub = this.events.length;
    const prevBytes = this.tx.get(LATEST_BUCKET, key);
    const prev = prevBytes === undefined ? undefined : decodeLatest(this.tx, prevBytes);
    const kv: KeyValue = {
      key,
      createRevision: prev === undefined ? rev : prev.createRevision,
      modRevision: rev,
      version: prev === undefined ? 1 : prev.version + 1,
      value,
      lease,
    };
    const bytes = encodeKeyValue(kv);
    const revKey = revToBytes(rev, sub);
    this.tx.put(KEY_BUCKET, revKey, bytes);
    this.tx.put(LATEST_BUCKET, key, encodeLatest(kv, revKey, bytes));
    this.tx.put(INDEX_BUCKET, indexKey(key, rev, sub), MARK_PUT);
    const hooks = this.ctx.hooks;
    if (hooks !== undefined) {
      if (prev !== undefined && prev.lease !== 0n) hooks.detach(prev.lease, key);
      if (lease !== 0n) hooks.attach(lease, key);
    }
    this.events.push(prev === undefined ? { type: "put", kv } : { type: "put", kv, prevKv: prev });
    return prev;
  }

  /** Deletes every live key in [key, rangeEnd); returns what was deleted. */
  deleteRange(key: Buffer, rangeEnd?: Buffer): KeyValue[] {
    assert.ok(!this.ended, "mvcc: write txn already ended");
    const rev = this.ctx.beginRev + 1;
    const single = rangeEnd === undefined || rangeEnd.length === 0;
    let deleted: KeyValue[];
    if (single) {
      const bytes = key.length > 0 ? this.tx.get(LATEST_BUCKET, key) : undefined;
      deleted = bytes === undefined ? [] : [decodeLatest(this.tx, bytes)];
    } else {
      const end = isFromKey(rangeEnd) ? undefined : rangeEnd;
      if (end !== undefined && Buffer.compare(key, end) >= 0) return [];
      deleted = [];
      for (const { value } of this.tx.scan(LATEST_BUCKET, {
        start: key,
        ...(end !== undefined ? { end } : {}),
      }))
        deleted.push(decodeLatest(this.tx, value));
    }
    for (const prev of deleted) {
      const sub = this.events.length;
      this.tx.put(KEY_BUCKET, revToBytes(rev, sub, true), encodeTombstone(prev.key));
      this.tx.delete(LATEST_BUCKET, prev.key);
      this.tx.put(INDEX_BUCKET, indexKey(prev.key, rev, sub), MARK_TOMBSTONE);
      if (this.ctx.hooks !== undefined && prev.lease !== 0n) this.ctx.hooks.detach(prev.lease, prev.key);
      const kv: KeyValue = {
        key: prev.key,
        createRevision: 0,
        modRevision: rev,
        version: 0,
        value: EMPTY,
        lease: 0n,
      };
      this.events.push({ type: "delete", kv, prevKv: prev });
    }
    return deleted;
  }

  /** Ends the transaction: the revision it made (if it changed anything) and its events. */
  end(): WriteResult {
    assert.ok(!this.ended, "mvcc: write txn already ended");
    this.ended = true;
    const revision = this.revision;
    if (this.events.length > 0) this.ctx.finish(revision, this.events);
    this.ctx.done();
    return { revision, events: this.events };
  }
}
