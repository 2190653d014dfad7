// Request checks made before anything is proposed, as etcd's v3rpc layer makes them
// (etcdserver/api/v3rpc/key.go). Each returns the error kind to send, or undefined.

import type { etcdserverpb } from "../../proto/index.js";

export type ValidationError =
  | "emptyKey"
  | "valueProvided"
  | "leaseProvided"
  | "tooManyOps"
  | "duplicateKey"
  | "keyNotFound";

type RangeRequest = etcdserverpb.RangeRequest.$Properties;
type PutRequest = etcdserverpb.PutRequest.$Properties;
type DeleteRangeRequest = etcdserverpb.DeleteRangeRequest.$Properties;
type TxnRequest = etcdserverpb.TxnRequest.$Properties;
type RequestOp = etcdserverpb.RequestOp.$Properties;

const isEmpty = (bytes: Uint8Array | null | undefined): boolean => bytes == null || bytes.length === 0;
const isZero = (value: number | { isZero(): boolean } | null | undefined): boolean =>
  value == null || (typeof value === "number" ? value === 0 : value.isZero());

export function checkRange(r: RangeRequest): ValidationError | undefined {
  return isEmpty(r.key) ? "emptyKey" : undefined;
}

export function checkPut(r: PutRequest): ValidationError | undefined {
  if (isEmpty(r.key)) return "emptyKey";
  if (r.ignoreValue && !isEmpty(r.value)) return "valueProvided";
  if (r.ignoreLease && !isZero(r.lease)) return "leaseProvided";
  return undefined;
}

export function checkDeleteRange(r: DeleteRangeRequest): ValidationError | undefined {
  return isEmpty(r.key) ? "emptyKey" : undefined;
}

/** Structure and size of a txn: op counts, empty keys, then duplicate keys. */
export function checkTxn(r: TxnRequest, maxTxnOps: number): ValidationError | undefined {
  // Shape first: the interval check is quadratic and must only see bounded input.
  return (
    checkTxnShape(r, maxTxnOps) ??
    checkIntervals(r.success ?? []).error ??
    checkIntervals(r.failure ?? []).error
  );
}

function checkTxnShape(r: TxnRequest, maxTxnOps: number): ValidationError | undefined {
  const compare = r.compare ?? [];
  const success = r.success ?? [];
  const failure = r.failure ?? [];
  const ops = Math.max(compare.length, success.length, failure.length);
  if (ops > maxTxnOps) return "tooManyOps";
  if (compare.some((c) => isEmpty(c.key))) return "emptyKey";
  for (const op of [...success, ...failure]) {
    const error = checkRequestOp(op, maxTxnOps - ops);
    if (error) return error;
  }
  return undefined;
}

function checkRequestOp(op: RequestOp, maxTxnOps: number): ValidationError | undefined {
  if (op.requestRange) return checkRange(op.requestRange);
  if (op.requestPut) return checkPut(op.requestPut);
  if (op.requestDeleteRange) return checkDeleteRange(op.requestDeleteRange);
  if (op.requestTxn) return checkTxnShape(op.requestTxn, maxTxnOps);
  return "keyNotFound"; // etcd answers an empty RequestOp so
}

/** A deleted key range [start, end); an empty end means the single key `start`. */
interface Interval {
  readonly start: Buffer;
  readonly end: Buffer | undefined; // undefined = unbounded
}

const EMPTY = Buffer.alloc(0);

function deleteInterval(r: DeleteRangeRequest): Interval {
  const start = Buffer.from(r.key ?? EMPTY);
  if (isEmpty(r.rangeEnd)) return { start, end: Buffer.concat([start, Buffer.from([0])]) };
  return { start, end: Buffer.from(r.rangeEnd as Uint8Array) };
}

function covers(intervals: readonly Interval[], key: Buffer): boolean {
  return intervals.some(
    (iv) => iv.start.compare(key) <= 0 && (iv.end === undefined || key.compare(iv.end) < 0),
  );
}

interface Intervals {
  readonly puts: Set<string>;
  readonly dels: Interval[];
  readonly error?: ValidationError;
}

/**
 * etcd's duplicate-key rule: within one branch of a txn a key may be written once;
 * a put may not fall in a deleted range; the two branches of a nested txn may put the
 * same key (only one runs). Keys are compared as latin1 strings (bytes, one-to-one).
 */
function checkIntervals(ops: readonly RequestOp[]): Intervals {
  const dels: Interval[] = [];
  for (const op of ops) if (op.requestDeleteRange) dels.push(deleteInterval(op.requestDeleteRange));
  const puts = new Set<string>();
  const dup = (key: string): boolean => puts.has(key) || covers(dels, Buffer.from(key, "latin1"));
  for (const op of ops) {
    if (!op.requestTxn) continue;
    const then = checkIntervals(op.requestTxn.success ?? []);
    if (then.error) return then;
    const otherwise = checkIntervals(op.requestTxn.failure ?? []);
    if (otherwise.error) return otherwise;
    for (const key of then.puts) {
      if (dup(key)) return { puts, dels, error: "duplicateKey" };
      puts.add(key);
    }
    for (const key of otherwise.puts) {
      if ((puts.has(key) && !then.puts.has(key)) || covers(dels, Buffer.from(key, "latin1"))) {
        return { puts, dels, error: "duplicateKey" };
      }
      puts.add(key);
    }
    dels.push(...then.dels, ...otherwise.dels);
  }
  for (const op of ops) {
    if (!op.requestPut) continue;
    const key = Buffer.from(op.requestPut.key ?? EMPTY).toString("latin1");
    if (dup(key)) return { puts, dels, error: "duplicateKey" };
    puts.add(key);
  }
  return { puts, dels };
}
