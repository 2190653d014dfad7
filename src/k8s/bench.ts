// Decode throughput: `node dist/k8s/bench.js [objects]` (default 100,000). Decodes a
// realistic mix (every generated kind, cycling) and prints objects/s and MB/s; also the
// cost of the first schema load.
import { performance } from "node:perf_hooks";
import { decodeValue } from "./decode.js";
import { GENERATED_KINDS, generateObject } from "./generator.js";
import { schema } from "./schema.js";

const total = Number(process.argv[2] ?? 100_000);
const t0 = performance.now();
schema().mustMessage("k8s.io.api.core.v1.Pod");
const schemaMs = performance.now() - t0;

// A pool of distinct values (every kind, several seeds); decoding cycles through it.
const kinds = Object.keys(GENERATED_KINDS);
const pool = kinds.flatMap((kind) => Array.from({ length: 40 }, (_, i) => generateObject(kind, i + 1)));
const protobuf = pool.filter((g) => g.format === "protobuf");

function run(values: typeof pool, n: number): { ms: number; bytes: number } {
  let bytes = 0;
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const g = values[i % values.length]!;
    const d = decodeValue(g.value, { modRevision: 1000 + i });
    if (!d.object) throw new Error(`bench: ${g.key} did not decode: ${d.error}`);
    bytes += g.value.length;
  }
  return { ms: performance.now() - start, bytes };
}

run(pool, 5000); // warm up
const mixed = run(pool, total);
const pb = run(protobuf, total);
const line = (label: string, r: { ms: number; bytes: number }) =>
  `${label}: ${total} objects in ${(r.ms / 1000).toFixed(2)} s = ${Math.round((total / r.ms) * 1000)} objects/s, ` +
  `${(((r.bytes / r.ms) * 1000) / 1e6).toFixed(1)} MB/s (avg ${Math.round(r.bytes / total)} B)`;
console.log(`schema: first load ${schemaMs.toFixed(1)} ms (${schema().messageCount} messages)`);
console.log(line("mixed kinds", mixed));
console.log(line("protobuf only", pb));
