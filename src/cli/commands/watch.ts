// watch: one watch (optionally running a command per event), or interactive mode where
// each input line starts another watch or asks for progress.
import { spawnSync } from "node:child_process";
import { type Client, isProgressNotify, type WatchResponse } from "../../client/index.js";
import { Command, type CommandSpec, type RunContext } from "../command.js";
import { type FlagSet, FlagSet as Flags } from "../flags.js";
import { clientSettings, connect, display } from "../global.js";
import { EVENT_TYPES } from "../go/enums.js";
import { goQuote } from "../go/format.js";
import { Exit, ExitCode } from "../io.js";
import { exitWithError, type Printer } from "../printers/index.js";
import { argify } from "./argify.js";
import { LineReader } from "./lines.js";

const ERR_NUM = "bad number of arguments";
const ERR_CONFLICT_ENV = "bad number of arguments (found conflicting environment key)";
const ERR_SEPARATOR = "bad number of arguments (found separator --, but no commands)";

interface WatchFlags {
  prefix: boolean;
  rev: number;
  prevKv: boolean;
}

const WATCH_SPEC: Omit<CommandSpec, "run"> = {
  use: "watch [options] [key or prefix] [range_end] [--] [exec-command arg1 arg2 ...]",
  short: "Watches events stream on keys or prefixes",
  flags: [
    { name: "interactive", shorthand: "i", kind: "bool", default: "false", usage: "Interactive mode" },
    { name: "prefix", kind: "bool", default: "false", usage: "Watch on a prefix if prefix is set" },
    { name: "rev", kind: "int64", default: "0", usage: "Revision to start watching" },
    {
      name: "prev-kv",
      kind: "bool",
      default: "false",
      usage: "get the previous key-value pair before the event happens",
    },
  ],
};

function freshFlags(): FlagSet {
  return new Flags(new Command({ ...WATCH_SPEC }).localFlags().sorted());
}

function flagsOf(f: FlagSet): WatchFlags {
  return {
    prefix: f.lookup("prefix")?.value === true,
    rev: f.lookup("rev")?.value as number,
    prevKv: f.lookup("prev-kv")?.value === true,
  };
}

class ArgsError extends Error {}

/** etcdctl's parseWatchArgs (non-interactive form). */
function parseArgs(
  osArgs: string[],
  commandArgs: string[],
  envKey: string,
  envRange: string,
): { watchArgs: string[]; execArgs: string[] } {
  let raw = [...osArgs];
  let watchArgs = [...commandArgs];
  const w = raw.indexOf("watch");
  if (w !== -1) raw = raw.slice(w + 1);
  const execIdx = raw.indexOf("--");
  const execExist = execIdx !== -1;
  if (execExist && execIdx === raw.length - 1) throw new ArgsError(ERR_SEPARATOR);
  if (!execExist && raw.length < 1 && envKey === "") throw new ArgsError(ERR_NUM);
  if (execExist && envKey !== "") {
    let ridx = raw.length - 1;
    for (let widx = watchArgs.length - 1; widx >= 0; widx--) {
      if (watchArgs[widx] === raw[ridx]) {
        ridx--;
        continue;
      }
      if (ridx === execIdx) throw new ArgsError(ERR_CONFLICT_ENV);
    }
  }
  if (!execExist && watchArgs.length > 0 && envKey !== "") throw new ArgsError(ERR_CONFLICT_ENV);
  let execArgs: string[] = [];
  if (execExist) execArgs = raw.slice(execIdx + 1);
  if (envKey !== "") watchArgs = [envKey, ...(envRange !== "" ? [envRange] : []), ...watchArgs];
  if (!execExist) return { watchArgs, execArgs };
  let endIdx = watchArgs.length - 1;
  for (; endIdx >= 0; endIdx--) if (watchArgs[endIdx] === raw[execIdx + 1]) break;
  return { watchArgs: watchArgs.slice(0, Math.max(0, endIdx)), execArgs };
}

/** The interactive form: `watch [flags] key [range_end] [-- cmd...]` from one line. */
function parseInteractive(
  line: string[],
  envKey: string,
  envRange: string,
): { watchArgs: string[]; execArgs: string[]; flags: WatchFlags } {
  let watchArgs = line.slice(1);
  const sep = watchArgs.indexOf("--");
  if (sep !== -1 && sep === watchArgs.length - 1) throw new ArgsError(ERR_SEPARATOR);
  const first = freshFlags();
  first.parse(watchArgs);
  if (sep === -1 && envKey === "" && first.args.length < 1) throw new ArgsError(ERR_NUM);
  if (sep === -1 && first.args.length > 0 && envKey !== "") throw new ArgsError(ERR_CONFLICT_ENV);
  const execArgs = sep !== -1 ? watchArgs.slice(sep + 1) : [];
  const second = freshFlags();
  second.parse(watchArgs);
  watchArgs = second.args;
  if (envKey !== "") watchArgs = [envKey, ...(envRange !== "" ? [envRange] : []), ...watchArgs];
  if (sep === -1) return { watchArgs, execArgs, flags: flagsOf(second) };
  let endIdx = watchArgs.length - 1;
  for (; endIdx >= 0; endIdx--) if (watchArgs[endIdx] === execArgs[0]) break;
  return { watchArgs: watchArgs.slice(0, Math.max(0, endIdx)), execArgs, flags: flagsOf(second) };
}

function startWatch(c: Client, args: string[], f: WatchFlags) {
  if (args.length < 1) throw new ArgsError(ERR_NUM);
  const key = args[0] as string;
  if (args.length === 2 && f.prefix) throw new ArgsError("`range_end` and `--prefix` are mutually exclusive");
  return c.watch(key, {
    startRevision: f.rev,
    ...(args.length === 2 ? { rangeEnd: args[1] as string } : {}),
    prefix: f.prefix,
    prevKv: f.prevKv,
    requireLeader: true,
  });
}

/** Why a watch response was canceled, as clientv3's WatchResponse.Err() reports it. */
function cancelError(r: WatchResponse): string {
  if (r.compactRevision !== 0) return "etcdserver: mvcc: required revision has been compacted";
  if (r.cancelReason !== "") return r.cancelReason;
  return "etcdserver: mvcc: required revision is a future revision";
}

async function printWatch(
  ctx: RunContext,
  printer: Printer,
  w: AsyncIterable<WatchResponse>,
  execArgs: string[],
) {
  try {
    for await (const r of w) {
      if (r.canceled) ctx.io.err(`watch was canceled (${cancelError(r)})\n`);
      if (isProgressNotify(r)) ctx.io.out(`progress notify: ${r.header?.revision ?? 0}\n`);
      printer.watch(r);
      if (execArgs.length === 0) continue;
      for (const ev of r.events) {
        const env = {
          ...process.env,
          ETCD_WATCH_REVISION: String(r.header?.revision ?? 0),
          ETCD_WATCH_EVENT_TYPE: goQuote(EVENT_TYPES.get(ev.type) ?? ""),
          ETCD_WATCH_KEY: goQuote(ev.kv?.key ?? Buffer.alloc(0)),
          ETCD_WATCH_VALUE: goQuote(ev.kv?.value ?? Buffer.alloc(0)),
        };
        const res = spawnSync(execArgs[0] as string, execArgs.slice(1), { stdio: "inherit", env });
        const failure =
          res.error !== undefined
            ? (res.error as NodeJS.ErrnoException).code === "ENOENT"
              ? `exec: ${goQuote(execArgs[0] as string)}: executable file not found in $PATH`
              : res.error.message
            : res.status !== 0
              ? res.signal
                ? `signal: ${res.signal}`
                : `exit status ${res.status}`
              : undefined;
        if (failure !== undefined) {
          ctx.io.err(`command [${execArgs.map((a) => goQuote(a)).join(" ")}] error (${failure})\n`);
          throw new Exit(1);
        }
      }
    }
  } catch (err) {
    if (err instanceof Exit) throw err;
    // A watch that ends with an error closes like a canceled one.
  }
}

async function watchCommand(ctx: RunContext): Promise<void> {
  const envKey = ctx.env.ETCDCTL_WATCH_KEY ?? "";
  const envRange = ctx.env.ETCDCTL_WATCH_RANGE_END ?? "";
  if (envKey === "" && envRange !== "") {
    exitWithError(
      ctx.io,
      ExitCode.BadArgs,
      `ETCDCTL_WATCH_KEY is empty but got ETCDCTL_WATCH_RANGE_END=${goQuote(envRange)}`,
    );
  }
  const extraEnv = ["watch-key", "watch-range-end"];
  if (ctx.flags.lookup("interactive")?.value === true) {
    const c = await connect(await clientSettings(ctx, extraEnv), ctx.io);
    const printer = display(ctx);
    const reader = new LineReader();
    for (;;) {
      const raw = await reader.readLine();
      if (raw === undefined) {
        c.close();
        exitWithError(ctx.io, ExitCode.InvalidInput, "Error reading watch request line: EOF");
      }
      const args = argify(ctx.io, raw);
      if (args.length < 1) {
        ctx.io.err(`Invalid command: ${raw} (watch and progress supported)\n`);
        continue;
      }
      if (args[0] === "watch") {
        if (args.length < 2 && envKey === "") {
          ctx.io.err(`Invalid command ${raw} (command type or key is not provided)\n`);
          continue;
        }
        let parsed: ReturnType<typeof parseInteractive>;
        try {
          parsed = parseInteractive(args, envKey, envRange);
        } catch (err) {
          c.close();
          return exitWithError(ctx.io, ExitCode.BadArgs, err);
        }
        try {
          const w = startWatch(c, parsed.watchArgs, parsed.flags);
          void printWatch(ctx, printer, w, parsed.execArgs).catch((err) => {
            if (err instanceof Exit) process.exit(err.code);
          });
        } catch (err) {
          ctx.io.err(`Invalid command ${raw} (${(err as Error).message})\n`);
        }
      } else if (args[0] === "progress") {
        c.requestProgress();
      } else {
        ctx.io.err(`Invalid command ${raw} (only support watch)\n`);
      }
    }
  }
  let parsed: { watchArgs: string[]; execArgs: string[] };
  try {
    parsed = parseArgs(["etcdctl", ...ctx.argv], ctx.args, envKey, envRange);
  } catch (err) {
    return exitWithError(ctx.io, ExitCode.BadArgs, err);
  }
  const c = await connect(await clientSettings(ctx, extraEnv), ctx.io);
  const printer = display(ctx);
  let w: ReturnType<typeof startWatch>;
  try {
    w = startWatch(c, parsed.watchArgs, flagsOf(ctx.flags));
  } catch (err) {
    c.close();
    return exitWithError(ctx.io, ExitCode.BadArgs, err);
  }
  await printWatch(ctx, printer, w, parsed.execArgs);
  c.close();
  exitWithError(ctx.io, ExitCode.Interrupted, "watch is canceled by the server");
}

export function watchCommands(): CommandSpec[] {
  return [{ ...WATCH_SPEC, run: watchCommand }];
}
