// k8s ls [RESOURCE] [-n NS]: the registry as a table with counts per resource, read a page
// at a time at one revision, so any size lists in bounded memory.
import type { LensFormat } from "../../k8s/index.js";
import { countByResource, ls, renderLs, resolveResource, resourceName, toJsonText } from "../../k8s/index.js";
import type { CommandSpec, RunContext } from "../command.js";
import { bool, num, str } from "../global.js";
import { ExitCode } from "../io.js";
import { exitWithError } from "../printers/index.js";
import {
  explainCompaction,
  lensOptions,
  PROGRESS_FLAG,
  stderrIsTerminal,
  wantProgress,
  withSession,
} from "./common.js";
import { ProgressReporter } from "./progress.js";

const FORMS = { simple: "table", table: "table", yaml: "yaml", json: "jsonl", jsonl: "jsonl" } as const;

async function lsCommand(ctx: RunContext): Promise<void> {
  if (ctx.args.length > 1)
    exitWithError(ctx.io, ExitCode.BadArgs, "k8s ls takes at most one argument: RESOURCE");
  const resource = ctx.args[0];
  const namespace = str(ctx, "namespace");
  const pageSize = num(ctx, "page-size");
  if (pageSize <= 0) exitWithError(ctx.io, ExitCode.BadArgs, "--page-size must be positive");
  await withSession(ctx, Object.keys(FORMS) as (keyof typeof FORMS)[], async ({ reader }, form) => {
    if (resource) {
      const info = resolveResource(resource);
      if (namespace && !info.namespaced)
        exitWithError(ctx.io, ExitCode.BadArgs, `${resourceName(info)} are not namespaced: drop -n`);
    }
    const rev = num(ctx, "rev");
    const progress = wantProgress(ctx)
      ? new ProgressReporter(ctx.io, {
          tty: stderrIsTerminal(ctx),
          quietMs: bool(ctx, "progress") ? 0 : 1000,
          intervalMs: stderrIsTerminal(ctx) ? 200 : 1000,
        })
      : undefined;
    const opts = {
      ...lensOptions(ctx, undefined),
      ...(resource ? { resource } : {}),
      ...(namespace ? { namespace } : {}),
      ...(rev > 0 ? { revision: rev } : {}),
      pageSize,
      ...(progress
        ? { onProgress: (p: Parameters<ProgressReporter["update"]>[0]) => progress.update(p) }
        : {}),
    };
    try {
      if (bool(ctx, "count")) {
        const counts = await countByResource(reader, opts);
        progress?.done();
        printCounts(ctx, counts, FORMS[form]);
        return;
      }
      for await (const line of renderLs(ls(reader, opts), FORMS[form])) ctx.io.out(`${line}\n`);
      progress?.done();
    } catch (err) {
      throw await explainCompaction(reader, err, rev);
    }
  });
}

function printCounts(ctx: RunContext, counts: Map<string, number>, form: LensFormat): void {
  const sorted = [...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const total = sorted.reduce((n, [, c]) => n + c, 0);
  if (form === "jsonl") {
    ctx.io.out(`${toJsonText({ summary: { objects: total, resources: Object.fromEntries(sorted) } })}\n`);
    return;
  }
  if (form === "yaml") {
    ctx.io.out(`summary:\n  objects: ${total}\n  resources:\n`);
    for (const [r, c] of sorted) ctx.io.out(`    ${r}: ${c}\n`);
    return;
  }
  const width = Math.max(8, ...sorted.map(([r]) => r.length));
  ctx.io.out(`${"RESOURCE".padEnd(width)}   COUNT\n`);
  for (const [r, c] of sorted) ctx.io.out(`${r.padEnd(width)}   ${c}\n`);
  ctx.io.out(`\n${total} objects\n`);
}

export const LS_SPEC: CommandSpec = {
  use: "ls [options] [resource]",
  short: "Lists the objects stored under the registry, with counts per resource",
  long: `
Lists what kube-apiserver stores in etcd: one row per object (resource, namespace, name,
kind, size of the stored value, mod revision), then the count of each resource and the
total. RESOURCE is named as kubectl names it: pods, po, deployments.apps, nodes,
crontabs.stable.example.com. Without RESOURCE every key under the registry is listed.

The listing reads --page-size keys per request, all at one revision, so a cluster of any
size lists in bounded memory. Progress goes to stderr when it is a terminal (or with
--progress); --count counts keys without reading values.

Output: -w simple or table (default), yaml, json or jsonl (one JSON object a line).

Examples:
  tetcdctl k8s ls
  tetcdctl k8s ls pods -n kube-system
  tetcdctl k8s ls --count
`,
  flags: [
    {
      name: "namespace",
      shorthand: "n",
      kind: "string",
      default: "",
      usage: "only objects in this namespace",
    },
    { name: "count", kind: "bool", default: "false", usage: "only count objects per resource (keys only)" },
    { name: "page-size", kind: "int64", default: "500", usage: "keys per range request" },
    { name: "rev", kind: "int64", default: "0", usage: "list as of this revision (0: the latest)" },
    PROGRESS_FLAG,
  ],
  run: lsCommand,
};
