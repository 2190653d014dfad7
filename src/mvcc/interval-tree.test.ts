import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { IntervalTree } from "./interval-tree.js";

const byte = fc.integer({ min: 0, max: 5 }).map((n) => Buffer.from([n]));
const key = fc
  .array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 })
  .map((a) => Buffer.from(a));

test("interval tree - stabbing matches a naive scan over random inserts and deletes", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc
          .tuple(fc.boolean(), key, fc.option(byte, { nil: null }))
          .filter(([, s, e]) => e === null || Buffer.compare(s, e) < 0),
        { maxLength: 60 },
      ),
      fc.array(key, { maxLength: 20 }),
      (ops, points) => {
        const tree = new IntervalTree<string>();
        const naive = new Map<string, [Buffer, Buffer | null]>();
        for (const [remove, start, end] of ops) {
          const id = `${start.toString("hex")}-${end?.toString("hex") ?? "inf"}`;
          if (remove) {
            assert.equal(tree.delete(start, end), naive.delete(id));
          } else if (!naive.has(id)) {
            tree.insert(start, end, id);
            naive.set(id, [start, end]);
          }
          assert.equal(tree.size, naive.size);
        }
        for (const p of points) {
          const got: string[] = [];
          tree.stab(p, (v) => got.push(v));
          const want = [...naive]
            .filter(([, [s, e]]) => Buffer.compare(s, p) <= 0 && (e === null || Buffer.compare(p, e) < 0))
            .map(([id]) => id);
          assert.deepEqual(got.sort(), want.sort());
        }
      },
    ),
    { numRuns: 300 },
  );
});
