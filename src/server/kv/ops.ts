// Range, Put, DeleteRange and Txn as etcd applies them (etcdserver/apply.go), against
// the MVCC store: reads against committed state or a write transaction's own view,
// writes inside a write transaction. Responses are etcd's wire messages, minus the
// header fields the API layer fills in.

import { ErrLeaseNotFound } from "../../lease/index.js";
import { mvccMetrics } from "../../metrics/index.js";
import {
  ErrCompacted,
  ErrFutureRev,
  type KeyValue,
  type MvccWriteTxn,
  type RangeResult,
} from "../../mvcc/index.js";
import { type etcdserverpb, idToLong, type mvccpb, toNumber, toSignedId } from "../../proto/index.js";
import { ServerError } from "../errors.js";
import { compareHolds } from "./compare.js";
import { needsFullRange, shapeRange } from "./range-shape.js";

type RangeRequest = etcdserverpb.RangeRequest.$Properties;
type PutRequest = etcdserverpb.PutRequest.$Properties;
type DeleteRangeRequest = etcdserverpb.DeleteRangeRequest.$Properties;
type TxnRequest = etcdserverpb.TxnRequest.$Properties;
type RequestOp = etcdserverpb.RequestOp.$Properties;
type ResponseOp = etcdserverpb.IResponseOp;

export type RangeResponse = etcdserverpb.IRangeResponse & { header: { revision: number } };
export type PutResponse = etcdserverpb.IPutResponse & { header: { revision: number } };
export type DeleteRangeResponse = etcdserverpb.IDeleteRangeResponse & { header: { revision: number } };
export type TxnResponse = etcdserverpb.ITxnResponse & { header: { revision: number } };

/** Reads committed state (the store) or a write transaction's view. */
export interface KvReader {
  range(
    key: Buffer,
    rangeEnd?: Buffer,
    options?: { revision?: number; limit?: number; countOnly?: boolean; keysOnly?: boolean },
  ): RangeResult;
}

/** What the KV operations need to know about leases. */
export interface LeaseLookup {
  has(id: bigint): boolean;
}

const EMPTY = Buffer.alloc(0);

export function asBuffer(bytes: Uint8Array | null | undefined): Buffer {
  if (bytes == null || bytes.length === 0) return EMPTY;
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A stored key-value as its wire message. */
export function toWireKv(kv: KeyValue): mvccpb.IKeyValue {
  return {
    key: kv.key,
    createRevision: kv.createRevision,
    modRevision: kv.modRevision,
    version: kv.version,
    value: kv.value,
    lease: kv.lease === 0n ? 0 : idToLong(kv.lease, false),
  };
}

export function range(reader: KvReader, r: RangeRequest): RangeResponse {
  mvccMetrics.range.inc();
  let limit = needsFullRange(r) ? 0 : toNumber(r.limit);
  if (limit > 0) limit += 1; // one more than asked tells whether there is more
  const result = reader.range(asBuffer(r.key), asBuffer(r.rangeEnd), {
    revision: toNumber(r.revision),
    limit,
    countOnly: r.countOnly === true,
    keysOnly: r.keysOnly === true,
  });
  const { kvs, more } = shapeRange(r, result.kvs);
  return {
    header: { revision: result.revision },
    kvs: kvs.map(toWireKv),
    more,
    count: result.count,
  };
}

export function put(w: MvccWriteTxn, p: PutRequest, leases: LeaseLookup, inTxn = false): PutResponse {
  mvccMetrics.put.inc();
  const key = asBuffer(p.key);
  let value = asBuffer(p.value);
  let lease = toSignedId(p.lease);
  if (!inTxn && lease !== 0n && !leases.has(lease)) throw new ErrLeaseNotFound();
  let previous: KeyValue | undefined;
  if (p.ignoreValue || p.ignoreLease || p.prevKv) previous = w.range(key).kvs[0];
  if ((p.ignoreValue || p.ignoreLease) && previous === undefined) throw new ServerError("keyNotFound");
  if (p.ignoreValue && previous) value = previous.value;
  if (p.ignoreLease && previous) lease = previous.lease;
  w.put(key, value, lease);
  const response: PutResponse = { header: { revision: w.revision } };
  if (p.prevKv && previous) response.prevKv = toWireKv(previous);
  return response;
}

export function deleteRange(w: MvccWriteTxn, d: DeleteRangeRequest): DeleteRangeResponse {
  mvccMetrics.delete.inc();
  const deleted = w.deleteRange(asBuffer(d.key), asBuffer(d.rangeEnd));
  const response: DeleteRangeResponse = { header: { revision: w.revision }, deleted: deleted.length };
  if (d.prevKv) response.prevKvs = deleted.map(toWireKv);
  return response;
}

/** Whether a txn writes nothing on any path (then it is served without Raft). */
export function isReadOnlyTxn(t: TxnRequest): boolean {
  const readOnly = (ops: RequestOp[] | null | undefined): boolean =>
    (ops ?? []).every(
      (op) => op.requestRange != null || (op.requestTxn != null && isReadOnlyTxn(op.requestTxn)),
    );
  return readOnly(t.success) && readOnly(t.failure);
}

/** Whether every range of a read-only txn is serializable. */
export function isSerializableTxn(t: TxnRequest): boolean {
  const serializable = (ops: RequestOp[] | null | undefined): boolean =>
    (ops ?? []).every(
      (op) =>
        (op.requestRange == null || op.requestRange.serializable === true) &&
        (op.requestTxn == null || isSerializableTxn(op.requestTxn)),
    );
  return serializable(t.success) && serializable(t.failure);
}

/** The branch taken at each txn, depth-first, as etcd's compareToPath computes it. */
function txnPath(reader: KvReader, t: TxnRequest): boolean[] {
  const succeeded = (t.compare ?? []).every((c) =>
    compareHolds(c, reader.range(asBuffer(c.key), asBuffer(c.rangeEnd)).kvs),
  );
  const path = [succeeded];
  for (const op of (succeeded ? t.success : t.failure) ?? []) {
    if (op.requestTxn) path.push(...txnPath(reader, op.requestTxn));
  }
  return path;
}

/**
 * Checks every op on the chosen path before anything is applied, so a txn fails as a
 * whole: leases must exist, ignore_value/ignore_lease keys must exist, and read
 * revisions must be neither compacted nor in the future.
 */
function checkPath(
  reader: KvReader,
  t: TxnRequest,
  path: boolean[],
  at: number,
  leases: LeaseLookup,
  current: number,
  compacted: number,
): number {
  let next = at + 1;
  for (const op of (path[at] ? t.success : t.failure) ?? []) {
    if (op.requestPut) {
      const p = op.requestPut;
      const lease = toSignedId(p.lease);
      if (lease !== 0n && !leases.has(lease)) throw new ErrLeaseNotFound();
      if ((p.ignoreValue || p.ignoreLease) && reader.range(asBuffer(p.key)).kvs.length === 0) {
        throw new ServerError("keyNotFound");
      }
    } else if (op.requestRange) {
      const rev = toNumber(op.requestRange.revision);
      if (rev > current) throw new ErrFutureRev();
      if (rev > 0 && rev < compacted) throw new ErrCompacted();
    } else if (op.requestTxn) {
      next = checkPath(reader, op.requestTxn, path, next, leases, current, compacted);
    }
  }
  return next;
}

export interface TxnContext {
  readonly leases: LeaseLookup;
  /** The store's compacted revision, for checking read revisions up front. */
  readonly compactRevision: number;
}

/** A txn with writes, inside a write transaction. */
export function writeTxn(w: MvccWriteTxn, t: TxnRequest, ctx: TxnContext): TxnResponse {
  const path = txnPath(w, t);
  checkPath(w, t, path, 0, ctx.leases, w.revision, ctx.compactRevision);
  countTxn(t, path);
  const { response } = runPath(w, t, path, 0, (op) => {
    if (op.requestPut) return { responsePut: put(w, op.requestPut, ctx.leases, true) };
    if (op.requestDeleteRange) return { responseDeleteRange: deleteRange(w, op.requestDeleteRange) };
    return { responseRange: range(w, op.requestRange ?? {}) };
  });
  response.header = { revision: w.revision };
  return response;
}

/** A read-only txn against committed state. */
export function readTxn(
  reader: KvReader,
  t: TxnRequest,
  ctx: TxnContext,
  currentRevision: number,
): TxnResponse {
  const path = txnPath(reader, t);
  checkPath(reader, t, path, 0, ctx.leases, currentRevision, ctx.compactRevision);
  const { response } = runPath(reader, t, path, 0, (op) => ({
    responseRange: range(reader, op.requestRange ?? {}),
  }));
  response.header = { revision: currentRevision };
  return response;
}

/** etcd counts a txn once it runs more than one operation. */
function countTxn(t: TxnRequest, path: boolean[]): void {
  let ops = 0;
  runPath({ range: () => ({ kvs: [], count: 0, revision: 0 }) }, t, path, 0, () => {
    ops++;
    return {};
  });
  if (ops > 1) mvccMetrics.txn.inc();
}

function runPath(
  reader: KvReader,
  t: TxnRequest,
  path: boolean[],
  at: number,
  apply: (op: RequestOp) => ResponseOp,
): { response: TxnResponse; next: number } {
  const succeeded = path[at] === true;
  let next = at + 1;
  const responses: ResponseOp[] = [];
  for (const op of (succeeded ? t.success : t.failure) ?? []) {
    if (op.requestTxn) {
      const nested = runPath(reader, op.requestTxn, path, next, apply);
      next = nested.next;
      responses.push({ responseTxn: nested.response });
    } else {
      responses.push(apply(op));
    }
  }
  return { response: { header: {}, succeeded, responses } as TxnResponse, next };
}
