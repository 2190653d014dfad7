// get, put, del and compaction: argument checks in etcdctl's order with its messages and
// exit codes, then one request, then the printer.
import type { DeleteOptions, GetOptions, Op, PutOptions, SortOrder, SortTarget } from "../../client/index.js";
import type { CommandSpec, RunContext } from "../command.js";
import type { FlagSet } from "../flags.js";
import { clientSettings, commandTimeout, connect, display } from "../global.js";
import { goQuote, parseDecimal, parseHexInt } from "../go/format.js";
import { ExitCode, type Io } from "../io.js";
import { DECODE_FORMATS, DECODE_GET_FLAGS, decodeForm, printDecoded } from "../lens/index.js";
import { exitWithError, SimplePrinter } from "../printers/index.js";

const b = (flags: FlagSet, name: string) => flags.lookup(name)?.value as boolean;
const s = (flags: FlagSet, name: string) => flags.lookup(name)?.value as string;
const n = (flags: FlagSet, name: string) => flags.lookup(name)?.value as number;

export const GET_SPEC: Omit<CommandSpec, "run"> = {
  use: "get [options] <key> [range_end]",
  short: "Gets the key or a range of keys",
  flags: [
    { name: "consistency", kind: "string", default: "l", usage: "Linearizable(l) or Serializable(s)" },
    {
      name: "order",
      kind: "string",
      default: "",
      usage: "Order of results; ASCEND or DESCEND (ASCEND by default)",
    },
    {
      name: "sort-by",
      kind: "string",
      default: "",
      usage: "Sort target; CREATE, KEY, MODIFY, VALUE, or VERSION",
    },
    { name: "limit", kind: "int64", default: "0", usage: "Maximum number of results" },
    { name: "prefix", kind: "bool", default: "false", usage: "Get keys with matching prefix" },
    {
      name: "from-key",
      kind: "bool",
      default: "false",
      usage: "Get keys that are greater than or equal to the given key using byte compare",
    },
    { name: "rev", kind: "int64", default: "0", usage: "Specify the kv revision" },
    { name: "keys-only", kind: "bool", default: "false", usage: "Get only the keys" },
    {
      name: "print-value-only",
      kind: "bool",
      default: "false",
      usage: 'Only write values when using the "simple" output format',
    },
  ],
};

/** `--prefix` and `--from-key` exclude each other (etcdctl checks this first). */
function rangeFlags(io: Io, flags: FlagSet): { prefix: boolean; fromKey: boolean } {
  const prefix = b(flags, "prefix");
  const fromKey = b(flags, "from-key");
  if (prefix && fromKey) {
    exitWithError(
      io,
      ExitCode.BadArgs,
      "`--prefix` and `--from-key` cannot be set at the same time, choose one",
    );
  }
  return { prefix, fromKey };
}

/**
 * The key and range of a get or del as etcdctl reads its arguments: an optional
 * range_end unless `--prefix`/`--from-key`; an empty key with either flag means every key.
 */
function keyRange(
  io: Io,
  args: string[],
  { prefix, fromKey }: { prefix: boolean; fromKey: boolean },
): { key: string; range: { rangeEnd?: string; prefix?: true; fromKey?: true } } {
  let key = args[0] as string;
  const range: { rangeEnd?: string; prefix?: true; fromKey?: true } = {};
  if (args.length > 1) {
    if (prefix || fromKey) {
      exitWithError(
        io,
        ExitCode.BadArgs,
        "too many arguments, only accept one argument when `--prefix` or `--from-key` is set",
      );
    }
    range.rangeEnd = args[1] as string;
  }
  if (prefix) {
    if (key.length === 0) {
      key = "\x00";
      range.fromKey = true;
    } else range.prefix = true;
  }
  if (fromKey) {
    if (key.length === 0) key = "\x00";
    range.fromKey = true;
  }
  return { key, range };
}

/** etcdctl's getGetOp: the key and options, or an exit with etcdctl's message. */
export function getOp(io: Io, args: string[], flags: FlagSet): { key: string; options: GetOptions } {
  if (args.length === 0) {
    exitWithError(
      io,
      ExitCode.BadArgs,
      "get command needs one argument as key and an optional argument as range_end",
    );
  }
  const which = rangeFlags(io, flags);
  const options: GetOptions = {};
  const consistency = s(flags, "consistency");
  if (consistency === "s") options.serializable = true;
  else if (consistency !== "l")
    exitWithError(io, ExitCode.BadFeature, `unknown consistency flag ${goQuote(consistency)}`);
  const { key, range } = keyRange(io, args, which);
  Object.assign(options, range);
  options.limit = n(flags, "limit");
  if (n(flags, "rev") > 0) options.revision = n(flags, "rev");
  const orders: Record<string, SortOrder> = { ASCEND: "ASCEND", DESCEND: "DESCEND", "": "NONE" };
  const order = orders[s(flags, "order").toUpperCase()];
  if (order === undefined) exitWithError(io, ExitCode.BadFeature, `bad sort order ${s(flags, "order")}`);
  const targets: Record<string, SortTarget> = {
    CREATE: "CREATE",
    KEY: "KEY",
    MODIFY: "MOD",
    VALUE: "VALUE",
    VERSION: "VERSION",
    "": "KEY",
  };
  const target = targets[s(flags, "sort-by").toUpperCase()];
  if (target === undefined) exitWithError(io, ExitCode.BadFeature, `bad sort target ${s(flags, "sort-by")}`);
  options.sortOrder = order;
  options.sortTarget = target;
  if (b(flags, "keys-only")) options.keysOnly = true;
  return { key, options };
}

async function getCommand(ctx: RunContext): Promise<void> {
  const { key, options } = getOp(ctx.io, ctx.args, ctx.flags);
  const settings = await clientSettings(ctx, [], { acceptFormats: DECODE_FORMATS });
  const decode = decodeForm(ctx);
  const client = await connect(settings, ctx.io);
  let resp: Awaited<ReturnType<typeof client.get>>;
  try {
    resp = await client.get(key, options, commandTimeout(ctx));
  } catch (err) {
    return exitWithError(ctx.io, ExitCode.Error, err);
  } finally {
    client.close();
  }
  if (decode) return printDecoded(ctx, resp, decode);
  const printer = display(ctx);
  if (b(ctx.flags, "print-value-only")) {
    if (!(printer instanceof SimplePrinter)) {
      exitWithError(ctx.io, ExitCode.BadArgs, "print-value-only is only for `--write-out=simple`");
    }
    printer.valueOnly = true;
  }
  printer.get(resp);
}

export const PUT_SPEC: Omit<CommandSpec, "run"> = {
  use: "put [options] <key> <value> (<value> can also be given from stdin)",
  short: "Puts the given key into the store",
  long: `
Puts the given key into the store.

When <value> begins with '-', <value> is interpreted as a flag.
Insert '--' for workaround:

$ put <key> -- <value>
$ put -- <key> <value>

If <value> isn't given as a command line argument and '--ignore-value' is not specified,
this command tries to read the value from standard input.

If <lease> isn't given as a command line argument and '--ignore-lease' is not specified,
this command tries to read the value from standard input.

For example,
$ cat file | put <key>
will store the content of the file to <key>.
`,
  flags: [
    { name: "lease", kind: "string", default: "0", usage: "lease ID (in hexadecimal) to attach to the key" },
    {
      name: "prev-kv",
      kind: "bool",
      default: "false",
      usage: "return the previous key-value pair before modification",
    },
    {
      name: "ignore-value",
      kind: "bool",
      default: "false",
      usage: "updates the key using its current value",
    },
    {
      name: "ignore-lease",
      kind: "bool",
      default: "false",
      usage: "updates the key using its current lease",
    },
  ],
};

const PUT_ARGS = "put command needs 1 argument and input from stdin or 2 arguments";

/** etcdctl's getPutOp; the value may come from standard input. */
export async function putOp(
  io: Io,
  args: string[],
  flags: FlagSet,
  readStdin: () => Promise<Buffer>,
): Promise<{ key: string; value: Buffer; options: PutOptions }> {
  if (args.length === 0) exitWithError(io, ExitCode.BadArgs, PUT_ARGS);
  const key = args[0] as string;
  const ignoreValue = b(flags, "ignore-value");
  if (ignoreValue && args.length > 1) {
    exitWithError(io, ExitCode.BadArgs, "put command needs only 1 argument when 'ignore-value' is set");
  }
  let value: Buffer = Buffer.alloc(0);
  if (!ignoreValue) {
    if (args.length > 1) value = Buffer.from(args[1] as string);
    else {
      value = await readStdin();
      if (value.length === 0) exitWithError(io, ExitCode.BadArgs, PUT_ARGS);
    }
  }
  let id: bigint;
  try {
    id = parseHexInt(s(flags, "lease"), true);
  } catch (err) {
    return exitWithError(
      io,
      ExitCode.BadArgs,
      `bad lease ID (${(err as Error).message}), expecting ID in Hex`,
    );
  }
  const options: PutOptions = {};
  if (id !== 0n) options.lease = id;
  if (b(flags, "prev-kv")) options.prevKv = true;
  if (ignoreValue) options.ignoreValue = true;
  if (b(flags, "ignore-lease")) options.ignoreLease = true;
  return { key, value, options };
}

async function putCommand(ctx: RunContext): Promise<void> {
  const { key, value, options } = await putOp(ctx.io, ctx.args, ctx.flags, ctx.readStdin);
  const client = await connect(await clientSettings(ctx), ctx.io);
  try {
    display(ctx).put(await client.put(key, value, options, commandTimeout(ctx)));
  } catch (err) {
    rethrowExit(err);
    exitWithError(ctx.io, ExitCode.Error, err);
  } finally {
    client.close();
  }
}

export const DEL_SPEC: Omit<CommandSpec, "run"> = {
  use: "del [options] <key> [range_end]",
  short: "Removes the specified key or range of keys [key, range_end)",
  flags: [
    { name: "prefix", kind: "bool", default: "false", usage: "delete keys with matching prefix" },
    { name: "prev-kv", kind: "bool", default: "false", usage: "return deleted key-value pairs" },
    {
      name: "from-key",
      kind: "bool",
      default: "false",
      usage: "delete keys that are greater than or equal to the given key using byte compare",
    },
  ],
};

export function delOp(io: Io, args: string[], flags: FlagSet): { key: string; options: DeleteOptions } {
  if (args.length === 0 || args.length > 2) {
    exitWithError(
      io,
      ExitCode.BadArgs,
      "del command needs one argument as key and an optional argument as range_end",
    );
  }
  const { key, range } = keyRange(io, args, rangeFlags(io, flags));
  const options: DeleteOptions = { ...range };
  if (b(flags, "prev-kv")) options.prevKv = true;
  return { key, options };
}

async function delCommand(ctx: RunContext): Promise<void> {
  const { key, options } = delOp(ctx.io, ctx.args, ctx.flags);
  const client = await connect(await clientSettings(ctx), ctx.io);
  try {
    display(ctx).del(await client.delete(key, options, commandTimeout(ctx)));
  } catch (err) {
    rethrowExit(err);
    exitWithError(ctx.io, ExitCode.Error, err);
  } finally {
    client.close();
  }
}

/** The txn form of get/put/del: the same parsing, producing an operation. */
export async function kvOp(name: "get" | "put" | "del", io: Io, args: string[], flags: FlagSet): Promise<Op> {
  switch (name) {
    case "get": {
      const { key, options } = getOp(io, args, flags);
      return { type: "get", key, options };
    }
    case "put": {
      const { key, value, options } = await putOp(io, args, flags, async () => Buffer.alloc(0));
      return { type: "put", key, value, options };
    }
    case "del": {
      const { key, options } = delOp(io, args, flags);
      return { type: "delete", key, options };
    }
  }
}

async function compactionCommand(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 1) exitWithError(ctx.io, ExitCode.BadArgs, "compaction command needs 1 argument");
  let rev: number;
  try {
    rev = Number(parseDecimal(ctx.args[0] as string));
  } catch (err) {
    return exitWithError(ctx.io, ExitCode.Error, err);
  }
  const physical = b(ctx.flags, "physical");
  const client = await connect(await clientSettings(ctx), ctx.io);
  try {
    await client.compact(rev, { physical }, commandTimeout(ctx));
  } catch (err) {
    rethrowExit(err);
    exitWithError(ctx.io, ExitCode.Error, err);
  } finally {
    client.close();
  }
  ctx.io.out(`compacted revision ${rev}\n`);
}

/** Lets an Exit raised by a printer pass through a catch meant for request errors. */
export function rethrowExit(err: unknown): void {
  if (err instanceof Error && err.name === "Exit") throw err;
}

export function kvCommands(): CommandSpec[] {
  return [
    { ...GET_SPEC, flags: [...(GET_SPEC.flags ?? []), ...DECODE_GET_FLAGS], run: getCommand },
    { ...PUT_SPEC, run: putCommand },
    { ...DEL_SPEC, run: delCommand },
    {
      use: "compaction [options] <revision>",
      short: "Compacts the event history in etcd",
      flags: [
        {
          name: "physical",
          kind: "bool",
          default: "false",
          usage: "'true' to wait for compaction to physically remove all old revisions",
        },
      ],
      run: compactionCommand,
    },
  ];
}
