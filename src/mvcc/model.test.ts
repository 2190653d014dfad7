// The store against a naive in-memory model: every revision's whole key space as a map.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { ErrCompacted } from "./errors.js";
import type { KeyValue } from "./kv.js";
import { openTestStore } from "./testing.js";

type Snapshot = Map<string, KeyValue>;

const keyArb = fc.constantFrom("a", "ab", "b", "b\u0000", "c", "\u00ff").map((s) => Buffer.from(s, "latin1"));
const op = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("put" as const),
      key: keyArb,
      value: fc.uint8Array({ maxLength: 3 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("del" as const),
      key: keyArb,
      end: fc.option(keyArb, { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("compact" as const), back: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("reopen" as const) }) },
);
const txnArb = fc.array(op, { minLength: 1, maxLength: 3 });

function inRange(k: Buffer, key: Buffer, end: Buffer | undefined): boolean {
  if (end === undefined || end.length === 0) return k.equals(key);
  if (end.length === 1 && end[0] === 0) return Buffer.compare(k, key) >= 0;
  return Buffer.compare(k, key) >= 0 && Buffer.compare(k, end) < 0;
}

test("mvcc model - random histories read the same as a naive model at every revision", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(txnArb, { maxLength: 25 }), async (txns) => {
      const t = openTestStore({ compactionBatchLimit: 2 });
      try {
        const history: Snapshot[] = [new Map(), new Map()]; // revisions 0 and 1: empty
        let compacted = -1;
        for (const ops of txns) {
          const meta = ops.filter((o) => o.kind === "compact" || o.kind === "reopen");
          const writes = ops.filter((o) => o.kind === "put" || o.kind === "del");
          if (writes.length > 0) {
            const cur = new Map(history[history.length - 1]!);
            const rev = history.length;
            const result = t.backend.write((tx) => {
              const w = t.store.write(tx);
              for (const o of writes) {
                if (o.kind === "put") {
                  const id = o.key.toString("latin1");
                  const prev = cur.get(id);
                  const kv: KeyValue = {
                    key: o.key,
                    createRevision: prev?.createRevision ?? rev,
                    modRevision: rev,
                    version: (prev?.version ?? 0) + 1,
                    value: Buffer.from(o.value),
                    lease: 0n,
                  };
                  assert.deepEqual(w.put(o.key, Buffer.from(o.value)), prev);
                  cur.set(id, kv);
                } else if (o.kind === "del") {
                  const gone = [...cur.values()]
                    .filter((kv) => inRange(kv.key, o.key, o.end))
                    .sort((x, y) => Buffer.compare(x.key, y.key));
                  assert.deepEqual(w.deleteRange(o.key, o.end), gone);
                  for (const kv of gone) cur.delete(kv.key.toString("latin1"));
                }
              }
              return w.end();
            });
            if (result.revision === rev) history.push(cur);
            else assert.equal(result.revision, rev - 1);
          }
          for (const o of meta) {
            if (o.kind === "compact") {
              const target = history.length - 1 - o.back;
              if (target > compacted) {
                await t.store.compact(target).done;
                compacted = target;
              } else {
                assert.throws(() => t.store.compact(target), ErrCompacted);
              }
            } else if (o.kind === "reopen") {
              await t.reopen({ compactionBatchLimit: 2 });
            }
          }
          assert.equal(t.store.currentRevision(), history.length - 1);
          // Every readable revision, every range shape.
          for (let rev = Math.max(1, compacted); rev < history.length; rev++) {
            const snap = history[rev]!;
            for (const [key, end] of [
              [Buffer.from("a"), Buffer.from([0])],
              [Buffer.from("ab"), undefined],
              [Buffer.from("b"), Buffer.from("c")],
              [Buffer.from("b\u0000", "latin1"), undefined],
            ] as Array<[Buffer, Buffer | undefined]>) {
              const want = [...snap.values()]
                .filter((kv) => inRange(kv.key, key, end))
                .sort((x, y) => Buffer.compare(x.key, y.key));
              const got = t.store.range(key, end, { revision: rev });
              assert.deepEqual(got.kvs, want);
              assert.equal(got.count, want.length);
              const limited = t.store.range(key, end, { revision: rev, limit: 1 });
              assert.deepEqual(limited.kvs, want.slice(0, 1));
              assert.equal(limited.count, want.length);
            }
          }
          if (compacted > 1)
            assert.throws(
              () => t.store.range(Buffer.from("a"), undefined, { revision: compacted - 1 }),
              ErrCompacted,
            );
        }
      } finally {
        await t.close();
      }
    }),
    { numRuns: 60 },
  );
});
