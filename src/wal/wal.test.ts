import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { dumpWal } from "./dump.js";
import {
  WalExistsError,
  WalFailedError,
  WalFileNotFoundError,
  WalLockedError,
  WalSnapshotMismatchError,
  WalSnapshotNotFoundError,
} from "./errors.js";
import { parseWalName, walName } from "./names.js";
import { countingFs, makeEntries, plain, withTempDir, writeCountingFs } from "./testkit.js";
import type { WalEntry } from "./types.js";
import { Wal } from "./wal.js";

const META = Buffer.from("cluster-metadata");
const SMALL = { segmentSizeBytes: 16 * 1024 };

/** Saves entries 20 at a time (a WAL cuts a segment only between saves). */
function saveInBatches(w: Wal, entries: readonly WalEntry[]): void {
  for (let i = 0; i < entries.length; i += 20) {
    const batch = entries.slice(i, i + 20);
    w.save({ term: batch[0]!.term, vote: 1n, commit: batch[0]!.index }, batch);
  }
}

test("wal - create, save, reopen and readAll returns metadata, state and entries", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "wal");
    const w = await Wal.create(dir, META);
    const ents = makeEntries(1, 10);
    w.save({ term: 1, vote: 7n, commit: 3 }, ents.slice(0, 5));
    w.save({ term: 1, vote: 7n, commit: 5 }, ents.slice(5));
    await w.sync();
    await w.close();
    assert.deepEqual(await readdir(dir), [walName(0, 0)]);

    const r = await Wal.open(dir, { index: 0, term: 0 });
    const got = await r.readAll();
    assert.deepEqual(got.metadata, META);
    assert.deepEqual(got.hardState, { term: 1, vote: 7n, commit: 5 });
    assert.deepEqual(plain(got.entries), plain(ents));
    await r.close();
  });
});

test("wal - create refuses a directory that holds segments", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "wal");
    await (await Wal.create(dir, META)).close();
    await assert.rejects(Wal.create(dir, META), WalExistsError);
    await assert.rejects(Wal.open(join(root, "empty"), { index: 0, term: 0 }));
  });
});

test("wal - appends after reopening continue the crc chain", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "wal");
    const w = await Wal.create(dir, META);
    w.save({ term: 1, vote: 1n, commit: 1 }, makeEntries(1, 3));
    await w.close();
    for (let round = 0; round < 3; round++) {
      const r = await Wal.open(dir, { index: 0, term: 0 });
      const { entries } = await r.readAll();
      const next = entries.length + 1;
      r.save({ term: 2, vote: 1n, commit: next }, makeEntries(next, next + 2, 2));
      await r.close();
    }
    const r = await Wal.open(dir, { index: 0, term: 0 });
    const { entries, hardState } = await r.readAll();
    await r.close();
    assert.deepEqual(
      entries.map((e) => e.index),
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    assert.deepEqual(hardState, { term: 2, vote: 1n, commit: 10 });
  });
});

test("wal - many saves across segment cuts read back in order", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "wal");
    const w = await Wal.create(dir, META, SMALL);
    const all = makeEntries(1, 2000, 3, 100);
    for (let i = 0; i < all.length; i += 37) {
      const batch = all.slice(i, i + 37);
      w.save({ term: 3, vote: 2n, commit: batch[0]!.index }, batch);
      if (i % 111 === 0) await w.sync();
    }
    await w.close();

    const names = (await readdir(dir)).filter((n) => n.endsWith(".wal")).sort();
    assert.ok(names.length > 10, `expected many segments, got ${names.length}`);
    const dump = await dumpWal(dir);
    for (const [i, name] of names.entries()) {
      const seg = parseWalName(name)!;
      assert.equal(seg.seq, i);
      const recs = dump.records.filter((r) => r.segment === name);
      // Each segment opens with the crc record, then the metadata (and, after a cut, the state).
      assert.equal(recs[0]!.type, "crc");
      assert.equal(recs[1]!.type, "metadata");
      const firstEntry = recs.find((r) => r.type === "entry");
      if (i > 0 && firstEntry !== undefined) {
        assert.equal(recs[2]!.type, "state");
        assert.equal((firstEntry.value as { index: number }).index, seg.index);
      }
      // Sealed segments are truncated to their records; only the tail stays preallocated.
      const size = (await stat(join(dir, name))).size;
      if (i < names.length - 1) assert.ok(size < 20 * 1024 && size >= SMALL.segmentSizeBytes);
      else assert.equal(size, SMALL.segmentSizeBytes);
    }
    assert.equal(dump.torn, undefined);

    const r = await Wal.open(dir, { index: 0, term: 0 }, SMALL);
    const got = await r.readAll();
    await r.close();
    assert.deepEqual(plain(got.entries), plain(all));
    assert.deepEqual(got.hardState, { term: 3, vote: 2n, commit: 1999 });
  });
});

test("wal - a rewritten index replaces the entry and everything after it", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "wal");
    const w = await Wal.create(dir, META);
    w.save({ term: 1, vote: 1n, commit: 2 }, makeEntries(1, 10, 1));
    // A new leader overwrote the follower's uncommitted suffix from index 6.
    w.save({ term: 2, vote: 2n, commit: 5 }, makeEntries(6, 8, 2));
    await w.close();
    const r = await Wal.open(dir, { index: 0, term: 0 });
    const { entries } = await r.readAll();
    await r.close();
    assert.deepEqual(plain(entries), plain([...makeEntries(1, 5, 1), ...makeEntries(6, 8, 2)]));
  });
});

test("wal - save refuses entries that leave a gap or skip an index", async () => {
  await withTempDir(async (root) => {
    const w = await Wal.create(join(root, "wal"), META);
    w.save(undefined, makeEntries(1, 3));
    assert.throws(() => w.save(undefined, makeEntries(5, 6)), /gap/);
    assert.throws(() => w.save(undefined, [...makeEntries(4, 4), ...makeEntries(6, 6)]), /consecutive/);
    await w.close();
  });
});

test("wal - opening at a snapshot returns only later entries and checks the term", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "wal");
    const w = await Wal.create(dir, META, SMALL);
    saveInBatches(w, makeEntries(1, 400, 1, 100));
    await w.saveSnapshot({ index: 300, term: 1 });
    saveInBatches(w, makeEntries(401, 450, 1, 100));
    await w.close();

    const r = await Wal.open(dir, { index: 300, term: 1 }, SMALL);
    // Only the segments from the one holding index 300 on are held.
    const held = r.segments();
    assert.ok(held.length < (await readdir(dir)).filter((n) => n.endsWith(".wal")).length);
    assert.ok(parseWalName(held[0]!)!.index <= 300);
    const { entries } = await r.readAll();
    await r.close();
    assert.deepEqual(plain(entries), plain(makeEntries(301, 450, 1, 100)));

    const bad = await Wal.open(dir, { index: 300, term: 2 }, SMALL);
    await assert.rejects(bad.readAll(), WalSnapshotMismatchError);
    await bad.close();
    const missing = await Wal.open(dir, { index: 310, term: 1 }, SMALL);
    await assert.rejects(missing.readAll(), WalSnapshotNotFoundError);
    await missing.close();
  });
});

test("wal - releaseLockTo and purge delete only released segments, oldest first", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "wal");
    const w = await Wal.create(dir, META, SMALL);
    saveInBatches(w, makeEntries(1, 1000, 1, 100));
    await w.sync();
    const segs = w.segments();
    assert.ok(segs.length >= 6);
    assert.deepEqual(await w.purge(0), [], "nothing released yet");
    const third = parseWalName(segs[3]!)!.index;
    w.releaseLockTo(third + 1);
    assert.deepEqual(w.segments(), segs.slice(3));
    assert.deepEqual(await w.purge(segs.length - 1), segs.slice(0, 1), "keeps maxFiles segments");
    assert.deepEqual(await w.purge(0), segs.slice(1, 3));
    w.releaseLockTo(Number.MAX_SAFE_INTEGER);
    assert.deepEqual(w.segments(), segs.slice(-1), "the tail is never released");
    await w.close();
    const r = await Wal.open(dir, { index: 0, term: 0 }, SMALL).catch((e: unknown) => e);
    assert.ok(r instanceof WalFileNotFoundError, "index 0 is gone with the purged segments");
  });
});

test("wal - concurrent saves share fdatasyncs (group commit)", async () => {
  await withTempDir(async (root) => {
    const fs = countingFs();
    const w = await Wal.create(join(root, "wal"), META, { fs });
    const base = fs.counts.datasync;
    let release!: () => void;
    fs.gate = new Promise((r) => {
      release = r;
    });
    // The first request starts a sync that stays on disk until the gate opens.
    w.save({ term: 1, vote: 1n, commit: 1 }, makeEntries(1, 1));
    const first = w.sync();
    // Let the flusher reach its fdatasync, then 99 more requests arrive meanwhile.
    while (fs.counts.datasync === base) await new Promise((r) => setImmediate(r));
    let durable = 0;
    const rest: Promise<void>[] = [];
    for (let i = 2; i <= 100; i++) {
      w.save({ term: 1, vote: 1n, commit: i }, makeEntries(i, i));
      rest.push(w.sync().then(() => void durable++));
    }
    await new Promise((r) => setImmediate(r));
    assert.equal(durable, 0, "nothing is acknowledged before its fdatasync completes");
    fs.gate = undefined;
    release();
    await Promise.all([first, ...rest]);
    assert.equal(durable, 99);
    assert.equal(fs.counts.datasync - base, 2, "100 saves, 2 fdatasyncs");
    await w.close();
  });
});

test("wal - sync with nothing buffered waits for the batch in flight", async () => {
  await withTempDir(async (root) => {
    const fs = countingFs();
    const w = await Wal.create(join(root, "wal"), META, { fs });
    let release!: () => void;
    fs.gate = new Promise((r) => {
      release = r;
    });
    w.save(undefined, makeEntries(1, 1));
    let firstDone = false;
    const first = w.sync().then(() => {
      firstDone = true;
    });
    const second = w.sync();
    let secondDone = false;
    void second.then(() => {
      secondDone = true;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(secondDone, false);
    fs.gate = undefined;
    release();
    await Promise.all([first, second]);
    assert.ok(firstDone && secondDone);
    await w.close();
  });
});

test("wal - an inline sync writes on the calling thread, and only when the disk is idle", async () => {
  await withTempDir(async (root) => {
    const fs = writeCountingFs();
    const dir = join(root, "wal");
    const w = await Wal.create(dir, META, { fs });
    const segment = join(dir, walName(0, 0));
    const before = readFileSync(segment);
    w.save({ term: 1, vote: 1n, commit: 1 }, makeEntries(1, 1));
    const first = w.sync({ inline: true });
    // Written before sync returned: no turn of the event loop was needed.
    assert.equal(fs.counts.blocking, 1);
    assert.notDeepEqual(readFileSync(segment), before);
    await first;

    // With a write in flight, an inline sync queues behind it like any other.
    const background = fs.counts.background;
    w.save({ term: 1, vote: 1n, commit: 2 }, makeEntries(2, 2));
    const second = w.sync();
    w.save({ term: 1, vote: 1n, commit: 3 }, makeEntries(3, 3));
    const third = w.sync({ inline: true });
    assert.equal(fs.counts.blocking, 1);
    await Promise.all([second, third]);
    assert.equal(fs.counts.background - background, 2);
    await w.close();

    const r = await Wal.open(dir, { index: 0, term: 0 });
    assert.deepEqual(plain((await r.readAll()).entries), plain(makeEntries(1, 3)));
    await r.close();
  });
});

test("wal - a failed fdatasync poisons the WAL for good", async () => {
  await withTempDir(async (root) => {
    const fs = countingFs();
    const w = await Wal.create(join(root, "wal"), META, { fs });
    fs.failNextDatasync = Object.assign(new Error("EIO: i/o error"), { code: "EIO" });
    w.save(undefined, makeEntries(1, 1));
    await assert.rejects(w.sync(), WalFailedError);
    assert.throws(() => w.save(undefined, makeEntries(2, 2)), WalFailedError);
    await assert.rejects(w.sync(), WalFailedError);
    await w.close();
  });
});

test("wal - stale bytes after the last record are zeroed before appending", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "wal");
    const w = await Wal.create(dir, META);
    w.save({ term: 1, vote: 1n, commit: 2 }, makeEntries(1, 2));
    await w.close();
    const path = join(dir, walName(0, 0));
    const bytes = await readFile(path);
    const dump = await dumpWal(dir);
    const last = dump.records.at(-1)!;
    const end = last.offset + 8 + 64; // well past the last record; a zero word lies between
    const garbageAt = end + 4096;
    bytes.fill(0xab, garbageAt, garbageAt + 100);
    await writeFile(path, bytes);

    const r = await Wal.open(dir, { index: 0, term: 0 });
    assert.equal((await r.readAll()).entries.length, 2);
    const after = await readFile(path);
    assert.equal(after.length, bytes.length, "the preallocated size is kept");
    assert.ok(after.subarray(garbageAt, garbageAt + 100).every((b) => b === 0));
    // Records now written over that region read back without being taken for garbage.
    r.save({ term: 1, vote: 1n, commit: 200 }, makeEntries(3, 200));
    await r.close();
    const again = await Wal.open(dir, { index: 0, term: 0 });
    assert.equal((await again.readAll()).entries.length, 200);
    await again.close();
  });
});

test("wal - the tail's blocks are allocated with zeros ahead of the records, 256 KiB at a time", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "wal");
    const path = join(dir, walName(0, 0));
    const w = await Wal.create(dir, META);
    const allocated = async () => (await stat(path)).blocks * 512;
    // A sparse segment holds blocks only where something was written: here, a zeroed first
    // 256 KiB, so the durable writes that follow need no block allocation.
    assert.ok((await allocated()) >= 256 * 1024, `${await allocated()} bytes allocated`);
    assert.ok((await allocated()) < 512 * 1024, `${await allocated()} bytes allocated`);
    const all = makeEntries(1, 3000, 1, 100); // about 400 KiB of records: past one boundary
    for (let i = 0; i < all.length; i += 100) {
      w.save({ term: 1, vote: 1n, commit: i + 1 }, all.slice(i, i + 100));
      await w.sync();
    }
    assert.ok((await allocated()) >= 512 * 1024, `${await allocated()} bytes allocated`);
    assert.ok((await allocated()) < 1024 * 1024, `${await allocated()} bytes allocated`);
    await w.close();
    assert.equal((await stat(path)).size, 64 * 1000 * 1000, "the preallocated size is kept");
    const r = await Wal.open(dir, { index: 0, term: 0 });
    assert.deepEqual(plain((await r.readAll()).entries), plain(all));
    await r.close();
    assert.equal((await dumpWal(dir)).torn, undefined);
  });
});

test("wal - a second opener is refused while the first holds the WAL", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "wal");
    const w = await Wal.create(dir, META);
    await assert.rejects(Wal.open(dir, { index: 0, term: 0 }), WalLockedError);
    await w.close();
    const r = await Wal.open(dir, { index: 0, term: 0 });
    await r.readAll();
    await assert.rejects(Wal.open(dir, { index: 0, term: 0 }), WalLockedError);
    await r.close();
  });
});
