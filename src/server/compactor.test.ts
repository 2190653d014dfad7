import assert from "node:assert/strict";
import { test } from "node:test";
import { Compactor, type CompactorDeps } from "./compactor.js";

/** A fake clock whose timers fire when time is advanced. */
function harness() {
  let now = 0;
  let revision = 1;
  const timers: Array<{ at: number; fn: () => void }> = [];
  const compacted: number[] = [];
  const deps: CompactorDeps = {
    currentRevision: () => revision,
    compact: async (rev) => {
      compacted.push(rev);
    },
    now: () => now,
    setTimer: (fn, ms) => {
      const t = { at: now + ms, fn };
      timers.push(t);
      return () => timers.splice(timers.indexOf(t), 1);
    },
    log: () => {},
  };
  const advance = async (ms: number, revsPerMs = 0) => {
    const end = now + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (next === undefined || next.at > end) break;
      timers.shift();
      revision += Math.round((next.at - now) * revsPerMs);
      now = next.at;
      next.fn();
      await new Promise((r) => setImmediate(r));
    }
    revision += Math.round((end - now) * revsPerMs);
    now = end;
  };
  return { deps, advance, compacted, rev: () => revision };
}

test("compactor - periodic keeps one retention period of history", async () => {
  const h = harness();
  const c = new Compactor({ mode: "periodic", retentionMs: 10_000 }, h.deps);
  c.start();
  await h.advance(9_999, 1);
  assert.deepEqual(h.compacted, [], "nothing before a whole retention period");
  await h.advance(1, 1);
  assert.equal(h.compacted.length, 1);
  assert.equal(h.compacted[0], 1, "compacts to the revision seen a retention period ago");
  await h.advance(10_000, 1);
  assert.equal(h.compacted.length, 2);
  const latest = h.compacted[1] ?? 0;
  assert.ok(h.rev() - latest >= 9_000 && h.rev() - latest <= 11_000, `kept ${h.rev() - latest} revisions`);
  c.stop();
});

test("compactor - revision mode compacts to current minus retention every five minutes", async () => {
  const h = harness();
  const c = new Compactor({ mode: "revision", retainRevisions: 100 }, h.deps);
  c.start();
  await h.advance(5 * 60_000);
  assert.deepEqual(h.compacted, [], "not while the store is younger than the retention");
  await h.advance(5 * 60_000, 0.001);
  assert.deepEqual(h.compacted, [h.rev() - 100]);
  await h.advance(5 * 60_000);
  assert.equal(h.compacted.length, 1, "no compaction when nothing changed");
  c.stop();
});
