import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { ExpiryQueue } from "./expiry-queue.js";

test("expiry queue - pops in expiry order", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 })), (times) => {
      const q = new ExpiryQueue();
      for (const [i, t] of times.entries()) q.push({ id: BigInt(i), expiryMs: t });
      const popped: number[] = [];
      for (let item = q.pop(); item !== undefined; item = q.pop()) popped.push(item.expiryMs);
      assert.deepEqual(
        popped,
        [...times].sort((a, b) => a - b),
      );
      assert.equal(q.size, 0);
    }),
  );
});
