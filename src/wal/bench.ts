// Throughput of the WAL's pieces, for README numbers and regressions:
//   node dist/wal/bench.js
// Not a test: numbers depend on the machine and its disk.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32c } from "../checksum/index.js";
import type { WalEntry } from "./types.js";
import { Wal } from "./wal.js";

function entries(first: number, count: number, size: number): WalEntry[] {
  const data = Buffer.alloc(size, 7);
  return Array.from({ length: count }, (_, i) => ({ term: 1, index: first + i, type: 0, data }));
}

async function main(): Promise<void> {
  const buf = Buffer.alloc(16 << 20, 0x5a);
  let t0 = performance.now();
  let x = 0;
  for (let i = 0; i < 8; i++) x = crc32c(buf, x);
  console.log(`crc32c: ${((8 * buf.length) / ((performance.now() - t0) / 1000) / 1e6).toFixed(0)} MB/s`);

  const root = await mkdtemp(join(tmpdir(), "tetcd-wal-bench-"));
  try {
    // Encoding: entries saved without syncing (CPU cost of framing, CRC and protobuf).
    const w = await Wal.create(join(root, "encode"), Buffer.from("m"), { unsafeNoFsync: true });
    const n = 200_000;
    const batch = entries(1, n, 256);
    t0 = performance.now();
    for (let i = 0; i < n; i += 100) w.save({ term: 1, vote: 1n, commit: i + 1 }, batch.slice(i, i + 100));
    const encodeMs = performance.now() - t0;
    await w.sync();
    const totalMs = performance.now() - t0;
    console.log(
      `save 256 B entries: ${((n / encodeMs) * 1000).toFixed(0)} entries/s encoded, ` +
        `${((n / totalMs) * 1000).toFixed(0)} entries/s written (no fsync)`,
    );
    await w.close();

    // Recovery: reading the log back at boot.
    t0 = performance.now();
    const r = await Wal.open(join(root, "encode"), { index: 0, term: 0 });
    const { entries: read } = await r.readAll();
    console.log(`readAll: ${((read.length / (performance.now() - t0)) * 1000).toFixed(0)} entries/s`);
    await r.close();

    // Durable: one entry per sync, then 64 concurrent writers sharing syncs.
    const d = await Wal.create(join(root, "durable"), Buffer.from("m"));
    const rounds = 200;
    t0 = performance.now();
    for (let i = 1; i <= rounds; i++) {
      d.save({ term: 1, vote: 1n, commit: i }, entries(i, 1, 256));
      await d.sync();
    }
    const serialMs = performance.now() - t0;
    console.log(`sync per entry: ${((rounds / serialMs) * 1000).toFixed(0)} syncs/s`);
    let index = rounds;
    t0 = performance.now();
    const writers = Array.from({ length: 64 }, async () => {
      for (let i = 0; i < 50; i++) {
        index++;
        d.save({ term: 1, vote: 1n, commit: index }, entries(index, 1, 256));
        await d.sync();
      }
    });
    await Promise.all(writers);
    const groupMs = performance.now() - t0;
    console.log(
      `64 writers, group commit: ${(((64 * 50) / groupMs) * 1000).toFixed(0)} acknowledged entries/s`,
    );
    await d.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
