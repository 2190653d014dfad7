import assert from "node:assert/strict";
import { test } from "node:test";
import { etcdserverpb } from "../../proto/index.js";
import { type Comparable, compareHolds } from "./compare.js";

const { CompareResult: R, CompareTarget: T } = etcdserverpb.Compare;
const kv = (over: Partial<Comparable> = {}): Comparable => ({
  value: Buffer.from("v"),
  createRevision: 2,
  modRevision: 5,
  version: 3,
  lease: 0n,
  ...over,
});

test("compare - each target and result against one key", () => {
  assert.equal(compareHolds({ target: T.VERSION, result: R.EQUAL, version: 3 }, [kv()]), true);
  assert.equal(compareHolds({ target: T.CREATE, result: R.LESS, createRevision: 3 }, [kv()]), true);
  assert.equal(compareHolds({ target: T.MOD, result: R.GREATER, modRevision: 5 }, [kv()]), false);
  assert.equal(compareHolds({ target: T.VALUE, result: R.NOT_EQUAL, value: Buffer.from("w") }, [kv()]), true);
  assert.equal(compareHolds({ target: T.LEASE, result: R.EQUAL, lease: 7 }, [kv({ lease: 7n })]), true);
});

test("compare - a missing key is a zero key-value, but never equals a value", () => {
  assert.equal(compareHolds({ target: T.VERSION, result: R.EQUAL, version: 0 }, []), true);
  assert.equal(compareHolds({ target: T.CREATE, result: R.EQUAL, createRevision: 0 }, []), true);
  assert.equal(compareHolds({ target: T.VALUE, result: R.EQUAL, value: Buffer.alloc(0) }, []), false);
  assert.equal(compareHolds({ target: T.VALUE, result: R.NOT_EQUAL, value: Buffer.from("x") }, []), false);
});

test("compare - over a range every key must match", () => {
  const kvs = [kv({ version: 1 }), kv({ version: 2 })];
  assert.equal(compareHolds({ target: T.VERSION, result: R.GREATER, version: 0 }, kvs), true);
  assert.equal(compareHolds({ target: T.VERSION, result: R.GREATER, version: 1 }, kvs), false);
});
