// k8s changes --since REV [--prefix P | RESOURCE [-n NS]] [--watch] [--net]: everything
// created, updated and deleted after a revision, each with its diff, then (--watch) live.
import type { ChangesOptions } from "../../k8s/index.js";
import { changes, renderChange, resolveResource, resourceName, storagePrefix } from "../../k8s/index.js";
import type { CommandSpec, RunContext } from "../command.js";
import { bool, changed, num, str } from "../global.js";
import { ExitCode } from "../io.js";
import { exitWithError } from "../printers/index.js";
import { lensOptions, loadDecryptor, withSession } from "./common.js";
import { changeSimple } from "./render.js";

async function changesCommand(ctx: RunContext): Promise<void> {
  if (!changed(ctx, "since")) {
    exitWithError(
      ctx.io,
      ExitCode.BadArgs,
      "k8s changes needs --since REVISION (the current one is \"Revision\" in 'tetcdctl endpoint status -w fields')",
    );
  }
  const since = num(ctx, "since");
  if (since < 0) exitWithError(ctx.io, ExitCode.BadArgs, "--since must be a revision (0 or more)");
  if (ctx.args.length > 1) exitWithError(ctx.io, ExitCode.BadArgs, "k8s changes takes at most one RESOURCE");
  const resource = ctx.args[0];
  const namespace = str(ctx, "namespace");
  if (resource && changed(ctx, "prefix")) {
    exitWithError(ctx.io, ExitCode.BadArgs, "give either RESOURCE or --prefix, not both");
  }
  if (namespace && !resource) exitWithError(ctx.io, ExitCode.BadArgs, "-n needs a RESOURCE");
  const decryptor = loadDecryptor(ctx);
  await withSession(ctx, ["simple", "table", "yaml", "json", "jsonl"], async ({ reader }, form) => {
    const opts = lensOptions(ctx, decryptor);
    let prefix = str(ctx, "prefix") || `${opts.registry}/`;
    if (resource) {
      const info = resolveResource(resource);
      if (namespace && !info.namespaced)
        exitWithError(ctx.io, ExitCode.BadArgs, `${resourceName(info)} are not namespaced: drop -n`);
      prefix = storagePrefix(info, namespace || undefined, opts.registry);
    }
    // --watch runs until interrupted; like etcdctl's watch, a signal ends the process.
    const request: ChangesOptions = {
      ...opts,
      since,
      prefix,
      follow: bool(ctx, "watch"),
      replay: !bool(ctx, "net"),
    };
    let shown = 0;
    for await (const c of changes(reader, request)) {
      if (c.type !== "synced") shown++;
      else if (shown === 0 && (form === "simple" || form === "table"))
        ctx.io.out(`no changes after revision ${since}\n`);
      const text = form === "simple" ? changeSimple(c) : renderChange(c, form === "json" ? "jsonl" : form);
      ctx.io.out(text.endsWith("\n") ? text : `${text}\n`);
    }
  });
}

export const CHANGES_SPEC: CommandSpec = {
  use: "changes [options] --since <revision> [resource]",
  short: "Shows what was created, updated and deleted after a revision, each with its diff",
  long: `
Every change under the registry (or under --prefix, or one RESOURCE) after a revision:
each object created, updated or deleted, in revision order, with its diff; then a line
saying up to which revision this is complete. With --watch, changes keep coming as they
happen until interrupted. "What did creating this Pod change?": note the revision before
("Revision" in 'tetcdctl endpoint status -w fields'), create it, then ask for the
changes since.

The changes are replayed from etcd's retained events; a revision already compacted is
refused with the oldest one still readable. --net compares the snapshots at the revision
and now instead: one line per key with its net change (fast over long spans; a key
created and deleted in between does not show).

Output: -w simple (each change with its diff; default), table (one line each), yaml,
json or jsonl (one change a line).

Examples:
  tetcdctl k8s changes --since 1234
  tetcdctl k8s changes --since 1234 pods -n default --watch
  tetcdctl k8s changes --since 1234 --prefix /registry/deployments/ -w table
`,
  flags: [
    { name: "since", kind: "int64", default: "0", usage: "show changes after this revision" },
    {
      name: "prefix",
      kind: "string",
      default: "",
      usage: "only keys with this prefix (default: the registry)",
    },
    {
      name: "namespace",
      shorthand: "n",
      kind: "string",
      default: "",
      usage: "only this namespace (with RESOURCE)",
    },
    { name: "watch", kind: "bool", default: "false", usage: "keep watching: print changes as they happen" },
    { name: "net", kind: "bool", default: "false", usage: "one net change per key (snapshot comparison)" },
  ],
  run: changesCommand,
};
