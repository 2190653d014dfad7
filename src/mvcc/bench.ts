// Micro-benchmark of the store (a script, not a test): node dist/mvcc/bench.js [--commit-each]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openLmdbBackend } from "../storage/index.js";
import { MvccStore } from "./store.js";

const commitEach = process.argv.includes("--commit-each");
const dir = mkdtempSync(join(tmpdir(), "tetcd-bench-"));
const backend = openLmdbBackend(join(dir, "db"), commitEach ? { commitIntervalMs: 0 } : {});
const store = new MvccStore(backend);
const value = Buffer.alloc(256, 0x61);
const KEYS = 10_000;
const key = (i: number) => Buffer.from(`/registry/pods/default/pod-${String(i % KEYS).padStart(6, "0")}`);

function time(label: string, n: number, fn: () => void): void {
  const t0 = process.hrtime.bigint();
  fn();
  const us = Number(process.hrtime.bigint() - t0) / 1000;
  console.log(`${label.padEnd(52)} ${(us / n).toFixed(2).padStart(8)} µs/op  (${n} ops)`);
}

// Warm up: every key exists once.
backend.write((tx) => {
  const w = store.write(tx);
  for (let i = 0; i < KEYS; i++) w.put(key(i), value);
  w.end();
});

let n = 20_000;
time("put, one backend transaction each", n, () => {
  for (let i = 0; i < n; i++)
    backend.write((tx) => {
      const w = store.write(tx);
      w.put(key(i), value);
      w.end();
    });
});
time("put, 100 write txns per backend transaction", n, () => {
  for (let j = 0; j < n; j += 100)
    backend.write((tx) => {
      for (let i = j; i < j + 100; i++) {
        const w = store.write(tx);
        w.put(key(i), value);
        w.end();
      }
    });
});
n = 200_000;
time("range: single key, current revision", n, () => {
  for (let i = 0; i < n; i++) store.range(key(i));
});
time("range: single key, past revision", n / 4, () => {
  const rev = store.currentRevision() - 5000;
  for (let i = 0; i < n / 4; i++) store.range(key(i), undefined, { revision: rev });
});
n = 2000;
const start = Buffer.from("/registry/pods/default/pod-001");
const end = Buffer.from("/registry/pods/default/pod-002");
time("range: 1000 keys (prefix), current revision", n / 10, () => {
  for (let i = 0; i < n / 10; i++) store.range(start, end);
});
time("range: 1000 keys, limit 10 (count all)", n, () => {
  for (let i = 0; i < n; i++) store.range(start, end, { limit: 10 });
});
time("range: count only over all 10000 keys", n / 10, () => {
  for (let i = 0; i < n / 10; i++)
    store.range(Buffer.from("/registry/"), Buffer.from("/registry0"), { countOnly: true });
});
time("range: 1000 keys at a past revision", n / 100, () => {
  const rev = store.currentRevision() - 1000;
  for (let i = 0; i < n / 100; i++) store.range(start, end, { revision: rev });
});

const ws = store.watchStream(() => true);
for (let i = 0; i < 1000; i++)
  ws.watch({ key: Buffer.from("/registry/pods/"), rangeEnd: Buffer.from("/registry/pods0") });
n = 5000;
time("put with 1000 watchers on its prefix (per put)", n, () => {
  for (let i = 0; i < n; i++)
    backend.write((tx) => {
      const w = store.write(tx);
      w.put(key(i), value);
      w.end();
    });
});
ws.close();

time("hashKV over the whole history", 1, () => store.hashKV(0));
const revs = store.currentRevision();
const t0 = process.hrtime.bigint();
await store.compact(revs - 1000).done;
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(
  `compaction of ${revs - 1000} revisions: ${ms.toFixed(0)} ms (${((ms * 1000) / revs).toFixed(2)} µs/revision)`,
);
console.log(
  `file ${(backend.sizeBytes() / 1e6).toFixed(1)} MB, in use ${(backend.sizeInUseBytes() / 1e6).toFixed(1)} MB`,
);
await store.close();
await backend.close();
rmSync(dir, { recursive: true, force: true });
