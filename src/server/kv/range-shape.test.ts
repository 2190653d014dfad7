import assert from "node:assert/strict";
import { test } from "node:test";
import { etcdserverpb } from "../../proto/index.js";
import { needsFullRange, type Sortable, shapeRange } from "./range-shape.js";

const { SortOrder, SortTarget } = etcdserverpb.RangeRequest;
const kv = (
  key: string,
  createRevision: number,
  modRevision: number,
  version: number,
  value = key,
): Sortable => ({
  key: Buffer.from(key),
  value: Buffer.from(value),
  createRevision,
  modRevision,
  version,
});
const kvs = [kv("a", 4, 9, 2, "z"), kv("b", 2, 7, 1, "y"), kv("c", 3, 8, 1, "x")];
const keys = (r: { kvs: Sortable[] }) => r.kvs.map((k) => k.key.toString());

test("range shape - a sort target without an order sorts ascending", () => {
  assert.deepEqual(keys(shapeRange({ sortTarget: SortTarget.CREATE }, kvs)), ["b", "c", "a"]);
  assert.deepEqual(keys(shapeRange({ sortTarget: SortTarget.VALUE }, kvs)), ["c", "b", "a"]);
});

test("range shape - descending keeps key order among ties", () => {
  assert.deepEqual(keys(shapeRange({ sortTarget: SortTarget.VERSION, sortOrder: SortOrder.DESCEND }, kvs)), [
    "a",
    "b",
    "c",
  ]);
  assert.deepEqual(keys(shapeRange({ sortOrder: SortOrder.DESCEND }, kvs)), ["c", "b", "a"]);
});

test("range shape - revision filters, then the limit sets more", () => {
  assert.deepEqual(keys(shapeRange({ minModRevision: 8 }, kvs)), ["a", "c"]);
  assert.deepEqual(keys(shapeRange({ maxCreateRevision: 3 }, kvs)), ["b", "c"]);
  const limited = shapeRange({ limit: 2 }, kvs);
  assert.deepEqual(keys(limited), ["a", "b"]);
  assert.equal(limited.more, true);
  assert.equal(shapeRange({ limit: 3 }, kvs).more, false);
});

test("range shape - only sorting and filters need every match", () => {
  assert.equal(needsFullRange({ limit: 1 }), false);
  assert.equal(needsFullRange({ limit: 1, sortOrder: SortOrder.ASCEND }), true);
  assert.equal(needsFullRange({ maxModRevision: 3 }), true);
});
