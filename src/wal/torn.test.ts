// Crash damage: a torn tail must end the log exactly after the last complete record and
// be repairable; damage anywhere else must be reported, never read as data.
import assert from "node:assert/strict";
import { cp, readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { dumpWal } from "./dump.js";
import { WalCorruptError, WalCrcMismatchError, WalError, WalUnexpectedEofError } from "./errors.js";
import { walName } from "./names.js";
import { repairWal } from "./repair.js";
import { makeEntries, plain, unsyncedFs, withTempDir } from "./testkit.js";
import type { WalEntry } from "./types.js";
import { Wal } from "./wal.js";

const META = Buffer.from("m");
const SMALL = { segmentSizeBytes: 8 * 1024, fs: unsyncedFs() };
const ZERO = { index: 0, term: 0 };

/** Reads the WAL as the server does at boot: open, readAll, on a torn tail repair and retry. */
async function recover(dir: string): Promise<{ entries: WalEntry[]; repaired: boolean }> {
  for (let attempt = 0; ; attempt++) {
    const w = await Wal.open(dir, ZERO, SMALL);
    try {
      const { entries } = await w.readAll();
      return { entries, repaired: attempt > 0 };
    } catch (err) {
      if (!(err instanceof WalUnexpectedEofError) || attempt > 0) throw err;
      await w.close();
      await repairWal(dir);
    } finally {
      await w.close();
    }
  }
}

/** A WAL whose tail segment ends with single-entry records; returns where each one starts and ends. */
async function buildWal(dir: string) {
  const w = await Wal.create(dir, META, SMALL);
  const all = makeEntries(1, 300, 1, 60);
  for (let i = 0; i < 290; i += 10) w.save({ term: 1, vote: 1n, commit: i }, all.slice(i, i + 10));
  for (let i = 290; i < 300; i++) w.save(undefined, all.slice(i, i + 1));
  await w.close();
  const names = (await readdir(dir)).filter((n) => n.endsWith(".wal")).sort();
  assert.ok(names.length >= 3);
  const tail = names.at(-1)!;
  const recs = (await dumpWal(dir)).records.filter((r) => r.segment === tail);
  const entryRecs = recs.filter((r) => r.type === "entry");
  return { all, names, tail, entryRecs };
}

test("torn - truncating the tail at every byte of its last records loses only the torn record", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "wal");
    const { all, tail, entryRecs } = await buildWal(dir);
    const path = join(dir, tail);
    const original = await readFile(path);
    const from = entryRecs.at(-3)!.offset;
    const to = nextOffset(original, entryRecs.at(-1)!.offset);
    let repairs = 0;
    for (let cut = from; cut <= to; cut++) {
      await writeFile(path, original);
      await truncate(path, cut);
      const complete = entryRecs.filter((r) => nextOffset(original, r.offset) <= cut);
      const expected = (complete.at(-1)!.value as WalEntry).index;
      const { entries, repaired } = await recover(dir);
      assert.deepEqual(plain(entries), plain(all.slice(0, expected)), `cut at ${cut}`);
      const atBoundary = complete.some((r) => nextOffset(original, r.offset) === cut);
      assert.equal(repaired, !atBoundary && cut !== from, `repair needed only inside a record (cut ${cut})`);
      if (repaired) repairs++;
      await rm(`${path}.broken`, { force: true });
    }
    assert.ok(repairs > 0);
  });
});

test("torn - a record whose later sector never reached the disk is a torn tail", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "wal");
    const w = await Wal.create(dir, META, SMALL);
    w.save({ term: 1, vote: 1n, commit: 1 }, makeEntries(1, 3, 1, 100));
    w.save(undefined, makeEntries(4, 4, 1, 2000)); // spans several sectors
    await w.close();
    const path = join(dir, walName(0, 0));
    const original = await readFile(path);
    const big = (await dumpWal(dir)).records.at(-1)!;
    // Zero from each sector boundary inside the big record to the end: as if those sectors were lost.
    const firstSector = Math.ceil((big.offset + 9) / 512) * 512;
    for (let at = firstSector; at < nextOffset(original, big.offset); at += 512) {
      const damaged = Buffer.from(original);
      damaged.fill(0, at);
      await writeFile(path, damaged);
      const { entries, repaired } = await recover(dir);
      assert.equal(repaired, true);
      assert.deepEqual(
        entries.map((e) => e.index),
        [1, 2, 3],
      );
    }
  });
});

test("torn - a flipped byte in an earlier record is a crc error naming segment and offset", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "wal");
    const { names, all } = await buildWal(dir);
    const dump = await dumpWal(dir);
    for (const seg of [names[1]!, names.at(-1)!]) {
      const path = join(dir, seg);
      const original = await readFile(path);
      const target = dump.records.filter((r) => r.segment === seg && r.type === "entry")[2]!;
      // Every byte of the length word and the record itself (padding is not checked, as in etcd).
      const end = target.offset + 8 + original.readUInt32LE(target.offset);
      for (let at = target.offset; at < end; at++) {
        const damaged = Buffer.from(original);
        damaged[at]! ^= 0x41;
        await writeFile(path, damaged);
        const w = await Wal.open(dir, ZERO, SMALL);
        const result = await w.readAll().then(
          (c) => c,
          (e: unknown) => e,
        );
        await w.close();
        if (at < target.offset + 8) {
          // The length word: any outcome but silently different data.
          if (!(result instanceof WalError))
            assert.deepEqual(plain((result as { entries: WalEntry[] }).entries), plain(all));
          continue;
        }
        assert.ok(
          result instanceof WalCrcMismatchError || result instanceof WalCorruptError,
          `byte ${at}: ${result}`,
        );
        assert.equal(result.segment, seg);
        assert.equal(result.offset, target.offset);
        assert.match(result.message, new RegExp(`segment ${seg}, offset ${target.offset}`));
      }
      await writeFile(path, original);
    }
  });
});

test("torn - a middle segment that ends early is corruption, not a tear", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "wal");
    const { names } = await buildWal(dir);
    const path = join(dir, names[1]!);
    const size = (await readFile(path)).length;
    await truncate(path, size - 5);
    const w = await Wal.open(dir, ZERO, SMALL);
    await assert.rejects(w.readAll(), WalCorruptError);
    await w.close();
    await assert.doesNotReject(repairWal(dir)); // repair only looks at the tail...
    const again = await Wal.open(dir, ZERO, SMALL);
    await assert.rejects(again.readAll(), WalCorruptError); // ...so the damage stays reported
    await again.close();
  });
});

test("torn - repair keeps a copy of the torn segment and appends continue after it", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "wal");
    const { tail, entryRecs } = await buildWal(dir);
    const path = join(dir, tail);
    const last = entryRecs.at(-1)!;
    await truncate(path, last.offset + 20);
    const copy = join(root, "copy");
    await cp(dir, copy, { recursive: true });
    const result = await repairWal(dir);
    assert.deepEqual(result, { segment: tail, truncatedAt: last.offset });
    assert.deepEqual(await readFile(`${path}.broken`), await readFile(join(copy, tail)));
    const w = await Wal.open(dir, ZERO, SMALL);
    const { entries } = await w.readAll();
    assert.equal(entries.at(-1)!.index, 299);
    w.save({ term: 2, vote: 1n, commit: 300 }, makeEntries(300, 310, 2));
    await w.close();
    const { entries: after, repaired } = await recover(dir);
    assert.equal(repaired, false);
    assert.equal(after.at(-1)!.index, 310);
    assert.deepEqual(await repairWal(dir), { segment: tail }, "a clean WAL needs no repair");
  });
});

/** Offset just after the record whose length word is at `off`. */
function nextOffset(seg: Buffer, off: number): number {
  const low = seg.readUInt32LE(off);
  const top = seg[off + 7]!;
  return off + 8 + low + (top & 0x80 ? top & 7 : 0);
}
