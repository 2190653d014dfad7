// The contract every Backend implementation must pass: run `backendContract(name, open)` from
// the implementation's test file. `open(path)` opens (creating if absent) the backend at path.
import assert from "node:assert/strict";
import { createWriteStream, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { after, describe, test } from "node:test";
import fc from "fast-check";
import type { Backend } from "./backend.js";

export type OpenBackend = (path: string) => Backend;

export function backendContract(name: string, openBackend: OpenBackend): void {
  describe(`${name} backend contract`, () => {
    const dirs: string[] = [];
    const open: Backend[] = [];
    async function fresh(): Promise<{ b: Backend; path: string }> {
      const dir = await mkdtemp(join(tmpdir(), "tetcd-backend-"));
      dirs.push(dir);
      const path = join(dir, "db");
      const b = openBackend(path);
      open.push(b);
      return { b, path };
    }
    after(async () => {
      for (const b of open) await b.close();
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    });

    test("backend - buckets are separate and binary keys and values round-trip", async () => {
      const { b } = await fresh();
      const odd = Buffer.from([0x00, 0xff, 0x00]);
      b.write((tx) => {
        tx.put("key", odd, Buffer.alloc(0));
        tx.put("meta", odd, Buffer.from([0xff, 0x00]));
        tx.put("lease", Buffer.from([0xff]), Buffer.from("x"));
      });
      b.read((tx) => {
        assert.deepEqual(tx.get("key", odd), Buffer.alloc(0));
        assert.deepEqual(tx.get("meta", odd), Buffer.from([0xff, 0x00]));
        assert.equal(tx.get("lease", odd), undefined);
        assert.equal(tx.get("auth", odd), undefined);
        assert.deepEqual([...tx.scan("lease")], [{ key: Buffer.from([0xff]), value: Buffer.from("x") }]);
      });
      for (const name of ["key", "meta", "lease", "auth", "authRoles"]) assert.ok(b.buckets().includes(name));
      b.ensureBuckets(["kv_extra"]);
      b.write((tx) => tx.put("kv_extra", odd, odd));
      b.read((tx) => assert.deepEqual(tx.get("kv_extra", odd), odd));
      assert.throws(() => b.write((tx) => tx.put("never_created", odd, odd)));
    });

    test("backend - scans, keys and counts match a sorted model in both directions", async () => {
      const { b } = await fresh();
      const keyArb = fc.uint8Array({ minLength: 1, maxLength: 4, max: 3 }).map((a) => Buffer.from(a));
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(keyArb, fc.boolean()), { maxLength: 40 }),
          fc.option(keyArb, { nil: undefined }),
          fc.option(keyArb, { nil: undefined }),
          fc.boolean(),
          fc.nat(6),
          async (ops, start, end, reverse, limit) => {
            const model = new Map<string, Buffer>();
            b.write((tx) => {
              for (const k of [...tx.keys("cluster")]) tx.delete("cluster", k);
              for (const [k, del] of ops) {
                const hex = k.toString("hex");
                if (del) {
                  assert.equal(tx.delete("cluster", k), model.delete(hex));
                } else {
                  tx.put("cluster", k, Buffer.from(hex));
                  model.set(hex, k);
                }
              }
            });
            let want = [...model.values()]
              .filter(
                (k) =>
                  (start === undefined || Buffer.compare(k, start) >= 0) &&
                  (end === undefined || Buffer.compare(k, end) < 0),
              )
              .sort(Buffer.compare);
            const total = want.length;
            if (reverse) want.reverse();
            if (limit > 0) want = want.slice(0, limit);
            const opts = {
              ...(start !== undefined ? { start } : {}),
              ...(end !== undefined ? { end } : {}),
              reverse,
              limit,
            };
            b.read((tx) => {
              const got = [...tx.scan("cluster", opts)];
              assert.deepEqual(
                got.map((e) => e.key),
                want,
              );
              for (const e of got) assert.equal(e.value.toString(), e.key.toString("hex"));
              assert.deepEqual([...tx.keys("cluster", opts)], want);
              assert.equal(tx.count("cluster", { ...opts, limit: 0 }), total);
            });
          },
        ),
        { numRuns: 60 },
      );
    });

    test("backend - a write sees its own changes and commits them atomically", async () => {
      const { b } = await fresh();
      const k = Buffer.from("k");
      const events: string[] = [];
      b.write((tx) => {
        tx.put("key", k, Buffer.from("1"));
        assert.deepEqual(tx.get("key", k), Buffer.from("1"));
        assert.equal(tx.count("key"), 1);
        tx.onCommit(() => {
          events.push("commit1");
          b.read((r) => assert.deepEqual(r.get("key", k), Buffer.from("1")));
        });
        tx.onCommit(() => events.push("commit2"));
        tx.onAbort(() => events.push("abort"));
      });
      assert.deepEqual(events, ["commit1", "commit2"]);
      assert.throws(
        () =>
          b.write((tx) => {
            tx.put("key", k, Buffer.from("2"));
            tx.put("meta", k, Buffer.from("2"));
            tx.onCommit(() => events.push("commit3"));
            tx.onAbort(() => events.push("abort3"));
            throw new Error("apply failed");
          }),
        /apply failed/,
      );
      assert.deepEqual(events, ["commit1", "commit2", "abort3"]);
      b.read((tx) => {
        assert.deepEqual(tx.get("key", k), Buffer.from("1"));
        assert.equal(tx.get("meta", k), undefined);
      });
      assert.equal(
        b.write((tx) => tx.delete("key", k)),
        true,
      );
      assert.equal(
        b.write((tx) => tx.delete("key", k)),
        false,
      );
    });

    test("backend - writes do not nest", async () => {
      const { b } = await fresh();
      assert.throws(() => b.write(() => b.write(() => 1)));
      assert.equal(
        b.write(() => 2),
        2,
      );
    });

    test("backend - state survives close and reopen", async () => {
      const { b, path } = await fresh();
      b.write((tx) => {
        for (let i = 0; i < 100; i++) tx.put("key", Buffer.from([i]), Buffer.from([i, i]));
      });
      await b.sync();
      const before = b.hash();
      await b.close();
      const again = openBackend(path);
      open.push(again);
      assert.equal(again.hash(), before);
      again.read((tx) => assert.equal(tx.count("key"), 100));
    });

    test("backend - hash covers every bucket and honours ignores", async () => {
      const { b: one } = await fresh();
      const { b: two } = await fresh();
      for (const b of [one, two]) {
        b.write((tx) => {
          tx.put("key", Buffer.from("a"), Buffer.from("1"));
          tx.put("meta", Buffer.from("consistent_index"), Buffer.from([1]));
        });
      }
      assert.equal(one.hash(), two.hash());
      two.write((tx) => tx.put("meta", Buffer.from("consistent_index"), Buffer.from([2])));
      assert.notEqual(one.hash(), two.hash());
      const ignore = [{ bucket: "meta", key: Buffer.from("consistent_index") }];
      assert.equal(one.hash(ignore), two.hash(ignore));
    });

    test("backend - sizes, defragment reclaims space and the store keeps working", async () => {
      const { b } = await fresh();
      const value = Buffer.alloc(1000, 7);
      for (let j = 0; j < 10; j++) {
        b.write((tx) => {
          for (let i = 0; i < 200; i++) tx.put("key", Buffer.from(`k${j}-${i}`), value);
        });
      }
      await b.sync();
      const full = b.sizeInUseBytes();
      assert.ok(full > 2_000_000 && full <= b.sizeBytes(), `in use ${full} of ${b.sizeBytes()}`);
      b.write((tx) => {
        for (const k of [...tx.keys("key")]) if (!k.toString().startsWith("k0-")) tx.delete("key", k);
      });
      assert.ok(b.sizeInUseBytes() < full / 4, `in use after delete ${b.sizeInUseBytes()}`);
      await b.sync();
      const sizeBefore = b.sizeBytes();
      await b.defragment();
      assert.ok(b.sizeBytes() < sizeBefore / 2, `defragmented ${b.sizeBytes()} from ${sizeBefore}`);
      b.read((tx) => assert.equal(tx.count("key"), 200));
      b.write((tx) => tx.put("key", Buffer.from("after"), value));
      b.read((tx) => assert.deepEqual(tx.get("key", Buffer.from("after")), value));
    });

    test("backend - snapshot streams a consistent copy that opens as a backend", async () => {
      const { b, path } = await fresh();
      b.write((tx) => {
        for (let i = 0; i < 50; i++) tx.put("key", Buffer.from([i]), Buffer.from([i]));
      });
      const snap = await b.snapshot();
      b.write((tx) => tx.put("key", Buffer.from("later"), Buffer.from("x")));
      const copy = `${path}.copy`;
      await pipeline(snap.stream, createWriteStream(copy));
      assert.equal(statSync(copy).size, snap.sizeBytes);
      const copied = openBackend(copy);
      open.push(copied);
      assert.ok(snap.sizeBytes > 0);
      copied.read((tx) => {
        assert.equal(tx.count("key"), 50);
        assert.equal(tx.get("key", Buffer.from("later")), undefined);
      });
    });

    test("backend - sync resolves", async () => {
      const { b } = await fresh();
      b.write((tx) => tx.put("alarm", Buffer.from("a"), Buffer.from("b")));
      await b.sync();
    });
  });
}
