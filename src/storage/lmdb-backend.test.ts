import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { diskMetrics } from "../metrics/index.js";
import { backendContract } from "./backend.contract.js";
import { openLmdbBackend } from "./lmdb-backend.js";

backendContract("lmdb", (path) => openLmdbBackend(path));
backendContract("lmdb committing every write", (path) => openLmdbBackend(path, { commitIntervalMs: 0 }));
backendContract("lmdb committing every 3 writes", (path) => openLmdbBackend(path, { commitMaxWrites: 3 }));

test("lmdb backend - kill -9 mid-write never leaves half a transaction", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tetcd-crash-"));
  const path = join(dir, "db");
  const module = fileURLToPath(new URL("./lmdb-backend.js", import.meta.url));
  // The child writes transactions that each set the same counter in three buckets, makes
  // every 50th durable and reports it; it is killed while writing.
  const child = spawn(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `import { openLmdbBackend } from ${JSON.stringify(module)};
       const b = openLmdbBackend(${JSON.stringify(path)});
       for (let i = 1; ; i++) {
         if (i % 50 === 1) await new Promise((r) => setImmediate(r));
         const v = Buffer.alloc(8); v.writeBigUInt64BE(BigInt(i));
         b.write((tx) => { tx.put("key", Buffer.from("n"), v); tx.put("lease", Buffer.from("n"), v);
           tx.put("meta", Buffer.from("n"), v); tx.put("key", Buffer.from("pad" + (i % 500)), Buffer.alloc(i % 3000)); });
         if (i % 50 === 0) { await b.sync(); process.stdout.write(i + "\\n"); }
       }`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let reported = 0;
  await new Promise<void>((resolve) => {
    child.stdout.on("data", (d: Buffer) => {
      const lines = d.toString().trim().split("\n");
      reported = Number(lines[lines.length - 1]);
      if (reported >= 2000) {
        child.kill("SIGKILL");
        resolve();
      }
    });
  });
  await new Promise((resolve) => child.once("exit", resolve));
  const b = openLmdbBackend(path);
  try {
    b.read((tx) => {
      const values = ["key", "lease", "meta"].map((bucket) =>
        tx.get(bucket, Buffer.from("n"))!.readBigUInt64BE(),
      );
      assert.equal(values[0], values[1]);
      assert.equal(values[1], values[2]);
      assert.ok(values[0]! >= BigInt(reported), `recovered ${values[0]} < reported ${reported}`);
    });
    b.write((tx) => tx.put("key", Buffer.from("after"), Buffer.from("crash")));
  } finally {
    await b.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test("lmdb backend - commits, snapshots and defragmentation are timed in etcd's disk histograms", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tetcd-metrics-"));
  const count = async (h: typeof diskMetrics.backendCommitSeconds): Promise<number> =>
    (await h.get()).values.find((v) => v.metricName?.endsWith("_count"))?.value ?? 0;
  const backend = openLmdbBackend(join(dir, "db"));
  try {
    const commits = await count(diskMetrics.backendCommitSeconds);
    backend.write((tx) => tx.put("key", Buffer.from("a"), Buffer.from("1")));
    await backend.sync();
    assert.equal(await count(diskMetrics.backendCommitSeconds), commits + 1);
    await backend.sync(); // nothing written since: no commit
    assert.equal(await count(diskMetrics.backendCommitSeconds), commits + 1);

    const snapshots = await count(diskMetrics.backendSnapshotSeconds);
    const snapshot = await backend.snapshot();
    snapshot.stream.resume();
    await new Promise((resolve) => snapshot.stream.once("close", resolve));
    assert.equal(await count(diskMetrics.backendSnapshotSeconds), snapshots + 1);

    const defrags = await count(diskMetrics.backendDefragSeconds);
    await backend.defragment();
    assert.equal(await count(diskMetrics.backendDefragSeconds), defrags + 1);
  } finally {
    await backend.close();
    await rm(dir, { recursive: true, force: true });
  }
});
