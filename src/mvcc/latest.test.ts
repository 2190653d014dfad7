import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeKeyValue, encodeKeyValue } from "./kv.js";
import { LATEST_INLINE_MAX_BYTES } from "./latest.js";
import { KEY_BUCKET, LATEST_BUCKET } from "./layout.js";
import { revToBytes } from "./revision.js";
import { openTestStore } from "./testing.js";

test("latest - large values are stored once and read back whole, in ranges and gets", async () => {
  const t = openTestStore();
  const { store, backend } = t;
  try {
    const big = Buffer.alloc(LATEST_INLINE_MAX_BYTES + 1, 7);
    const small = Buffer.from("small");
    backend.write((tx) => {
      const w = store.write(tx);
      w.put(Buffer.from("a"), small);
      w.put(Buffer.from("b"), big);
      w.end();
    });
    const latestSizes = backend.read((tx) => [...tx.scan(LATEST_BUCKET)].map((e) => e.value.length));
    assert.ok(
      latestSizes[1]! < 100,
      `the large value is not copied into kv_latest (${latestSizes[1]} bytes)`,
    );
    assert.deepEqual(store.range(Buffer.from("b")).kvs[0]?.value, big);
    const both = store.range(Buffer.from("a"), Buffer.from("c")).kvs;
    assert.deepEqual(
      both.map((kv) => kv.value),
      [small, big],
    );
    assert.equal(store.range(Buffer.from("b"), undefined, { keysOnly: true }).kvs[0]?.value.length, 0);
    let prev: Buffer | undefined;
    backend.write((tx) => {
      const w = store.write(tx);
      prev = w.put(Buffer.from("b"), small)?.value;
      w.end();
    });
    assert.deepEqual(prev, big, "the replaced version comes back whole");
    assert.deepEqual(store.range(Buffer.from("b"), undefined, { revision: 2 }).kvs[0]?.value, big);
  } finally {
    await t.close();
  }
});

test("latest - records in the earlier sub-revision reference form still read back whole", async () => {
  const t = openTestStore();
  const { store, backend } = t;
  try {
    const big = Buffer.alloc(LATEST_INLINE_MAX_BYTES + 1, 9);
    backend.write((tx) => {
      const w = store.write(tx);
      w.put(Buffer.from("k"), big);
      w.end();
    });
    // Rewrite the record as earlier builds did: 0xff, the 8-byte sub revision, the
    // key-value without its value.
    backend.write((tx) => {
      const kv = decodeKeyValue(tx.get(KEY_BUCKET, revToBytes(2, 0))!);
      const sub = Buffer.alloc(9);
      sub[0] = 0xff;
      sub.writeBigUInt64BE(0n, 1);
      tx.put(
        LATEST_BUCKET,
        Buffer.from("k"),
        Buffer.concat([sub, encodeKeyValue({ ...kv, value: Buffer.alloc(0) })]),
      );
    });
    assert.deepEqual(store.range(Buffer.from("k")).kvs[0]?.value, big);
    assert.equal(store.range(Buffer.from("k"), undefined, { keysOnly: true }).kvs[0]?.version, 1);
  } finally {
    await t.close();
  }
});
