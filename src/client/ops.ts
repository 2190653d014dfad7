// Request builders for KV operations and transaction comparisons, producing protobufjs
// request properties (64-bit fields as Long).
import { idToLong, Long } from "../proto/index.js";
import { type Bytes, type RangeSelector, resolveRange, toBuffer } from "./keys.js";

export type SortOrder = "NONE" | "ASCEND" | "DESCEND";
export type SortTarget = "KEY" | "VERSION" | "CREATE" | "MOD" | "VALUE";

const SORT_ORDER: Record<SortOrder, number> = { NONE: 0, ASCEND: 1, DESCEND: 2 };
const SORT_TARGET: Record<SortTarget, number> = { KEY: 0, VERSION: 1, CREATE: 2, MOD: 3, VALUE: 4 };

export interface GetOptions extends RangeSelector {
  limit?: number;
  /** Read at this revision (0 = latest). */
  revision?: number;
  sortOrder?: SortOrder;
  sortTarget?: SortTarget;
  serializable?: boolean;
  keysOnly?: boolean;
  countOnly?: boolean;
  minModRevision?: number;
  maxModRevision?: number;
  minCreateRevision?: number;
  maxCreateRevision?: number;
}

export interface PutOptions {
  lease?: bigint;
  prevKv?: boolean;
  ignoreValue?: boolean;
  ignoreLease?: boolean;
}

export interface DeleteOptions extends RangeSelector {
  prevKv?: boolean;
}

function int64(n: number | undefined): Long | undefined {
  return n ? Long.fromNumber(n) : undefined;
}

export function rangeRequest(key: Bytes, o: GetOptions = {}): Record<string, unknown> {
  const { key: k, rangeEnd } = resolveRange(key, o);
  let order = o.sortOrder ?? "NONE";
  const target = o.sortTarget ?? "KEY";
  // The server returns keys in ascending order anyway; asking for it would make it sort
  // the whole range before applying the limit (clientv3 does the same).
  if (target === "KEY" && order === "ASCEND") order = "NONE";
  return {
    key: k,
    rangeEnd,
    limit: int64(o.limit),
    revision: int64(o.revision),
    sortOrder: SORT_ORDER[order],
    sortTarget: SORT_TARGET[target],
    serializable: o.serializable ?? false,
    keysOnly: o.keysOnly ?? false,
    countOnly: o.countOnly ?? false,
    minModRevision: int64(o.minModRevision),
    maxModRevision: int64(o.maxModRevision),
    minCreateRevision: int64(o.minCreateRevision),
    maxCreateRevision: int64(o.maxCreateRevision),
  };
}

export function putRequest(key: Bytes, value: Bytes, o: PutOptions = {}): Record<string, unknown> {
  return {
    key: toBuffer(key),
    value: toBuffer(value),
    lease: o.lease ? idToLong(o.lease, false) : undefined,
    prevKv: o.prevKv ?? false,
    ignoreValue: o.ignoreValue ?? false,
    ignoreLease: o.ignoreLease ?? false,
  };
}

export function deleteRequest(key: Bytes, o: DeleteOptions = {}): Record<string, unknown> {
  const { key: k, rangeEnd } = resolveRange(key, o);
  return { key: k, rangeEnd, prevKv: o.prevKv ?? false };
}

/** One operation of a transaction. */
export type Op =
  | { type: "get"; key: Bytes; options?: GetOptions }
  | { type: "put"; key: Bytes; value: Bytes; options?: PutOptions }
  | { type: "delete"; key: Bytes; options?: DeleteOptions }
  | { type: "txn"; txn: TxnSpec };

export const op = {
  get: (key: Bytes, options: GetOptions = {}): Op => ({ type: "get", key, options }),
  put: (key: Bytes, value: Bytes, options: PutOptions = {}): Op => ({ type: "put", key, value, options }),
  delete: (key: Bytes, options: DeleteOptions = {}): Op => ({ type: "delete", key, options }),
  txn: (txn: TxnSpec): Op => ({ type: "txn", txn }),
};

export type CompareTarget = "VERSION" | "CREATE" | "MOD" | "VALUE" | "LEASE";
export type CompareResult = "=" | "!=" | "<" | ">";

export interface Compare {
  key: Bytes;
  rangeEnd?: Bytes;
  target: CompareTarget;
  result: CompareResult;
  /** A number for VERSION/CREATE/MOD, bytes for VALUE, a lease ID for LEASE. */
  value: number | bigint | Bytes;
}

export interface TxnSpec {
  compare?: Compare[];
  success?: Op[];
  failure?: Op[];
}

const COMPARE_RESULT: Record<CompareResult, number> = { "=": 0, ">": 1, "<": 2, "!=": 3 };
const COMPARE_TARGET: Record<CompareTarget, number> = { VERSION: 0, CREATE: 1, MOD: 2, VALUE: 3, LEASE: 4 };

function compareRequest(c: Compare): Record<string, unknown> {
  const out: Record<string, unknown> = {
    key: toBuffer(c.key),
    result: COMPARE_RESULT[c.result],
    target: COMPARE_TARGET[c.target],
  };
  if (c.rangeEnd !== undefined) out.rangeEnd = toBuffer(c.rangeEnd);
  const v = c.value;
  switch (c.target) {
    case "VERSION":
      out.version = Long.fromValue(typeof v === "bigint" ? v.toString() : (v as number));
      break;
    case "CREATE":
      out.createRevision = Long.fromValue(typeof v === "bigint" ? v.toString() : (v as number));
      break;
    case "MOD":
      out.modRevision = Long.fromValue(typeof v === "bigint" ? v.toString() : (v as number));
      break;
    case "VALUE":
      out.value = toBuffer(v as Bytes);
      break;
    case "LEASE":
      out.lease = typeof v === "bigint" ? idToLong(v, false) : Long.fromValue(v as number | string);
      break;
  }
  return out;
}

function requestOp(o: Op): Record<string, unknown> {
  switch (o.type) {
    case "get":
      return { requestRange: rangeRequest(o.key, o.options) };
    case "put":
      return { requestPut: putRequest(o.key, o.value, o.options) };
    case "delete":
      return { requestDeleteRange: deleteRequest(o.key, o.options) };
    case "txn":
      return { requestTxn: txnRequest(o.txn) };
  }
}

export function txnRequest(t: TxnSpec): Record<string, unknown> {
  return {
    compare: (t.compare ?? []).map(compareRequest),
    success: (t.success ?? []).map(requestOp),
    failure: (t.failure ?? []).map(requestOp),
  };
}
