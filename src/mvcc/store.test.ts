import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrCompacted, ErrFutureRev, ErrKeyTooLarge } from "./errors.js";
import type { KeyValue } from "./kv.js";
import { b, del, openTestStore, put, txn } from "./testing.js";

const keys = (kvs: KeyValue[]) => kvs.map((kv) => kv.key.toString());

test("mvcc - a new store is at revision 1 with nothing compacted (-1, as etcd says)", async () => {
  const t = openTestStore();
  assert.equal(t.store.currentRevision(), 1);
  assert.equal(t.store.compactRevision(), -1);
  assert.deepEqual(t.store.range(b("a"), b("\0")), { kvs: [], count: 0, revision: 1 });
  await t.close();
});

test("mvcc - revisions, versions and create revisions across generations", async () => {
  const t = openTestStore();
  assert.equal(put(t, "foo", "1"), 2);
  assert.equal(put(t, "foo", "2"), 3);
  assert.equal(del(t, "foo"), 4);
  assert.equal(put(t, "foo", "3"), 5);
  const [kv] = t.store.range(b("foo")).kvs;
  assert.deepEqual(kv, {
    key: b("foo"),
    createRevision: 5,
    modRevision: 5,
    version: 1,
    value: b("3"),
    lease: 0n,
  });
  const at3 = t.store.range(b("foo"), undefined, { revision: 3 }).kvs[0];
  assert.deepEqual(at3, {
    key: b("foo"),
    createRevision: 2,
    modRevision: 3,
    version: 2,
    value: b("2"),
    lease: 0n,
  });
  assert.equal(t.store.range(b("foo"), undefined, { revision: 4 }).count, 0);
  assert.equal(t.store.range(b("foo"), undefined, { revision: 1 }).count, 0);
  await t.close();
});

test("mvcc - one write transaction is one revision with sub revisions in order", async () => {
  const t = openTestStore();
  put(t, "c", "old");
  const result = txn(t, (w) => {
    assert.equal(w.put(b("a"), b("1")), undefined);
    assert.equal(w.put(b("b"), b("2"))?.key, undefined);
    assert.equal(w.revision, 3);
    // Reads see the transaction's own writes.
    assert.deepEqual(keys(w.range(b("a"), b("z")).kvs), ["a", "b", "c"]);
    assert.equal(w.put(b("a"), b("1b"))?.version, 1);
    assert.deepEqual(keys(w.deleteRange(b("c"))), ["c"]);
  });
  assert.equal(result.revision, 3);
  assert.deepEqual(
    result.events.map((e) => [e.type, e.kv.key.toString(), e.kv.modRevision, e.prevKv?.value.toString()]),
    [
      ["put", "a", 3, undefined],
      ["put", "b", 3, undefined],
      ["put", "a", 3, "1"],
      ["delete", "c", 3, "old"],
    ],
  );
  const a = t.store.range(b("a")).kvs[0]!;
  assert.equal(a.version, 2);
  assert.equal(a.createRevision, 3);
  // A transaction that changes nothing makes no revision.
  assert.equal(txn(t, (w) => w.deleteRange(b("nothing"))).revision, 3);
  assert.equal(t.store.currentRevision(), 3);
  await t.close();
});

test("mvcc - range options: limit, count, countOnly, keysOnly, from-key, empty ranges", async () => {
  const t = openTestStore();
  for (const k of ["a", "b", "c", "d", "e"]) put(t, k, `v-${k}`);
  const s = t.store;
  assert.deepEqual(keys(s.range(b("b"), b("e")).kvs), ["b", "c", "d"]);
  const limited = s.range(b("a"), b("\0"), { limit: 2 });
  assert.deepEqual(keys(limited.kvs), ["a", "b"]);
  assert.equal(limited.count, 5);
  const counted = s.range(b("b"), b("\0"), { countOnly: true });
  assert.deepEqual(counted.kvs, []);
  assert.equal(counted.count, 4);
  const ko = s.range(b("a"), b("c"), { keysOnly: true });
  assert.deepEqual(
    ko.kvs.map((kv) => kv.value.length),
    [0, 0],
  );
  assert.equal(ko.kvs[0]!.modRevision, 2);
  assert.equal(s.range(b("d"), b("b")).count, 0);
  assert.equal(s.range(b("zz")).count, 0);
  assert.deepEqual(keys(s.range(b(""), b("\0")).kvs), ["a", "b", "c", "d", "e"]);
  // The same at a past revision.
  const past = s.range(b("a"), b("\0"), { revision: 4, limit: 1 });
  assert.deepEqual(keys(past.kvs), ["a"]);
  assert.equal(past.count, 3);
  assert.equal(s.range(b("a"), b("\0"), { revision: 4, countOnly: true }).count, 3);
  assert.deepEqual(
    s
      .range(b("a"), b("\0"), { revision: 3, keysOnly: true })
      .kvs.map((kv) => [kv.key.toString(), kv.value.length]),
    [
      ["a", 0],
      ["b", 0],
    ],
  );
  await t.close();
});

test("mvcc - binary keys and empty values round-trip, at current and past revisions", async () => {
  const t = openTestStore();
  const odd = [
    Buffer.from([0]),
    Buffer.from([0, 0]),
    Buffer.from([0, 0xff]),
    Buffer.from([0xff]),
    Buffer.from([1, 0, 1]),
  ];
  txn(t, (w) => {
    for (const k of odd) w.put(k, Buffer.alloc(0));
  });
  txn(t, (w) => w.put(Buffer.from([0xff, 0xff, 1]), b("x")));
  const sorted = [...odd].sort(Buffer.compare);
  for (const revision of [0, 2]) {
    const r = t.store.range(Buffer.from([0]), Buffer.from([0xff, 0xff]), { revision });
    assert.deepEqual(
      r.kvs.map((kv) => kv.key),
      sorted,
    );
    for (const kv of r.kvs) assert.deepEqual(kv.value, Buffer.alloc(0));
    assert.deepEqual(
      t.store.range(Buffer.from([0, 0]), undefined, { revision }).kvs[0]?.key,
      Buffer.from([0, 0]),
    );
  }
  await t.close();
});

test("mvcc - future and compacted revisions are errors", async () => {
  const t = openTestStore();
  for (let i = 0; i < 5; i++) put(t, "k", `${i}`);
  assert.throws(() => t.store.range(b("k"), undefined, { revision: 7 }), ErrFutureRev);
  assert.throws(() => t.store.range(b("k"), undefined, { revision: 7 }), {
    message: "etcdserver: mvcc: required revision is a future revision",
  });
  await t.store.compact(4).done;
  assert.throws(() => t.store.range(b("k"), undefined, { revision: 3 }), {
    message: "etcdserver: mvcc: required revision has been compacted",
  });
  // The compacted revision itself is still readable.
  assert.equal(t.store.range(b("k"), undefined, { revision: 4 }).kvs[0]?.value.toString(), "2");
  assert.throws(() => t.store.compact(4), ErrCompacted);
  assert.throws(() => t.store.compact(3), ErrCompacted);
  assert.throws(() => t.store.compact(7), ErrFutureRev);
  await t.close();
});

test("mvcc - compaction keeps each key's live version and drops tombstones", async () => {
  const t = openTestStore();
  put(t, "a", "1"); // 2
  put(t, "a", "2"); // 3
  put(t, "b", "1"); // 4
  del(t, "b"); // 5
  put(t, "c", "1"); // 6
  put(t, "a", "3"); // 7
  await t.store.compact(6).done;
  const all = [...t.backend.read((tx) => [...tx.keys("key")])].map((k) => k.readUInt32BE(4));
  assert.deepEqual(all, [3, 6, 7]);
  assert.deepEqual(
    t.store.range(b("a"), b("\0"), { revision: 6 }).kvs.map((kv) => [kv.key.toString(), kv.value.toString()]),
    [
      ["a", "2"],
      ["c", "1"],
    ],
  );
  // A later compaction drops what an earlier one kept once a newer version is below it.
  await t.store.compact(7).done;
  const after = [...t.backend.read((tx) => [...tx.keys("key")])].map((k) => k.readUInt32BE(4));
  assert.deepEqual(after, [6, 7]);
  assert.equal(
    t.backend.read((tx) => tx.count("kv_index")),
    2,
  );
  await t.close();
});

test("mvcc - compaction works in bounded batches and a restart finishes an interrupted one", async () => {
  const t = openTestStore({ compactionBatchLimit: 3 });
  for (let i = 0; i < 20; i++) put(t, `k${i % 4}`, `${i}`);
  const expected = t.store.range(b("k"), b("l"), { revision: 15 });
  // Persist the scheduled compaction, let one batch run, then "crash" (close stops between batches).
  t.store.compact(15);
  await new Promise((r) => setImmediate(r));
  const revsOnDisk = () => t.backend.read((tx) => [...tx.keys("key")].map((k) => k.readUInt32BE(4)));
  const partial = revsOnDisk().filter((r) => r <= 15);
  assert.ok(partial.length > 4 && partial.length < 14, `partly compacted: ${partial}`);
  assert.equal(
    t.backend.read((tx) => tx.get("meta", b("finishedCompactRev"))),
    undefined,
  );
  await t.reopen({ compactionBatchLimit: 3 });
  assert.equal(t.store.compactRevision(), 15);
  assert.deepEqual(t.store.range(b("k"), b("l"), { revision: 15 }), { ...expected, revision: 21 });
  await t.store.compactionsDone();
  // Nothing at or below 15 remains except the live versions at 15.
  assert.deepEqual(
    revsOnDisk().filter((r) => r <= 15),
    [12, 13, 14, 15],
  );
  assert.ok(t.backend.read((tx) => tx.get("meta", b("finishedCompactRev"))) !== undefined);
  await t.close();
});

test("mvcc - reopening gives the same state, revisions and hashes", async () => {
  const t = openTestStore();
  for (let i = 0; i < 30; i++) put(t, `key-${i % 7}`, `v${i}`);
  del(t, "key-3");
  await t.store.compact(10).done;
  const before = {
    range: t.store.range(b("key"), b("kez")),
    past: t.store.range(b("key"), b("kez"), { revision: 20 }),
    hashKV: t.store.hashKV(0),
    hash: t.store.hash(),
    rev: t.store.currentRevision(),
  };
  await t.reopen();
  assert.deepEqual(
    {
      range: t.store.range(b("key"), b("kez")),
      past: t.store.range(b("key"), b("kez"), { revision: 20 }),
      hashKV: t.store.hashKV(0),
      hash: t.store.hash(),
      rev: t.store.currentRevision(),
    },
    before,
  );
  assert.equal(t.store.compactRevision(), 10);
  assert.equal(put(t, "x", "y"), before.rev + 1);
  await t.close();
});

test("mvcc - hashes are stable and hashKV ignores history a compaction removes", async () => {
  const t = openTestStore();
  for (let i = 0; i < 10; i++) put(t, `k${i % 3}`, `${i}`);
  const h8 = t.store.hashKV(8);
  assert.deepEqual(t.store.hashKV(8), h8);
  assert.notEqual(t.store.hashKV(9).hash, h8.hash);
  const { done } = t.store.compact(5);
  // Scheduled but not yet carried out: the hash already skips what the compaction removes...
  const scheduled = { now: t.store.hashKV(0), at8: t.store.hashKV(8) };
  assert.notEqual(scheduled.at8.hash, h8.hash);
  assert.equal(scheduled.at8.compactRevision, 5);
  await done;
  // ...so carrying it out changes nothing.
  assert.deepEqual({ now: t.store.hashKV(0), at8: t.store.hashKV(8) }, scheduled);
  assert.throws(() => t.store.hashKV(5), ErrCompacted);
  assert.throws(() => t.store.hashKV(12), ErrFutureRev);
  assert.equal(t.store.hash().hash, t.store.hash().hash);
  await t.close();
});

test("mvcc - lease hooks hear attach and detach on put, replace and delete", async () => {
  const calls: string[] = [];
  const hooks = {
    attach: (lease: bigint, key: Buffer) => calls.push(`attach ${lease} ${key}`),
    detach: (lease: bigint, key: Buffer) => calls.push(`detach ${lease} ${key}`),
  };
  const t = openTestStore({ leaseHooks: hooks });
  put(t, "a", "1", 7n);
  put(t, "a", "2", 8n);
  put(t, "b", "1", 0x7fff_ffff_ffff_ffffn);
  del(t, "a", "\0");
  assert.deepEqual(calls, [
    "attach 7 a",
    "detach 7 a",
    "attach 8 a",
    `attach ${0x7fff_ffff_ffff_ffffn} b`,
    "detach 8 a",
    `detach ${0x7fff_ffff_ffff_ffffn} b`,
  ]);
  put(t, "c", "1", 9n);
  calls.length = 0;
  await t.reopen({ leaseHooks: hooks });
  assert.deepEqual(calls, ["attach 9 c"]);
  assert.equal(t.store.range(b("c")).kvs[0]?.lease, 9n);
  await t.close();
});

test("mvcc - an aborted backend transaction leaves revisions untouched", async () => {
  const t = openTestStore();
  put(t, "a", "1");
  assert.throws(() =>
    t.backend.write((tx) => {
      const w = t.store.write(tx);
      w.put(b("a"), b("2"));
      w.end();
      throw new Error("apply failed");
    }),
  );
  assert.equal(t.store.currentRevision(), 2);
  assert.equal(put(t, "a", "3"), 3);
  assert.equal(t.store.range(b("a")).kvs[0]?.version, 2);
  await t.close();
});

test("mvcc - several write transactions in one backend transaction make consecutive revisions", async () => {
  const t = openTestStore();
  const revs = t.backend.write((tx) => {
    const out: number[] = [];
    for (let i = 0; i < 3; i++) {
      const w = t.store.write(tx);
      w.put(b(`k${i}`), b("v"));
      out.push(w.end().revision);
    }
    return out;
  });
  assert.deepEqual(revs, [2, 3, 4]);
  assert.equal(t.store.currentRevision(), 4);
  await t.close();
});

test("mvcc - keys too long for the index are refused before anything is written", async () => {
  const t = openTestStore();
  assert.throws(() => put(t, "x".repeat(5000), "v"), ErrKeyTooLarge);
  assert.equal(t.store.currentRevision(), 1);
  assert.equal(put(t, "x".repeat(1900), "v"), 2);
  await t.close();
});

test("mvcc - compaction inside the caller's transaction starts after it commits", async () => {
  const t = openTestStore();
  for (let i = 0; i < 5; i++) put(t, "k", `${i}`);
  const { done, revision } = t.backend.write((tx) => {
    const w = t.store.write(tx);
    w.put(b("other"), b("v"));
    w.end();
    const c = t.store.compact(4, tx);
    assert.equal(t.store.compactRevision(), 4);
    return c;
  });
  assert.equal(revision, 4);
  assert.throws(() => t.store.range(b("k"), undefined, { revision: 3 }), ErrCompacted);
  await done;
  assert.deepEqual(
    t.backend.read((tx) => [...tx.keys("key")].map((k) => k.readUInt32BE(4))),
    [4, 5, 6, 7],
  );
  // An aborted transaction takes its compaction back.
  assert.throws(() =>
    t.backend.write((tx) => {
      t.store.compact(6, tx);
      throw new Error("apply failed");
    }),
  );
  assert.equal(t.store.compactRevision(), 4);
  await t.close();
});

test("mvcc - a write transaction reads past revisions and its own writes", async () => {
  const t = openTestStore();
  put(t, "a", "1");
  put(t, "a", "2");
  txn(t, (w) => {
    w.put(b("a"), b("3"));
    assert.equal(w.range(b("a")).kvs[0]?.value.toString(), "3");
    assert.equal(w.range(b("a"), undefined, { revision: 2 }).kvs[0]?.value.toString(), "1");
    assert.equal(w.range(b("a"), undefined, { revision: 3 }).kvs[0]?.value.toString(), "2");
    assert.equal(w.range(b("a")).revision, 4);
    assert.throws(() => w.range(b("a"), undefined, { revision: 5 }), ErrFutureRev);
  });
  await t.close();
});
