// A command tree that behaves like spf13/cobra as etcdctl uses it: commands found by
// name or unique prefix, flags parsed after the command is found, help for commands
// that cannot run, cobra's error texts, suggestions and the "help" command.
import {
  Flag,
  FlagError,
  type FlagSet,
  FlagSet as FlagSetImpl,
  type FlagSpec,
  HelpRequested,
} from "./flags.js";
import { goQuote } from "./go/format.js";
import { usageText } from "./help.js";
import { Exit, ExitCode, type Io } from "./io.js";

export interface RunContext {
  readonly cmd: Command;
  /** Positional arguments (flags removed, `--` dropped). */
  readonly args: string[];
  readonly flags: FlagSet;
  readonly io: Io;
  readonly env: NodeJS.ProcessEnv;
  /** The process arguments after the program name, as typed (watch and lock look at `--`). */
  readonly argv: string[];
  /** Reads all of standard input. */
  readonly readStdin: () => Promise<Buffer>;
}

export interface CommandSpec {
  use: string;
  short: string;
  long?: string;
  flags?: FlagSpec[];
  persistentFlags?: FlagSpec[];
  run?: (ctx: RunContext) => Promise<void> | void;
  subcommands?: CommandSpec[];
  /** Not listed in help (tetcdctl extensions keep etcdctl's help text intact). */
  hidden?: boolean;
}

export class Command {
  parent: Command | undefined;
  readonly children: Command[] = [];
  readonly own: Flag[];
  readonly persistent: Flag[];
  private helpFlag: Flag | undefined;

  constructor(readonly spec: CommandSpec) {
    this.own = (spec.flags ?? []).map((f) => new Flag(f));
    this.persistent = (spec.persistentFlags ?? []).map((f) => new Flag(f));
    for (const s of spec.subcommands ?? []) this.add(new Command(s));
  }

  add(child: Command): void {
    child.parent = this;
    this.children.push(child);
  }

  get name(): string {
    return this.spec.use.split(" ")[0] as string;
  }

  get runnable(): boolean {
    return this.spec.run !== undefined;
  }

  get root(): Command {
    return this.parent ? this.parent.root : this;
  }

  get path(): string {
    return this.parent ? `${this.parent.path} ${this.name}` : this.name;
  }

  get useLine(): string {
    const line = this.parent ? `${this.parent.path} ${this.spec.use}` : this.spec.use;
    return line.includes("[flags]") ? line : `${line} [flags]`;
  }

  /** Children sorted by name, as cobra lists them. */
  get sortedChildren(): Command[] {
    return [...this.children].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** cobra adds -h/--help to a command right before it runs or shows help. */
  initHelpFlag(): void {
    if (this.helpFlag || this.own.some((f) => f.spec.name === "help")) return;
    this.helpFlag = new Flag({
      name: "help",
      shorthand: "h",
      kind: "bool",
      default: "false",
      usage: `help for ${this.name}`,
    });
    this.own.push(this.helpFlag);
  }

  /** The command's own flags (local and persistent), for OPTIONS. */
  localFlags(): FlagSet {
    return new FlagSetImpl([...this.own, ...this.persistent]);
  }

  /** Persistent flags of the ancestors, for GLOBAL OPTIONS. */
  inheritedFlags(): FlagSet {
    const flags: Flag[] = [];
    for (let p = this.parent; p; p = p.parent) flags.push(...p.persistent);
    return new FlagSetImpl(flags);
  }

  /** Every flag the command accepts. */
  allFlags(): FlagSet {
    const set = this.localFlags();
    for (const f of this.inheritedFlags().sorted()) set.add(f);
    return set;
  }

  findNext(next: string): Command | undefined {
    const matches: Command[] = [];
    for (const c of this.children) {
      if (c.name === next) return c;
      // Extensions (hidden) answer only to their full name, so etcdctl's prefixes keep their meaning.
      if (!c.spec.hidden && c.name.startsWith(next)) matches.push(c);
    }
    return matches.length === 1 ? matches[0] : undefined;
  }

  suggestionsFor(typed: string): string[] {
    const out: string[] = [];
    for (const c of this.children) {
      if (c.spec.hidden) continue;
      if (
        levenshtein(typed.toLowerCase(), c.name.toLowerCase()) <= 2 ||
        c.name.toLowerCase().startsWith(typed.toLowerCase())
      ) {
        out.push(c.name);
      }
    }
    return out;
  }
}

/** Arguments that are not flags or flag values (cobra's stripFlags). */
function stripFlags(args: string[], flags: FlagSet): string[] {
  const commands: string[] = [];
  const rest = [...args];
  while (rest.length > 0) {
    const s = rest.shift() as string;
    if (s === "--") break;
    const longWithValue =
      s.startsWith("--") && !s.includes("=") && flags.lookup(s.slice(2))?.noOptDefVal !== "true";
    const shortWithValue =
      s.startsWith("-") &&
      !s.includes("=") &&
      s.length === 2 &&
      flags.lookupShort(s.slice(1, 2))?.noOptDefVal !== "true";
    if (longWithValue || shortWithValue) {
      if (rest.length <= 1) break;
      rest.shift();
      continue;
    }
    if (s !== "" && !s.startsWith("-")) commands.push(s);
  }
  return commands;
}

function argsMinusFirst(args: string[], x: string): string[] {
  const i = args.indexOf(x);
  return i === -1 ? args : [...args.slice(0, i), ...args.slice(i + 1)];
}

/** cobra's Find: walks down the tree by the first non-flag argument at each level. */
export function findCommand(root: Command, args: string[]): { cmd: Command; args: string[]; error?: string } {
  let cmd = root;
  let rest = args;
  for (;;) {
    const words = stripFlags(rest, cmd.allFlags());
    const next = words[0];
    if (next === undefined) break;
    const child = cmd.findNext(next);
    if (!child) break;
    rest = argsMinusFirst(rest, next);
    cmd = child;
  }
  if (cmd.children.length > 0 && !cmd.parent) {
    const words = stripFlags(rest, cmd.allFlags());
    const first = words[0];
    if (first !== undefined) {
      const sugg = cmd.suggestionsFor(first);
      const tail = sugg.length > 0 ? `\n\nDid you mean this?\n${sugg.map((s) => `\t${s}\n`).join("")}` : "";
      return { cmd, args: rest, error: `unknown command ${goQuote(first)} for ${goQuote(cmd.path)}${tail}` };
    }
  }
  return { cmd, args: rest };
}

export interface ExecuteOptions {
  io: Io;
  env: NodeJS.ProcessEnv;
  readStdin: () => Promise<Buffer>;
}

function printUsage(cmd: Command, io: Io): void {
  io.out(usageText(cmd));
}

/**
 * Runs the command line as cobra's ExecuteC followed by etcdctl's handling of a returned
 * error ("Error: ..." and exit 1). Commands end early by throwing Exit.
 */
export async function execute(root: Command, argv: string[], o: ExecuteOptions): Promise<number> {
  const found = findCommand(root, argv);
  if (found.error !== undefined) {
    o.io.err(`Error: ${found.error}\n`);
    o.io.err(`Run '${found.cmd.path} --help' for usage.\n`);
    o.io.err(`Error: ${found.error}\n`);
    return ExitCode.Error;
  }
  const cmd = found.cmd;
  cmd.initHelpFlag();
  const flags = cmd.allFlags();
  try {
    flags.parse(found.args);
    if (flags.lookup("help")?.value === true) throw new HelpRequested();
    if (!cmd.runnable) throw new HelpRequested();
  } catch (err) {
    if (err instanceof HelpRequested) {
      printUsage(cmd, o.io);
      return ExitCode.Success;
    }
    if (!(err instanceof FlagError)) throw err;
    o.io.err(`Error: ${err.message}\n`);
    printUsage(cmd, o.io);
    o.io.err("\n");
    o.io.err(`Error: ${err.message}\n`);
    return ExitCode.Error;
  }
  try {
    await cmd.spec.run?.({
      cmd,
      args: flags.args,
      flags,
      io: o.io,
      env: o.env,
      argv,
      readStdin: o.readStdin,
    });
  } catch (err) {
    if (err instanceof Exit) return err.code;
    throw err;
  }
  return ExitCode.Success;
}

/** cobra's "help [command]". */
export function helpCommand(root: () => Command): CommandSpec {
  return {
    use: "help [command]",
    short: "Help about any command",
    long: "Help provides help for any command in the application.\nSimply type etcdctl help [path to command] for full details.",
    run: (ctx) => {
      const r = root();
      const found = findCommand(r, ctx.args);
      if (found.error !== undefined) {
        ctx.io.err(`Unknown help topic [${ctx.args.map((a) => `\`${a}\``).join(" ")}]\n`);
        printUsage(r, ctx.io);
        return;
      }
      found.cmd.initHelpFlag();
      printUsage(found.cmd, ctx.io);
    },
  };
}

/** Levenshtein distance (cobra's ld with ignoreCase). */
export function levenshtein(s: string, t: string): number {
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let j = 1; j <= t.length; j++) {
    for (let i = 1; i <= s.length; i++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] =
        s[i - 1] === t[j - 1]
          ? (prev[j - 1] as number)
          : Math.min(prev[j] as number, row[j - 1] as number, prev[j - 1] as number) + 1;
    }
  }
  return (d[s.length] as number[])[t.length] as number;
}
