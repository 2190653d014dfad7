// What etcd does to a range result after reading it (etcdserver/apply.go Range):
// revision filters, sorting, then the limit with `more`.

import { etcdserverpb, toNumber } from "../../proto/index.js";

type RangeRequest = etcdserverpb.RangeRequest.$Properties;
const { SortOrder, SortTarget } = etcdserverpb.RangeRequest;

export interface Sortable {
  readonly key: Buffer;
  readonly value: Buffer;
  readonly createRevision: number;
  readonly modRevision: number;
  readonly version: number;
}

/** Whether the store must return every match (sorting or filters need them all). */
export function needsFullRange(r: RangeRequest): boolean {
  return (
    (r.sortOrder ?? SortOrder.NONE) !== SortOrder.NONE ||
    toNumber(r.minModRevision) !== 0 ||
    toNumber(r.maxModRevision) !== 0 ||
    toNumber(r.minCreateRevision) !== 0 ||
    toNumber(r.maxCreateRevision) !== 0
  );
}

/** Applies the revision filters, then the sort order, then the limit. */
export function shapeRange<T extends Sortable>(r: RangeRequest, kvs: T[]): { kvs: T[]; more: boolean } {
  const minMod = toNumber(r.minModRevision);
  const maxMod = toNumber(r.maxModRevision);
  const minCreate = toNumber(r.minCreateRevision);
  const maxCreate = toNumber(r.maxCreateRevision);
  let out = kvs;
  if (minMod || maxMod || minCreate || maxCreate) {
    out = out.filter(
      (kv) =>
        (!maxMod || kv.modRevision <= maxMod) &&
        (!minMod || kv.modRevision >= minMod) &&
        (!maxCreate || kv.createRevision <= maxCreate) &&
        (!minCreate || kv.createRevision >= minCreate),
    );
  }
  const target = r.sortTarget ?? SortTarget.KEY;
  let order = r.sortOrder ?? SortOrder.NONE;
  if (target !== SortTarget.KEY && order === SortOrder.NONE) order = SortOrder.ASCEND;
  if (order !== SortOrder.NONE) {
    const by = comparator(target);
    // JS sorts are stable, so ties keep key order; etcd's results agree for small
    // results (Go sorts those by insertion), larger ones have no defined tie order.
    out = out === kvs ? [...out] : out;
    out.sort(order === SortOrder.DESCEND ? (a, b) => by(b, a) : by);
  }
  const limit = toNumber(r.limit);
  if (limit > 0 && out.length > limit) return { kvs: out.slice(0, limit), more: true };
  return { kvs: out, more: false };
}

function comparator(target: number): (a: Sortable, b: Sortable) => number {
  switch (target) {
    case SortTarget.VERSION:
      return (a, b) => a.version - b.version;
    case SortTarget.CREATE:
      return (a, b) => a.createRevision - b.createRevision;
    case SortTarget.MOD:
      return (a, b) => a.modRevision - b.modRevision;
    case SortTarget.VALUE:
      return (a, b) => Buffer.compare(a.value, b.value);
    default:
      return (a, b) => Buffer.compare(a.key, b.key);
  }
}
