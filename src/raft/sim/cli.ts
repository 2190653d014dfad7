#!/usr/bin/env node
// npm run sim -- --seeds N | --seed S [--steps N] [--nodes 3|5] [--trace] [--trace-out FILE]
// Prints one line per failure (with its trace) and ends with "P passed, F failed".
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_STEPS, describeFailure, nodesFor, runSeed } from "./run.js";

const { values } = parseArgs({
  options: {
    seeds: { type: "string" },
    seed: { type: "string" },
    start: { type: "string" },
    steps: { type: "string" },
    nodes: { type: "string" },
    trace: { type: "boolean", default: false },
    "trace-out": { type: "string" },
    tail: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  process.stdout.write(
    [
      "usage: npm run sim -- [--seeds N | --seed S] [--start S] [--steps N] [--nodes 3|5] [--trace] [--trace-out FILE]",
      "  --seeds N      run seeds start..start+N-1 (default 100)",
      "  --seed S       run one seed",
      `  --steps N      random steps per seed before the quiet phase (default ${DEFAULT_STEPS})`,
      "  --nodes 3|5    cluster size (default: alternate by seed)",
      "  --trace        print the full trace of each seed run",
      "  --trace-out F  write the full trace (of the last failing seed, or of --seed) to F",
      "  --tail N       trace lines shown with a failure (default 300)",
      "",
    ].join("\n"),
  );
  process.exit(0);
}

const int = (s: string | undefined, dflt: number): number => {
  if (s === undefined) return dflt;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) throw new Error(`not a non-negative integer: ${s}`);
  return n;
};

const steps = int(values.steps, DEFAULT_STEPS);
const nodesOpt = values.nodes === undefined ? undefined : int(values.nodes, 3);
if (nodesOpt !== undefined && nodesOpt !== 3 && nodesOpt !== 5) throw new Error("--nodes must be 3 or 5");
const seeds: number[] = [];
if (values.seed !== undefined) {
  seeds.push(int(values.seed, 1));
} else {
  const start = int(values.start, 1);
  const count = int(values.seeds, 100);
  for (let i = 0; i < count; i++) seeds.push(start + i);
}
const keepAll = values.trace || values["trace-out"] !== undefined;

const began = performance.now();
const totals: Record<string, number> = {};
let maxQuiet = 0;
let passed = 0;
let failed = 0;
for (const seed of seeds) {
  const r = runSeed({
    seed,
    steps,
    nodes: nodesFor(seed, nodesOpt as 3 | 5 | undefined),
    fullTrace: keepAll,
  });
  if (values.trace) {
    for (const line of r.trace.full() ?? []) process.stdout.write(`${line}\n`);
  }
  for (const [k, v] of Object.entries(r.stats)) totals[k] = (totals[k] ?? 0) + v;
  if (r.livenessTicks > maxQuiet) maxQuiet = r.livenessTicks;
  if (r.ok) {
    passed++;
    if (seeds.length === 1)
      process.stdout.write(
        `seed ${seed} ok: trace hash ${r.traceHash} (${r.trace.lines()} lines), quiet phase took ${r.livenessTicks} ticks\n`,
      );
  } else {
    failed++;
    process.stdout.write(`${describeFailure(r, int(values.tail, 300))}\n`);
  }
  const out = values["trace-out"];
  if (out !== undefined && (!r.ok || seeds.length === 1))
    writeFileSync(out, `${(r.trace.full() ?? []).join("\n")}\n`);
}
const perSeed = Object.entries(totals)
  .map(([k, v]) => `${k} ${(v / seeds.length).toFixed(1)}`)
  .join(", ");
process.stderr.write(
  `(${seeds.length} seeds x ${steps} steps in ${((performance.now() - began) / 1000).toFixed(1)}s; per seed: ${perSeed}; slowest quiet phase: ${maxQuiet} ticks)\n`,
);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exitCode = failed === 0 ? 0 : 1;
