// CI's share of the simulator: a few hundred seeds of whole clusters under faults, the
// replay guarantee, and proof that the checker notices broken invariants.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EntryType } from "../types.js";
import { Checker, chainHash, entryKey, Violation } from "./checker.js";
import { Prng } from "./prng.js";
import { describeFailure, nodesFor, runSeed } from "./run.js";

const SEEDS = 200;
const STEPS = 2000;

describe("simulator", () => {
  test(`sim - ${SEEDS} seeds of ${STEPS} steps keep every invariant and recover after faults`, () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const r = runSeed({ seed, steps: STEPS, nodes: nodesFor(seed, undefined), fullTrace: false });
      if (!r.ok) failures.push(describeFailure(r, 60));
    }
    assert.deepEqual(failures, []);
  });

  test("sim - the same seed gives the same trace", () => {
    for (const seed of [7, 8]) {
      const a = runSeed({ seed, steps: 800, nodes: nodesFor(seed, undefined), fullTrace: false });
      const b = runSeed({ seed, steps: 800, nodes: nodesFor(seed, undefined), fullTrace: false });
      assert.equal(a.traceHash, b.traceHash);
      assert.equal(a.trace.lines(), b.trace.lines());
    }
    const other = runSeed({ seed: 9, steps: 800, nodes: 5, fullTrace: false });
    assert.notEqual(other.traceHash, runSeed({ seed: 7, steps: 800, nodes: 5, fullTrace: false }).traceHash);
  });

  test("sim - the prng is deterministic and uniform enough", () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 10000; i++) {
      const x = a.int(10);
      assert.equal(x, b.int(10));
      counts[x]!++;
    }
    for (const c of counts) assert.ok(c > 800 && c < 1200, `bucket ${c}`);
  });
});

describe("checker", () => {
  const e = (index: number, term: number, data: string) => ({
    index,
    term,
    type: EntryType.EntryNormal,
    data: new TextEncoder().encode(data),
  });

  test("checker - log matching: the same index and term with other content is caught", () => {
    const c = new Checker();
    c.checkPersist(1n, [e(1, 1, "a")], () => 0, 0);
    assert.throws(
      () => c.checkPersist(2n, [e(1, 1, "b")], () => 0, 0),
      (x) => x instanceof Violation && /log matching/.test(x.message),
    );
  });

  test("checker - members applying different entries at one index is caught", () => {
    const c = new Checker();
    const ka = entryKey(e(1, 1, "a"));
    const kb = entryKey(e(1, 1, "b"));
    c.checkApply(1n, 1, 0, ka, chainHash(0, ka));
    assert.throws(() => c.checkApply(2n, 1, 0, kb, chainHash(0, kb)), /same applied sequence/);
    assert.throws(() => c.checkApply(2n, 3, 1, ka, 0), /apply order/);
  });

  test("checker - a read that misses an acknowledged write is caught", () => {
    const c = new Checker();
    c.ack(5, "x");
    assert.throws(() => c.checkRead(1n, 4, c.maxAckedIndex), /linearizable read/);
    c.checkRead(1n, 5, c.maxAckedIndex);
  });
});
