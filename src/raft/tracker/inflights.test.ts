import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { Inflights } from "./inflights.js";

type Op = { kind: "add" } | { kind: "freeLE"; to: number } | { kind: "freeFirst" } | { kind: "reset" };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.constant({ kind: "add" as const }),
  fc.integer({ min: 0, max: 60 }).map((to) => ({ kind: "freeLE" as const, to })),
  fc.constant({ kind: "freeFirst" as const }),
  fc.constant({ kind: "reset" as const }),
);

describe("Inflights", () => {
  test("inflights - behaves like a bounded FIFO of increasing indexes (against a naive array)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(op, { maxLength: 200 }), (size, ops) => {
        const inf = new Inflights(size);
        let model: number[] = [];
        let next = 1;
        for (const o of ops) {
          switch (o.kind) {
            case "add":
              if (model.length === size) {
                assert.throws(() => inf.add(next));
              } else {
                inf.add(next);
                model.push(next);
              }
              next++;
              break;
            case "freeLE":
              inf.freeLE(o.to);
              model = model.filter((i) => i > o.to);
              break;
            case "freeFirst":
              inf.freeFirstOne();
              model = model.slice(1);
              break;
            case "reset":
              inf.reset();
              model = [];
              break;
          }
          assert.equal(inf.count(), model.length);
          assert.equal(inf.full(), model.length === size);
        }
      }),
      { numRuns: 1000 },
    );
  });

  test("inflights - wrapping around the ring keeps order", () => {
    const inf = new Inflights(10);
    for (let i = 0; i < 5; i++) inf.add(i);
    inf.freeLE(4);
    for (let i = 5; i < 15; i++) inf.add(i);
    assert.ok(inf.full());
    inf.freeLE(8);
    assert.equal(inf.count(), 6);
    inf.freeLE(14);
    assert.equal(inf.count(), 0);
  });
});
