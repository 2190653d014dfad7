// k8s history KEY (or RESOURCE [NS/]NAME): every retained version of one key, oldest
// first, with what changed from each version to the next, and where compaction cut it.
import { history, renderHistory } from "../../k8s/index.js";
import type { CommandSpec, RunContext } from "../command.js";
import { ExitCode } from "../io.js";
import { exitWithError } from "../printers/index.js";
import { lensOptions, loadDecryptor, withSession } from "./common.js";
import { objectKeyOf } from "./get.js";
import { historySimple } from "./render.js";

const USAGE = "k8s history needs a KEY (or RESOURCE and [NAMESPACE/]NAME)";

async function historyCommand(ctx: RunContext): Promise<void> {
  if (ctx.args.length < 1 || ctx.args.length > 2) exitWithError(ctx.io, ExitCode.BadArgs, USAGE);
  const decryptor = loadDecryptor(ctx);
  await withSession(ctx, ["simple", "table", "yaml", "json", "jsonl"], async ({ reader }, form) => {
    const opts = lensOptions(ctx, decryptor);
    const [first, name] = ctx.args as [string, string | undefined];
    const key = name === undefined ? first : objectKeyOf(ctx, first, name, opts.registry);
    const h = await history(reader, key, opts);
    if (h.versions.length === 0) {
      const why = h.notes.length > 0 ? ` (${h.notes.join("; ")})` : "";
      exitWithError(ctx.io, ExitCode.Error, `nothing is stored under ${key} in the retained history${why}`);
    }
    if (form === "simple") ctx.io.out(historySimple(h));
    else ctx.io.out(renderHistory(h, form === "json" ? "jsonl" : form));
  });
}

export const HISTORY_SPEC: CommandSpec = {
  use: "history [options] <key | resource [namespace/]name>",
  short: "Shows every retained version of a key, with a diff between consecutive versions",
  long: `
Every version of one key that etcd still holds (from the oldest readable revision to now,
deletions included), each decoded, with what changed from the version before. When
compaction removed older versions, a note says from which revision history is complete.

The key is an etcd key (/registry/pods/default/web-1) or a resource and a name as for
'k8s get' (pods default/web-1).

Output: -w simple (a table of versions, then each diff; default), table (the versions
only), yaml (the first version, then diffs), json or jsonl (one version a line).

Examples:
  tetcdctl k8s history /registry/deployments/default/web
  tetcdctl k8s history deploy default/web -w yaml
`,
  flags: [
    { name: "namespace", shorthand: "n", kind: "string", default: "", usage: "the object's namespace" },
  ],
  run: historyCommand,
};
