import assert from "node:assert/strict";
import { test } from "node:test";
import type { etcdserverpb } from "../../proto/index.js";
import { checkPut, checkRange, checkTxn } from "./validate.js";

type Op = etcdserverpb.RequestOp.$Properties;
const b = (s: string) => Buffer.from(s);
const put = (key: string): Op => ({ requestPut: { key: b(key), value: b("v") } });
const del = (key: string, rangeEnd?: string): Op => ({
  requestDeleteRange: { key: b(key), ...(rangeEnd === undefined ? {} : { rangeEnd: b(rangeEnd) }) },
});
const txn = (success: Op[], failure: Op[] = []): Op => ({ requestTxn: { success, failure } });

test("validate - empty keys and contradictory put flags", () => {
  assert.equal(checkRange({ key: Buffer.alloc(0) }), "emptyKey");
  assert.equal(checkPut({ key: b("k"), value: b("v"), ignoreValue: true }), "valueProvided");
  assert.equal(checkPut({ key: b("k"), lease: 5, ignoreLease: true }), "leaseProvided");
  assert.equal(checkPut({ key: b("k"), ignoreValue: true, ignoreLease: true }), undefined);
});

test("validate - txn op limit counts the largest of compare, success and failure", () => {
  const ops = Array.from({ length: 129 }, (_, i) => put(`k${i}`));
  assert.equal(checkTxn({ success: ops }, 128), "tooManyOps");
  assert.equal(checkTxn({ success: ops.slice(0, 128) }, 128), undefined);
  assert.equal(checkTxn({ success: [{}] }, 128), "keyNotFound");
  assert.equal(checkTxn({ compare: [{ key: Buffer.alloc(0) }] }, 128), "emptyKey");
});

test("validate - duplicate keys within a branch, and puts inside deleted ranges", () => {
  assert.equal(checkTxn({ success: [put("a"), put("a")] }, 128), "duplicateKey");
  assert.equal(checkTxn({ success: [put("a")], failure: [put("a")] }, 128), undefined);
  assert.equal(checkTxn({ success: [del("a", "c"), put("b")] }, 128), "duplicateKey");
  assert.equal(checkTxn({ success: [del("a", "c"), put("c")] }, 128), undefined);
  assert.equal(checkTxn({ success: [del("a"), put("a")] }, 128), "duplicateKey");
  assert.equal(checkTxn({ success: [del("a"), put("ab")] }, 128), undefined);
});

test("validate - nested txns: branches may repeat a key, but not the outer txn", () => {
  assert.equal(checkTxn({ success: [txn([put("a")], [put("a")])] }, 128), undefined);
  assert.equal(checkTxn({ success: [txn([put("a")]), put("a")] }, 128), "duplicateKey");
  assert.equal(checkTxn({ success: [txn([put("a")]), txn([], [put("a")])] }, 128), "duplicateKey");
  assert.equal(checkTxn({ success: [txn([del("a", "z")]), put("m")] }, 128), "duplicateKey");
  assert.equal(checkTxn({ success: [txn([put("b")]), del("a", "c")] }, 128), "duplicateKey");
});
