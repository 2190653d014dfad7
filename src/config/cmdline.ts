// Command-line parsing with Go's flag package semantics, which etcd users rely on and
// commander cannot express: `-flag` and `--flag` alike, `--flag=value` and `--flag value`,
// booleans only as `--flag` or `--flag=false` (never `--flag false`), parsing stops at
// the first non-flag argument or at `--`. Error texts are Go's.

import { FLAGS_BY_NAME } from "./flags.js";
import type { FlagSet } from "./flagset.js";
import { FlagValueError, goQuote } from "./gosyntax.js";

export type CommandLine =
  /** Flags applied; `rest` holds the arguments after the flags (etcd rejects any). */
  | { readonly kind: "parsed"; readonly rest: readonly string[] }
  /** -h, -help or --help. */
  | { readonly kind: "help" }
  /** A usage error (Go's flag package exits 2 after printing it and the usage). */
  | { readonly kind: "error"; readonly message: string };

/** Applies `args` to `flags` in order. */
export function parseCommandLine(args: readonly string[], flags: FlagSet): CommandLine {
  let i = 0;
  while (i < args.length) {
    const arg = args[i]!;
    if (arg.length < 2 || arg[0] !== "-") break;
    let name = arg.slice(1);
    if (arg[1] === "-") {
      if (arg.length === 2) {
        i++;
        break;
      }
      name = arg.slice(2);
    }
    if (name === "" || name[0] === "-" || name[0] === "=") {
      return { kind: "error", message: `bad flag syntax: ${arg}` };
    }
    i++;
    let value: string | undefined;
    const eq = name.indexOf("=", 1);
    if (eq > 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const spec = FLAGS_BY_NAME.get(name);
    if (spec === undefined) {
      if (name === "help" || name === "h") return { kind: "help" };
      return { kind: "error", message: `flag provided but not defined: -${name}` };
    }
    if (spec.kind === "bool" || spec.kind === "ignored") {
      try {
        flags.set(name, value ?? "true");
      } catch (e) {
        if (!(e instanceof FlagValueError)) throw e;
        return {
          kind: "error",
          message: `invalid boolean value ${goQuote(value ?? "")} for -${name}: ${e.message}`,
        };
      }
      continue;
    }
    if (value === undefined) {
      if (i >= args.length) return { kind: "error", message: `flag needs an argument: -${name}` };
      value = args[i++]!;
    }
    try {
      flags.set(name, value);
    } catch (e) {
      if (!(e instanceof FlagValueError)) throw e;
      return { kind: "error", message: `invalid value ${goQuote(value)} for flag -${name}: ${e.message}` };
    }
  }
  return { kind: "parsed", rest: args.slice(i) };
}
