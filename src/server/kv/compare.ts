// Txn compares, evaluated as etcd does (etcdserver/apply.go applyCompare): a compare
// over a range holds only if it holds for every key in it; a missing key compares as
// a zero KeyValue, except that a VALUE compare on a missing key is always false.

import { etcdserverpb, toNumber, toSignedId } from "../../proto/index.js";

type Compare = etcdserverpb.Compare.$Properties;
const { CompareResult, CompareTarget } = etcdserverpb.Compare;

/** The parts of a stored key-value a compare looks at. */
export interface Comparable {
  readonly value: Uint8Array;
  readonly createRevision: number;
  readonly modRevision: number;
  readonly version: number;
  readonly lease: bigint;
}

const MISSING: Comparable = {
  value: Buffer.alloc(0),
  createRevision: 0,
  modRevision: 0,
  version: 0,
  lease: 0n,
};

export function compareHolds(compare: Compare, kvs: readonly Comparable[]): boolean {
  if (kvs.length === 0) return compare.target !== CompareTarget.VALUE && compareOne(compare, MISSING);
  return kvs.every((kv) => compareOne(compare, kv));
}

function sign(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareOne(compare: Compare, kv: Comparable): boolean {
  let order: number;
  switch (compare.target ?? CompareTarget.VERSION) {
    case CompareTarget.VALUE:
      order = Buffer.compare(kv.value, compare.value ?? MISSING.value);
      break;
    case CompareTarget.CREATE:
      order = sign(kv.createRevision, toNumber(compare.createRevision));
      break;
    case CompareTarget.MOD:
      order = sign(kv.modRevision, toNumber(compare.modRevision));
      break;
    case CompareTarget.VERSION:
      order = sign(kv.version, toNumber(compare.version));
      break;
    case CompareTarget.LEASE:
      order = sign(kv.lease, toSignedId(compare.lease));
      break;
    default:
      return false;
  }
  switch (compare.result ?? CompareResult.EQUAL) {
    case CompareResult.EQUAL:
      return order === 0;
    case CompareResult.NOT_EQUAL:
      return order !== 0;
    case CompareResult.GREATER:
      return order > 0;
    case CompareResult.LESS:
      return order < 0;
    default:
      return true;
  }
}
