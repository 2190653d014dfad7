import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { Progress, ProgressState } from "./progress.js";

describe("Progress", () => {
  test("progress - a rejection in probe state is stale unless it is for next-1", () => {
    const pr = new Progress(10, 5, 4, false);
    assert.equal(pr.maybeDecrTo(8, 8), false);
    assert.equal(pr.next, 10);
    assert.equal(pr.maybeDecrTo(9, 7), true);
    assert.equal(pr.next, 8);
    // never below match+1
    const low = new Progress(10, 5, 4, false);
    assert.equal(low.maybeDecrTo(9, 0), true);
    assert.equal(low.next, 6);
  });

  test("progress - a rejection in replicate state falls back to match+1 unless already matched", () => {
    const pr = new Progress(10, 5, 4, false);
    pr.becomeReplicate();
    pr.optimisticUpdate(12);
    assert.equal(pr.maybeDecrTo(4, 4), false);
    assert.equal(pr.maybeDecrTo(11, 3), true);
    assert.equal(pr.next, 6);
  });

  test("progress - probing pauses after one message, replicating when the window is full, snapshots always", () => {
    const pr = new Progress(2, 1, 2, false);
    assert.equal(pr.isPaused(), false);
    pr.probeSent = true;
    assert.equal(pr.isPaused(), true);
    pr.maybeUpdate(3);
    assert.equal(pr.isPaused(), false);
    pr.becomeReplicate();
    pr.inflights.add(4);
    pr.inflights.add(5);
    assert.equal(pr.isPaused(), true);
    pr.becomeSnapshot(10);
    assert.equal(pr.isPaused(), true);
    pr.becomeProbe();
    assert.equal(pr.state, ProgressState.StateProbe);
    assert.equal(pr.next, 11);
  });

  test("progress - 0 <= match < next holds through any sequence of updates", () => {
    const op = fc.oneof(
      fc.integer({ min: 0, max: 40 }).map((n) => ["update", n] as const),
      fc.integer({ min: 0, max: 40 }).map((n) => ["decr", n] as const),
      fc.constant(["probe", 0] as const),
      fc.constant(["replicate", 0] as const),
      fc.integer({ min: 1, max: 40 }).map((n) => ["snapshot", n] as const),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const pr = new Progress(1, 0, 4, false);
        for (const [kind, n] of ops) {
          if (kind === "update") pr.maybeUpdate(n);
          else if (kind === "decr") pr.maybeDecrTo(n, n - 1);
          else if (kind === "probe") pr.becomeProbe();
          else if (kind === "replicate") pr.becomeReplicate();
          else pr.becomeSnapshot(n);
          assert.ok(pr.match >= 0 && pr.match < pr.next, `${pr}`);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
