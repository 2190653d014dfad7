// txn: compares, success and failure operations read line by line from standard input
// (with prompts in interactive mode), in etcdctl's syntax.
import type { Compare, CompareTarget, Op } from "../../client/index.js";
import type { CommandSpec } from "../command.js";
import { Command, findCommand, type RunContext } from "../command.js";
import { FlagError, HelpRequested } from "../flags.js";
import { display, mustClient } from "../global.js";
import { goQuote, parseDecimal } from "../go/format.js";
import { Exit, ExitCode, type Io } from "../io.js";
import { exitWithError } from "../printers/index.js";
import { argify } from "./argify.js";
import { DEL_SPEC, GET_SPEC, kvOp, PUT_SPEC } from "./kv.js";
import { LineReader } from "./lines.js";
import { goUnquote } from "./unquote.js";

/** Go's Sscanf("%q) %s %q") over the text after "(": how many items it read and them. */
function scanCompare(s: string): { n: number; key: string; op: string; val: string } {
  const res = { n: 0, key: "", op: "", val: "" };
  const quoted = (from: number): { v: string; end: number } | undefined => {
    let i = from;
    while (s[i] === " " || s[i] === "\t") i++;
    const m = /^"(?:[^"\\]|\\.)*"/.exec(s.slice(i));
    if (!m) return undefined;
    try {
      return { v: goUnquote(m[0]), end: i + m[0].length };
    } catch {
      return undefined;
    }
  };
  const k = quoted(0);
  if (!k) return res;
  res.key = k.v;
  res.n = 1;
  let i = k.end;
  if (s[i] !== ")") return res;
  i++;
  while (s[i] === " " || s[i] === "\t") i++;
  const op = /^\S+/.exec(s.slice(i));
  if (!op) return res;
  res.op = op[0];
  res.n = 2;
  i += op[0].length;
  const v = quoted(i);
  if (!v) return res;
  res.val = v.v;
  res.n = 3;
  return res;
}

const TARGETS: Record<string, CompareTarget> = {
  ver: "VERSION",
  version: "VERSION",
  c: "CREATE",
  create: "CREATE",
  m: "MOD",
  mod: "MOD",
  val: "VALUE",
  value: "VALUE",
  lease: "LEASE",
};

function parseCompare(line: string): Compare {
  const paren = line.indexOf("(");
  if (paren === -1) throw new Error(`malformed comparison: ${line}`);
  const target = line.slice(0, paren);
  const { n, key, op, val } = scanCompare(line.slice(paren + 1));
  if (n !== 3) {
    throw new Error(`malformed comparison: ${line}; got ${target}(${goQuote(key)}) ${op} ${goQuote(val)}`);
  }
  const t = TARGETS[target];
  if (!t) throw new Error(`malformed comparison: ${line} (unknown target ${target})`);
  const result = op as Compare["result"];
  if (!["=", "!=", "<", ">"].includes(result)) throw new Error(`Unknown result op "${op}"`);
  if (t === "VALUE") return { key, target: t, result, value: val };
  if (t === "LEASE") return { key: "", target: t, result, value: parseIntOr(val, line) };
  return { key, target: t, result, value: parseIntOr(val, line) };
}

function parseIntOr(val: string, line: string): number {
  try {
    return Number(parseDecimal(val));
  } catch {
    throw new Error(`invalid txn compare request: ${line}`);
  }
}

/** A get/put/del line, parsed with the commands' own flags. */
async function parseRequestUnion(io: Io, line: string): Promise<Op> {
  const args = argify(io, line);
  if (args.length < 2) throw new Error(`invalid txn compare request: ${line}`);
  const root = new Command({ use: "txn-request", short: "" });
  for (const spec of [PUT_SPEC, GET_SPEC, DEL_SPEC]) root.add(new Command({ ...spec, run: () => undefined }));
  const found = findCommand(root, args);
  const name = found.cmd.name;
  if (found.error !== undefined || (name !== "get" && name !== "put" && name !== "del")) {
    throw new Error(`invalid txn request: ${line}`);
  }
  found.cmd.initHelpFlag();
  const flags = found.cmd.allFlags();
  try {
    flags.parse(found.args);
  } catch (err) {
    if (err instanceof FlagError || err instanceof HelpRequested)
      throw new Error(`invalid txn request: ${line}`);
    throw err;
  }
  return kvOp(name, io, flags.args, flags);
}

async function txnCommand(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 0) exitWithError(ctx.io, ExitCode.BadArgs, "txn command does not accept argument");
  const interactive = ctx.flags.lookup("interactive")?.value === true;
  const c = await mustClient(ctx);
  try {
    const reader = new LineReader();
    const prompt = (s: string) => {
      if (interactive) ctx.io.out(`${s}\n`);
    };
    const readBlock = async <T>(parse: (line: string) => Promise<T> | T): Promise<T[]> => {
      const out: T[] = [];
      for (;;) {
        const line = await reader.readLine();
        if (line === undefined) exitWithError(ctx.io, ExitCode.InvalidInput, "EOF");
        const trimmed = line.trim();
        if (trimmed.length === 0) return out;
        try {
          out.push(await parse(trimmed));
        } catch (err) {
          if (err instanceof Exit) throw err;
          exitWithError(ctx.io, ExitCode.InvalidInput, err);
        }
      }
    };
    prompt("compares:");
    const compare = await readBlock(parseCompare);
    prompt("success requests (get, put, del):");
    const success = await readBlock((l) => parseRequestUnion(ctx.io, l));
    prompt("failure requests (get, put, del):");
    const failure = await readBlock((l) => parseRequestUnion(ctx.io, l));
    reader.close();
    const r = await c
      .txn({ compare, success, failure })
      .catch((err: Error) => exitWithError(ctx.io, ExitCode.Error, err));
    display(ctx).txn(r);
  } finally {
    c.close();
  }
}

export function txnCommands(): CommandSpec[] {
  return [
    {
      use: "txn [options]",
      short: "Txn processes all the requests in one transaction",
      flags: [
        {
          name: "interactive",
          shorthand: "i",
          kind: "bool",
          default: "false",
          usage: "Input transaction in interactive mode",
        },
      ],
      run: txnCommand,
    },
  ];
}
