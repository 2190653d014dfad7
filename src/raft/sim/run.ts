// Running seeds and reporting: shared by the CLI and the CI test.
import { SimCluster, type SimOptions, type SimResult } from "./cluster.js";

export const DEFAULT_STEPS = 2000;

/** Seeds alternate between 3- and 5-member clusters unless told otherwise. */
export function nodesFor(seed: number, nodes: 3 | 5 | undefined): 3 | 5 {
  return nodes ?? (seed % 2 === 0 ? 3 : 5);
}

export function runSeed(opts: SimOptions): SimResult {
  return new SimCluster(opts).run();
}

/** The failure report: what broke, the seed to replay it, and the end of the trace. */
export function describeFailure(r: SimResult, tailLines = 300): string {
  const lines = [
    `seed ${r.seed} FAILED at step ${r.steps}: ${r.failure}`,
    `  config: ${r.summary}`,
    `  trace hash: ${r.traceHash} (${r.trace.lines()} lines)`,
    `  replay: npm run sim -- --seed ${r.seed} --trace`,
    `  last ${Math.min(tailLines, r.trace.lines())} trace lines:`,
    ...r.trace.tail(tailLines).map((l) => `    ${l}`),
  ];
  return lines.join("\n");
}
