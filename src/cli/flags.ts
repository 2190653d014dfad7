// Flags parsed the way spf13/pflag parses them, because scripts depend on its details:
// flags anywhere among the arguments, `--` ending flags, `--f=v`, `--f v`, `-f v`,
// `-fv`, `-f=v`, bools taking no value unless `=`, Go's number syntax (base prefixes),
// repeated string slices appending, and pflag's exact error texts.
import { goQuote, parseDuration, parseGoBool, parseGoInt } from "./go/format.js";

export type FlagKind = "bool" | "string" | "int" | "int64" | "duration" | "stringSlice";

export interface FlagSpec {
  name: string;
  shorthand?: string;
  kind: FlagKind;
  /** The default, as pflag shows it (DefValue). */
  default: string;
  usage: string;
  hidden?: boolean;
}

/** A parsed flag value. */
export type FlagValue = boolean | string | number | string[];

export class FlagError extends Error {
  override name = "FlagError";
}

/** Raised when -h/--help is given (cobra then prints help and exits 0). */
export class HelpRequested extends Error {
  override name = "HelpRequested";
}

export class Flag {
  value: FlagValue;
  changed = false;

  constructor(readonly spec: FlagSpec) {
    this.value = parseValue(spec, spec.default, false, []);
  }

  get noOptDefVal(): string {
    return this.spec.kind === "bool" ? "true" : "";
  }

  set(raw: string): void {
    try {
      this.value = parseValue(this.spec, raw, this.changed, this.value);
    } catch (err) {
      const s = this.spec;
      const name = s.shorthand ? `-${s.shorthand}, --${s.name}` : `--${s.name}`;
      throw new FlagError(
        `invalid argument ${goQuote(raw)} for ${goQuote(name)} flag: ${(err as Error).message}`,
      );
    }
    this.changed = true;
  }
}

function parseValue(spec: FlagSpec, raw: string, changed: boolean, prev: FlagValue): FlagValue {
  switch (spec.kind) {
    case "bool":
      return parseGoBool(raw);
    case "string":
      return raw;
    case "int":
    case "int64":
      return Number(parseGoInt(raw, 64));
    case "duration":
      return parseDuration(raw) / 1e6; // milliseconds
    case "stringSlice": {
      if (spec.default === raw && !changed && raw.startsWith("["))
        return raw.slice(1, -1) ? raw.slice(1, -1).split(",") : [];
      const items = raw === "" ? [] : parseCsvLine(raw);
      return changed ? [...(prev as string[]), ...items] : items;
    }
  }
}

/** One line of CSV as Go's encoding/csv reads it (pflag's string slices). */
function parseCsvLine(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = "";
    if (s[i] === '"') {
      i++;
      for (;;) {
        if (i >= s.length)
          throw new Error(`parse error on line 1, column ${i + 1}: extraneous or missing " in quoted-field`);
        if (s[i] === '"') {
          if (s[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += s[i];
        i++;
      }
    } else {
      const comma = s.indexOf(",", i);
      field = comma === -1 ? s.slice(i) : s.slice(i, comma);
      i = comma === -1 ? s.length : comma;
    }
    out.push(field);
    if (i >= s.length) break;
    if (s[i] !== ",")
      throw new Error(`parse error on line 1, column ${i + 1}: extraneous or missing " in quoted-field`);
    i++;
  }
  return out;
}

/** A set of flags (a command's own and those it inherits), parsed from arguments. */
export class FlagSet {
  private readonly byName = new Map<string, Flag>();
  private readonly byShort = new Map<string, Flag>();
  /** Positional arguments left after parsing. */
  args: string[] = [];
  /** How many positional arguments came before `--` (-1 without `--`). */
  argsLenAtDash = -1;

  constructor(flags: Iterable<Flag>) {
    for (const f of flags) this.add(f);
  }

  add(f: Flag): void {
    if (this.byName.has(f.spec.name)) return;
    this.byName.set(f.spec.name, f);
    if (f.spec.shorthand) this.byShort.set(f.spec.shorthand, f);
  }

  lookup(name: string): Flag | undefined {
    return this.byName.get(name);
  }

  lookupShort(c: string): Flag | undefined {
    return this.byShort.get(c);
  }

  /** Flags sorted by name, as pflag visits them. */
  sorted(): Flag[] {
    return [...this.byName.values()].sort((a, b) =>
      a.spec.name < b.spec.name ? -1 : a.spec.name > b.spec.name ? 1 : 0,
    );
  }

  parse(argv: string[]): void {
    let args = [...argv];
    while (args.length > 0) {
      const s = args.shift() as string;
      if (s.length === 0 || s[0] !== "-" || s.length === 1) {
        this.args.push(s);
        continue;
      }
      if (s[1] === "-") {
        if (s.length === 2) {
          this.argsLenAtDash = this.args.length;
          this.args.push(...args);
          return;
        }
        args = this.parseLong(s, args);
      } else {
        args = this.parseShort(s, args);
      }
    }
  }

  private parseLong(s: string, args: string[]): string[] {
    let name = s.slice(2);
    if (name.length === 0 || name[0] === "-" || name[0] === "=") throw new FlagError(`bad flag syntax: ${s}`);
    const eq = name.indexOf("=");
    const inline = eq === -1 ? undefined : name.slice(eq + 1);
    if (eq !== -1) name = name.slice(0, eq);
    const flag = this.byName.get(name);
    if (!flag) {
      if (name === "help") throw new HelpRequested();
      throw new FlagError(`unknown flag: --${name}`);
    }
    let value: string;
    if (inline !== undefined) value = inline;
    else if (flag.noOptDefVal !== "") value = flag.noOptDefVal;
    else if (args.length > 0) value = args.shift() as string;
    else throw new FlagError(`flag needs an argument: ${s}`);
    flag.set(value);
    return args;
  }

  private parseShort(s: string, args: string[]): string[] {
    let shorthands = s.slice(1);
    let rest = args;
    while (shorthands.length > 0) {
      const c = shorthands[0] as string;
      let next = shorthands.slice(1);
      const flag = this.byShort.get(c);
      if (!flag) {
        if (c === "h") throw new HelpRequested();
        throw new FlagError(`unknown shorthand flag: '${c}' in -${shorthands}`);
      }
      let value: string;
      if (shorthands.length > 2 && shorthands[1] === "=") {
        value = shorthands.slice(2);
        next = "";
      } else if (flag.noOptDefVal !== "") {
        value = flag.noOptDefVal;
      } else if (shorthands.length > 1) {
        value = shorthands.slice(1);
        next = "";
      } else if (args.length > 0) {
        value = args[0] as string;
        rest = args.slice(1);
      } else {
        throw new FlagError(`flag needs an argument: '${c}' in -${shorthands}`);
      }
      flag.set(value);
      shorthands = next;
    }
    return rest;
  }
}

/** How pflag shows a flag in etcdctl's usage text (etcdFlagUsages). */
export function flagUsageLine(f: Flag): string {
  const s = f.spec;
  let line = s.shorthand ? `  -${s.shorthand}, --${s.name}` : `      --${s.name}`;
  const def = s.kind === "string" ? goQuote(s.default) : s.default;
  line += f.noOptDefVal !== "" ? `[=${def}]` : `=${def}`;
  return `${line}\t${s.usage}\n`;
}
