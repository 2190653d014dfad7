import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Io } from "../io.js";
import { ProgressReporter } from "./progress.js";

function capture(): { io: Io; err: string[] } {
  const err: string[] = [];
  return { io: { out: () => undefined, err: (d) => err.push(String(d)) }, err };
}

const page = (keys: number) => ({
  keys,
  bytes: keys * 2048,
  revision: 99,
  lastKey: `/registry/pods/${keys}`,
});

describe("lens progress", () => {
  it("lens progress - on a terminal a short listing stays silent", () => {
    let now = 0;
    const { io, err } = capture();
    const p = new ProgressReporter(io, { tty: true, quietMs: 1000, intervalMs: 200, now: () => now });
    for (let k = 500; k <= 1500; k += 500) {
      now += 100;
      p.update(page(k));
    }
    p.done();
    assert.deepEqual(err, []);
  });

  it("lens progress - on a terminal a long listing rewrites one line, then ends it", () => {
    let now = 0;
    const { io, err } = capture();
    const p = new ProgressReporter(io, { tty: true, quietMs: 1000, intervalMs: 200, now: () => now });
    for (let k = 500; k <= 10_000; k += 500) {
      now += 150;
      p.update(page(k));
    }
    p.done();
    assert.ok(err.length > 2 && err.length < 20, `${err.length} writes`);
    assert.ok(err.slice(0, -1).every((w) => w.startsWith("\r\x1b[K") && !w.includes("\n")));
    assert.equal(err[err.length - 2], "\r\x1b[Kread 10000 keys (19.5 MiB) at revision 99 in 3.0s, done");
    assert.equal(err[err.length - 1], "\n");
  });

  it("lens progress - asked for without a terminal: whole lines at most once an interval, and the last", () => {
    let now = 0;
    const { io, err } = capture();
    const p = new ProgressReporter(io, { tty: false, quietMs: 0, intervalMs: 1000, now: () => now });
    for (let k = 100; k <= 3000; k += 100) {
      now += 100;
      p.update(page(k));
    }
    p.done();
    assert.equal(err.length, 4);
    assert.match(err[0]!, /^read 100 keys \(200\.0 KiB\) at revision 99 in 0\.1s…\n$/);
    assert.equal(err[3], "read 3000 keys (5.9 MiB) at revision 99 in 3.0s, done\n");
  });
});
