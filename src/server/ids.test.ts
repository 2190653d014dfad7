import assert from "node:assert/strict";
import { test } from "node:test";
import { computeClusterId, computeMemberId, IdGenerator } from "./ids.js";

test("ids - the default single member has etcd's well-known member and cluster IDs", () => {
  const member = computeMemberId(["http://localhost:2380"], "etcd-cluster");
  assert.equal(member.toString(16), "8e9e05c52164694d");
  assert.equal(computeClusterId([member]).toString(16), "cdf818194e3a8c32");
});

test("ids - member IDs ignore peer URL order and depend on the token and join time", () => {
  const a = computeMemberId(["http://b:2380", "http://a:2380"], "t");
  assert.equal(a, computeMemberId(["http://a:2380", "http://b:2380"], "t"));
  assert.notEqual(a, computeMemberId(["http://a:2380", "http://b:2380"], "u"));
  assert.notEqual(a, computeMemberId(["http://a:2380", "http://b:2380"], "t", 1_700_000_000));
});

test("ids - cluster IDs ignore member order", () => {
  assert.equal(computeClusterId([3n, 1n, 2n]), computeClusterId([1n, 2n, 3n]));
});

test("ids - the generator keeps the member prefix and counts up", () => {
  const gen = new IdGenerator(0x8e9e05c52164694dn, 1_700_000_000_123);
  const first = gen.next();
  const second = gen.next();
  assert.equal(first >> 48n, 0x694dn);
  assert.equal(second, first + 1n);
  assert.equal((first & 0xffn) + 0n, (((1_700_000_000_123n & ((1n << 40n) - 1n)) << 8n) + 1n) & 0xffn);
});
