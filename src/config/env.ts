// ETCD_* environment variables as etcd's flags.SetFlagsFromEnv maps them: each flag not
// given on the command line takes ETCD_<NAME> (dashes to underscores, upper case) when
// that is non-empty. A variable for a flag that was given is a fatal conflict; an
// ETCD_ variable no flag claims gets a warning. Messages: 3.4's in capnslog, 3.5's in zap.

import { FLAGS } from "./flags.js";
import type { FlagSet } from "./flagset.js";
import { FlagValueError, goQuote } from "./gosyntax.js";
import { logNotice, type Notice } from "./notices.js";

export type Env = Readonly<Record<string, string | undefined>>;

/** etcd's flags.FlagToEnv. */
export function flagToEnv(name: string): string {
  return `ETCD_${name.replaceAll("-", "_").toUpperCase()}`;
}

export type EnvResult =
  | { readonly ok: true; readonly notices: readonly Notice[] }
  | {
      readonly ok: false;
      readonly notices: readonly Notice[];
      readonly error: string;
      readonly fatal?: Notice;
    };

export function applyEnv(flags: FlagSet, env: Env): EnvResult {
  const notices: Notice[] = [];
  const alreadySet = new Set(flags.explicit().map(flagToEnv));
  const used = new Set<string>();
  let error: string | undefined;
  // Go visits flags in name order.
  for (const spec of [...FLAGS].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const key = flagToEnv(spec.name);
    if (alreadySet.has(key)) continue;
    const value = env[key];
    if (value === undefined || value === "") continue;
    used.add(key);
    try {
      flags.set(spec.name, value);
    } catch (e) {
      if (!(e instanceof FlagValueError)) throw e;
      error = `invalid value ${goQuote(value)} for ${key}: ${e.message}`;
      continue;
    }
    notices.push(
      logNotice(
        "info",
        "pkg/flags",
        "recognized and used environment variable",
        { "variable-name": key, "variable-value": value },
        `recognized and used environment variable ${key}=${value}`,
      ),
    );
  }
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || used.has(key)) continue;
    if (alreadySet.has(key)) {
      const fatal = logNotice(
        "fatal",
        "pkg/flags",
        "conflicting environment variable is shadowed by corresponding command-line flag (either unset environment variable or disable flag)",
        { "environment-variable": key },
        `conflicting environment variable ${goQuote(key)} is shadowed by corresponding command-line flag (either unset environment variable or disable flag)`,
      );
      return { ok: false, notices, error: `conflicting environment variable ${goQuote(key)}`, fatal };
    }
    if (key.startsWith("ETCD_")) {
      notices.push(
        logNotice(
          "warn",
          "pkg/flags",
          "unrecognized environment variable",
          { "environment-variable": `${key}=${value}` },
          `unrecognized environment variable ${key}=${value}`,
        ),
      );
    }
  }
  return error === undefined ? { ok: true, notices } : { ok: false, notices, error };
}
