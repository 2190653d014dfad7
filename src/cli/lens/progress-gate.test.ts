import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProgressGate } from "./progress-gate.js";

const O = { idleMs: 100, graceMs: 1000, lostMs: 2000 };

describe("lens progress gate", () => {
  it("lens progress gate - asks nothing before the watch is created, then only when idle", () => {
    const g = new ProgressGate(O);
    assert.equal(g.shouldRequest(5000), false);
    g.created(0);
    assert.equal(g.shouldRequest(50), false);
    assert.equal(g.shouldRequest(100), true);
    g.activity(150);
    assert.equal(g.shouldRequest(200), false);
    assert.equal(g.shouldRequest(250), true);
  });

  it("lens progress gate - an answer to a request sent within the grace period is not believed", () => {
    const g = new ProgressGate(O);
    g.created(0);
    for (let t = 100; t < 1000; t += 100) {
      assert.ok(g.shouldRequest(t));
      g.requested(t);
      assert.equal(g.answered(42), undefined, `request at ${t}ms`);
    }
  });

  it("lens progress gate - a believable answer counts once a later request is answered too", () => {
    const g = new ProgressGate(O);
    g.created(0);
    g.requested(1000);
    assert.equal(g.answered(42), undefined);
    // The confirmation is sent at once, without waiting for silence.
    g.activity(1001);
    assert.ok(g.shouldRequest(1002));
    g.requested(1002);
    assert.equal(g.answered(45), 42);
    // And the next report needs its own confirmation.
    g.requested(1200);
    assert.equal(g.answered(45), undefined);
    g.requested(1201);
    assert.equal(g.answered(46), 45);
  });

  it("lens progress gate - a reconnect (created again) voids what was believed", () => {
    const g = new ProgressGate(O);
    g.created(0);
    g.requested(1000);
    assert.equal(g.answered(42), undefined);
    g.created(1100);
    g.requested(1200);
    assert.equal(g.answered(43), undefined);
    g.requested(2200);
    assert.equal(g.answered(43), undefined);
    g.requested(2300);
    assert.equal(g.answered(44), 43);
  });

  it("lens progress gate - an unanswered request is given up after a while; unasked answers are ignored", () => {
    const g = new ProgressGate(O);
    g.created(0);
    g.requested(1000);
    assert.equal(g.shouldRequest(1500), false);
    assert.equal(g.shouldRequest(3000), true);
    const fresh = new ProgressGate(O);
    fresh.created(0);
    assert.equal(fresh.answered(7), undefined);
  });
});
