import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { SnapCrcMismatchError, SnapEmptyError, SnapNoSnapshotError } from "./errors.js";
import { snapName } from "./names.js";
import { decodeSnapFile, encodeSnapFile, type RaftSnapshot, Snapshotter } from "./snapshotter.js";
import { withTempDir } from "./testkit.js";

function snapshot(term: number, index: number, data = `state@${index}`): RaftSnapshot {
  return {
    data: Buffer.from(data),
    metadata: {
      confState: {
        voters: [1n, 0xfedcba9876543210n],
        learners: [3n],
        votersOutgoing: [],
        learnersNext: [],
        autoLeave: false,
      },
      index,
      term,
    },
  };
}

test("snapshotter - save then load returns the newest snapshot whole", async () => {
  await withTempDir(async (dir) => {
    const s = new Snapshotter(dir);
    await assert.rejects(s.load(), SnapNoSnapshotError);
    await s.save(snapshot(1, 10));
    await s.save(snapshot(2, 30));
    await s.save(snapshot(2, 20));
    assert.deepEqual(await readdir(dir), [snapName(1, 10), snapName(2, 20), snapName(2, 30)]);
    assert.deepEqual(await s.list(), [snapName(2, 30), snapName(2, 20), snapName(1, 10)]);
    const got = await s.load();
    assert.deepEqual({ ...got, data: Buffer.from(got.data) }, snapshot(2, 30));
  });
});

test("snapshotter - an empty snapshot (index 0) is not written", async () => {
  await withTempDir(async (dir) => {
    await new Snapshotter(dir).save(snapshot(0, 0));
    assert.deepEqual(await readdir(dir), []);
  });
});

test("snapshotter - a corrupt newest file is renamed .broken and the next one is used", async () => {
  await withTempDir(async (dir) => {
    const s = new Snapshotter(dir);
    await s.save(snapshot(1, 10));
    await s.save(snapshot(1, 20));
    const newest = join(dir, snapName(1, 20));
    const bytes = await readFile(newest);
    bytes[bytes.length - 3]! ^= 0xff;
    await writeFile(newest, bytes);
    await assert.rejects(s.read(snapName(1, 20)), SnapCrcMismatchError);
    assert.equal((await s.load()).metadata.index, 10);
    assert.deepEqual((await readdir(dir)).sort(), [snapName(1, 10), `${snapName(1, 20)}.broken`]);
    await writeFile(join(dir, snapName(1, 30)), Buffer.alloc(0));
    await assert.rejects(s.read(snapName(1, 30)), SnapEmptyError);
    assert.equal((await s.load()).metadata.index, 10);
  });
});

test("snapshotter - loadNewestAvailable takes the newest the WAL also recorded", async () => {
  await withTempDir(async (dir) => {
    const s = new Snapshotter(dir);
    for (const i of [10, 20, 30]) await s.save(snapshot(1, i));
    const got = await s.loadNewestAvailable([
      { index: 0, term: 0 },
      { index: 20, term: 1 },
    ]);
    assert.equal(got.metadata.index, 20);
    await assert.rejects(s.loadNewestAvailable([{ index: 20, term: 2 }]), SnapNoSnapshotError);
  });
});

test("snapshotter - any snapshot round-trips through the file format", () => {
  const id = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 200 }),
      fc.array(id, { maxLength: 5 }),
      fc.array(id, { maxLength: 3 }),
      fc.nat({ max: 2 ** 40 }),
      fc.integer({ min: 1, max: 2 ** 40 }),
      (data, voters, learners, term, index) => {
        const snap: RaftSnapshot = {
          data: Buffer.from(data),
          metadata: {
            confState: { voters, learners, votersOutgoing: [], learnersNext: [], autoLeave: true },
            index,
            term,
          },
        };
        const back = decodeSnapFile("x.snap", encodeSnapFile(snap));
        assert.deepEqual({ ...back, data: Buffer.from(back.data) }, snap);
      },
    ),
  );
});
