// check perf / check datascale: etcdctl's load checks with its workloads and verdicts.
import { randomBytes } from "node:crypto";
import type { Client } from "../../client/index.js";
import type { CommandSpec, RunContext } from "../command.js";
import { clientSettings, connect } from "../global.js";
import { ExitCode } from "../io.js";
import { exitWithError } from "../printers/index.js";

const LOADS: Record<string, string> = {
  s: "s",
  small: "s",
  m: "m",
  medium: "m",
  l: "l",
  large: "l",
  xl: "xl",
  xLarge: "xl",
};
const PERF = { s: [150, 50, 60], m: [1000, 200, 60], l: [8000, 500, 60], xl: [15000, 1000, 60] } as const;
const SCALE = {
  s: [10000, 1024, 50],
  m: [100000, 1024, 200],
  l: [1000000, 1024, 500],
  xl: [3000000, 1024, 1000],
} as const;

const f = (ctx: RunContext, n: string) => ctx.flags.lookup(n)?.value;

async function finish(ctx: RunContext, c: Client, prefix: string): Promise<void> {
  const d = await c.delete(prefix, { prefix: true }, { timeoutMs: 30_000 });
  if (f(ctx, "auto-compact") === true) {
    const rev = d.header?.revision ?? 0;
    ctx.io.out(`Compacting with revision ${rev}\n`);
    await c.compact(rev, { physical: true }, { timeoutMs: 30_000 });
    ctx.io.out(`Compacted with revision ${rev}\n`);
  }
  if (f(ctx, "auto-defrag") === true) {
    for (const ep of c.endpoints) {
      ctx.io.out(`Defragmenting "${ep}"\n`);
      await c.defragment(ep, { timeoutMs: 30_000 });
      ctx.io.out(`Defragmented "${ep}"\n`);
    }
  }
}

async function perf(ctx: RunContext): Promise<void> {
  const model = LOADS[f(ctx, "load") as string] as keyof typeof PERF | undefined;
  if (!model) exitWithError(ctx.io, ExitCode.BadFeature, `unknown load option ${f(ctx, "load")}`);
  const [limit, , duration] = PERF[model];
  const prefix = f(ctx, "prefix") as string;
  const c = await connect(await clientSettings(ctx), ctx.io);
  try {
    const r = await c.get(prefix, { prefix: true, limit: 1 }, { timeoutMs: duration * 1000 });
    if (r.kvs.length > 0) {
      exitWithError(
        ctx.io,
        ExitCode.InvalidInput,
        `prefix "${prefix}" has keys. Delete with etcdctl del --prefix ${prefix} first`,
      );
    }
    const value = Buffer.alloc(1024);
    const latencies: number[] = [];
    let errors = 0;
    const end = Date.now() + duration * 1000;
    const interval = 1000 / limit;
    const pending: Promise<void>[] = [];
    for (let next = Date.now(); next < end; next += interval) {
      const wait = next - Date.now();
      if (wait > 0) await new Promise((res) => setTimeout(res, wait));
      const start = performance.now();
      pending.push(
        c.put(Buffer.concat([Buffer.from(prefix), randomBytes(8)]), value).then(
          () => void latencies.push((performance.now() - start) / 1000),
          () => void errors++,
        ),
      );
    }
    await Promise.all(pending);
    await finish(ctx, c, prefix);
    const rps = latencies.length / duration;
    const slowest = Math.max(0, ...latencies);
    const mean = latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length);
    const stddev = Math.sqrt(
      latencies.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, latencies.length),
    );
    let ok = true;
    if (errors > 0) {
      ctx.io.out(`FAIL: too many errors\nFAIL: ERROR(request failed) -> ${errors}\n`);
      ok = false;
    }
    if (rps / limit <= 0.9) {
      ctx.io.out(`FAIL: Throughput too low: ${Math.floor(rps) + 1} writes/s\n`);
      ok = false;
    } else ctx.io.out(`PASS: Throughput is ${Math.floor(rps) + 1} writes/s\n`);
    if (slowest > 0.5) {
      ctx.io.out(`Slowest request took too long: ${slowest.toFixed(6)}s\n`);
      ok = false;
    } else ctx.io.out(`PASS: Slowest request took ${slowest.toFixed(6)}s\n`);
    if (stddev > 0.1) {
      ctx.io.out(`Stddev too high: ${stddev.toFixed(6)}s\n`);
      ok = false;
    } else ctx.io.out(`PASS: Stddev is ${stddev.toFixed(6)}s\n`);
    ctx.io.out(ok ? "PASS\n" : "FAIL\n");
    if (!ok) exitWithError(ctx.io, ExitCode.Error, "check failed");
  } finally {
    c.close();
  }
}

async function residentMemory(ep: string): Promise<number> {
  const url = `${/^https?:\/\//.test(ep) ? ep : `http://${ep}`}/metrics`;
  const text = await (await fetch(url)).text();
  const line = text.split("\n").find((l) => l.startsWith("process_resident_memory_bytes"));
  return line ? Number(line.slice("process_resident_memory_bytes".length).trim()) : 0;
}

async function datascale(ctx: RunContext): Promise<void> {
  const model = LOADS[f(ctx, "load") as string] as keyof typeof SCALE | undefined;
  if (!model) exitWithError(ctx.io, ExitCode.BadFeature, `unknown load option ${f(ctx, "load")}`);
  const [limit, kvSize, clients] = SCALE[model];
  const prefix = f(ctx, "prefix") as string;
  const settings = await clientSettings(ctx);
  const c = await connect(settings, ctx.io);
  try {
    const r = await c.get(prefix, { prefix: true, limit: 1 });
    if (r.kvs.length > 0) {
      exitWithError(
        ctx.io,
        ExitCode.InvalidInput,
        `prefix "${prefix}" has keys. Delete with etcdctl del --prefix ${prefix} first`,
      );
    }
    const ep = settings.endpoints[0] as string;
    const before = await residentMemory(ep).catch(() => 0);
    if (before === 0) {
      ctx.io.out("FAIL: Could not read process_resident_memory_bytes before the put operations.\n");
      exitWithError(ctx.io, ExitCode.Error, "check failed");
    }
    ctx.io.out(
      `Start data scale check for work load [${limit} key-value pairs, ${kvSize} bytes per key-value, ${clients} concurrent clients].\n`,
    );
    const value = Buffer.alloc(512);
    let errors = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < limit) {
          next++;
          await c.put(Buffer.concat([Buffer.from(prefix), randomBytes(8)]), value).catch(() => void errors++);
        }
      }),
    );
    const after = await residentMemory(ep).catch(() => 0);
    if (after === 0) {
      ctx.io.out("FAIL: Could not read process_resident_memory_bytes after the put operations.\n");
      exitWithError(ctx.io, ExitCode.Error, "check failed");
    }
    await finish(ctx, c, prefix);
    if (errors > 0) {
      ctx.io.out(`FAIL: too many errors\nFAIL: ERROR(request failed) -> ${errors}\n`);
      exitWithError(ctx.io, ExitCode.Error, "check failed");
    }
    ctx.io.out(
      `PASS: Approximate system memory used : ${((after - before) / (1024 * 1024)).toFixed(2)} MB.\n`,
    );
  } finally {
    c.close();
  }
}

const LOAD_FLAGS = (what: string, prefix: string) => [
  {
    name: "load",
    kind: "string" as const,
    default: "s",
    usage: `The ${what} check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)`,
  },
  {
    name: "prefix",
    kind: "string" as const,
    default: prefix,
    usage: `The prefix for writing the ${what} check's keys.`,
  },
  {
    name: "auto-compact",
    kind: "bool" as const,
    default: "false",
    usage: "Compact storage with last revision after test is finished.",
  },
  {
    name: "auto-defrag",
    kind: "bool" as const,
    default: "false",
    usage: "Defragment storage after test is finished.",
  },
];

export function checkCommands(): CommandSpec[] {
  return [
    {
      use: "check <subcommand>",
      short: "commands for checking properties of the etcd cluster",
      subcommands: [
        {
          use: "perf [options]",
          short: "Check the performance of the etcd cluster",
          flags: LOAD_FLAGS("performance", "/etcdctl-check-perf/"),
          run: perf,
        },
        {
          use: "datascale [options]",
          short: "Check the memory usage of holding data for different workloads on a given server endpoint.",
          long: "If no endpoint is provided, localhost will be used. If multiple endpoints are provided, first endpoint will be used.",
          flags: LOAD_FLAGS("datascale", "/etcdctl-check-datascale/"),
          run: datascale,
        },
      ],
    },
  ];
}
