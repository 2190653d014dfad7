import assert from "node:assert/strict";
import { readFile, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { etcdserverpb, idToLong, raftpb } from "../proto/index.js";
import { dumpWal, formatEntries } from "./dump.js";
import { WalFileNotFoundError, WalSnapshotMismatchError, WalSnapshotNotFoundError } from "./errors.js";
import { walName } from "./names.js";
import { readFrameSize } from "./record.js";
import { makeEntries, withTempDir } from "./testkit.js";
import { validSnapshotEntries, verifyWal } from "./verify.js";
import { Wal } from "./wal.js";

test("verify - verifyWal checks the snapshot and tolerates a torn tail", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "wal");
    const w = await Wal.create(dir, Buffer.from("m"));
    w.save({ term: 1, vote: 1n, commit: 5 }, makeEntries(1, 10));
    await w.saveSnapshot({ index: 5, term: 1 });
    w.save({ term: 1, vote: 1n, commit: 10 }, makeEntries(11, 12));
    await w.close();
    await verifyWal(dir, { index: 5, term: 1 });
    await assert.rejects(verifyWal(dir, { index: 5, term: 2 }), WalSnapshotMismatchError);
    await assert.rejects(verifyWal(dir, { index: 6, term: 1 }), WalSnapshotNotFoundError);
    const last = (await dumpWal(dir)).records.at(-1)!;
    await truncate(join(dir, walName(0, 0)), last.offset + 12);
    await verifyWal(dir, { index: 5, term: 1 });
    await assert.rejects(validSnapshotEntries(join(root, "none")), WalFileNotFoundError);
  });
});

test("verify - validSnapshotEntries keeps only snapshots the hard state committed", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "wal");
    const w = await Wal.create(dir, Buffer.from("m"));
    w.save({ term: 1, vote: 1n, commit: 10 }, makeEntries(1, 20));
    await w.saveSnapshot({ index: 8, term: 1 });
    await w.saveSnapshot({ index: 15, term: 1 });
    await w.close();
    assert.deepEqual(await validSnapshotEntries(dir), [
      { index: 0, term: 0 },
      { index: 8, term: 1 },
    ]);
  });
});

test("dump - formatEntries prints etcd-dump-logs' layout with exact 64-bit IDs", () => {
  const metadata = etcdserverpb.Metadata.encode({
    NodeID: idToLong(0xbac7efc361f1457en),
    ClusterID: idToLong(0x6c438ba6ce8a0f60n),
  }).finish();
  const put = etcdserverpb.InternalRaftRequest.encode({
    header: { ID: idToLong(0xfedcba9876543210n) },
    put: { key: Buffer.from("k"), value: Buffer.from("v") },
  }).finish();
  const cc = raftpb.ConfChange.encode({ type: 0, nodeId: idToLong(0xbac7efc361f1457en) }).finish();
  const text = formatEntries(metadata, { term: 2, vote: 0xbac7efc361f1457en, commit: 3 }, [
    { term: 1, index: 1, type: 1, data: cc },
    { term: 2, index: 2, type: 0, data: new Uint8Array(0) },
    { term: 2, index: 3, type: 0, data: put },
  ]);
  assert.equal(
    text,
    [
      "WAL metadata:",
      "nodeID=bac7efc361f1457e clusterID=6c438ba6ce8a0f60 term=2 commitIndex=3 vote=bac7efc361f1457e",
      "WAL entries: 3",
      "lastIndex=3",
      "term\t     index\ttype\tdata",
      "   1\t         1\tconf\tmethod=ConfChangeAddNode id=bac7efc361f1457e",
      "   2\t         2\tnorm\tnoop",
      `   2\t         3\tnorm\t{put:{key:"k" value:"v"} header:{ID:${0xfedcba9876543210n}}}`,
      "",
    ].join("\n"),
  );
});

test("dump - dumpWal lists every record with its place and reports a torn tail", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "wal");
    const w = await Wal.create(dir, Buffer.from("meta"));
    w.save({ term: 1, vote: 1n, commit: 1 }, makeEntries(1, 2));
    await w.close();
    const dump = await dumpWal(dir);
    const path = join(dir, walName(0, 0));
    const bytes = await readFile(path);
    assert.deepEqual(
      dump.records.map((r) => r.type),
      ["crc", "metadata", "snapshot", "entry", "entry", "state"],
    );
    // Each record starts where the frame before it ends.
    let off = 0;
    for (const r of dump.records) {
      assert.equal(r.offset, off);
      const { recordBytes, padBytes } = readFrameSize(bytes, off);
      off += 8 + recordBytes + padBytes;
    }
    assert.equal(dump.records[1]!.value, Buffer.from("meta").toString("hex"));
    const second = dump.records[4]!.offset;
    await writeFile(path, bytes.subarray(0, second + 20));
    const torn = await dumpWal(dir);
    assert.equal(torn.records.length, 4);
    assert.equal(torn.torn?.offset, second);
  });
});
