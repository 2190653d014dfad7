import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { confChangeOfEntry, type Entry, MemoryStorage, RawNode } from "../raft/index.js";
import { testRandom } from "../raft/testing/network.js";
import { Wal } from "../wal/index.js";
import { type WriteCountingFs, writeCountingFs } from "../wal/testkit.js";
import { RaftDriver } from "./raft-driver.js";

/** A lone voter driven by a RaftDriver over a real WAL; resolves once it leads. */
async function loneLeader(fs: WriteCountingFs, dir: string) {
  const wal = await Wal.create(join(dir, "wal"), Buffer.from("meta"), { fs });
  const storage = new MemoryStorage();
  const node = new RawNode({ id: 1n, electionTick: 10, heartbeatTick: 1, storage, random: testRandom(3) });
  node.bootstrap([{ id: 1n }]);
  const applied: string[] = [];
  let onApplied: () => void = () => {};
  let leading: () => void = () => {};
  const led = new Promise<void>((resolve) => {
    leading = resolve;
  });
  const driver = new RaftDriver(
    node,
    storage,
    wal,
    {
      apply(entries: Entry[]) {
        for (const e of entries) {
          const cc = confChangeOfEntry(e);
          if (cc === null) {
            if (e.data.length > 0) applied.push(Buffer.from(e.data).toString());
            continue;
          }
          node.applyConfChange(cc);
          // As the server does: campaign once the bootstrap configuration is applied,
          // after this turn's advance().
          setImmediate(() => driver.campaign());
        }
        onApplied();
      },
      softStateChanged: (s) => {
        if (s.lead === 1n) leading();
      },
      readStates: () => {},
      send: () => {},
      fatal: (e) => assert.fail(e),
    },
    60_000,
    fs.now,
  );
  driver.start();
  await led;
  /** Proposes each of `data` in one go and waits until all are applied. */
  const propose = async (...data: string[]): Promise<void> => {
    const done = new Promise<void>((resolve) => {
      onApplied = () => {
        if (data.every((d) => applied.includes(d))) resolve();
      };
    });
    for (const d of data) driver.propose(Buffer.from(d));
    await done;
  };
  const close = async (): Promise<void> => {
    await driver.stop();
    await wal.close();
  };
  return { propose, close };
}

test("raft driver - a lone entry is written inline on a fast disk, batches and slow disks go to the pool", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tetcd-driver-"));
  const fs = writeCountingFs();
  fs.writeMs = 0.1;
  const member = await loneLeader(fs, dir);
  try {
    let before = { ...fs.counts };
    for (let i = 0; i < 5; i++) await member.propose(`lone-${i}`);
    assert.equal(fs.counts.blocking - before.blocking, 5, "each lone entry written on the loop thread");
    assert.equal(fs.counts.background, before.background);

    before = { ...fs.counts };
    await member.propose(...Array.from({ length: 20 }, (_, i) => `batch-${i}`));
    assert.equal(fs.counts.blocking, before.blocking, "a batch never blocks the loop");
    assert.ok(fs.counts.background > before.background);

    // A disk that takes 5 ms per write: after a few samples the moving average passes 1 ms
    // and lone entries go to the pool as well.
    fs.writeMs = 5;
    before = { ...fs.counts };
    for (let i = 0; i < 10; i++) await member.propose(`slow-${i}`);
    assert.ok(
      fs.counts.blocking - before.blocking <= 3,
      `${fs.counts.blocking - before.blocking} blocking writes`,
    );
    assert.ok(fs.counts.background - before.background >= 7);
  } finally {
    await member.close();
    await rm(dir, { recursive: true, force: true });
  }
});
