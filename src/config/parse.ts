// `tetcd [flags]` from argument list and environment to a ServerConfig, in etcd 3.4's
// order: flags (Go semantics), --version, then either the config file (flags and ETCD_*
// ignored) or the ETCD_* variables, then validation. Nothing is printed here; the
// outcome says what to print and which exit status etcd would use.
import type { LogSettings } from "../log/index.js";
import { buildConfig } from "./build.js";
import { parseCommandLine } from "./cmdline.js";
import { type DefaultHost, detectDefaultHost } from "./defaulthost.js";
import { applyEnv, type Env } from "./env.js";
import { ConfigError } from "./errors.js";
import { applyConfigFile } from "./file.js";
import { FlagSet } from "./flagset.js";
import { flagsText, usageText } from "./help.js";
import { logNotice, type Notice } from "./notices.js";
import type { ServerConfig } from "./types.js";
import { versionText } from "./version.js";

export type ParseOutcome =
  /** Start the server with `config` after logging `notices`. */
  | { readonly kind: "run"; readonly config: ServerConfig; readonly notices: readonly Notice[] }
  /** Print and exit: --help and --version (0) or a usage error (2). */
  | { readonly kind: "exit"; readonly code: 0 | 2; readonly stdout: string; readonly stderr: string }
  /** Log `notices`, report `error` through a logger made from `log`, exit 1. */
  | {
      readonly kind: "invalid";
      readonly error: ConfigError;
      readonly notices: readonly Notice[];
      readonly log: LogSettings;
    };

export interface ParseOptions {
  /** The environment (default process.env). */
  readonly env?: Env;
  /** The name shown in usage text (default "tetcd"). */
  readonly program?: string;
  /** Finds the default host (default: from the routing table). */
  readonly defaultHost?: () => DefaultHost;
}

/** Before logging is set up etcd reports through capnslog on stderr. */
const EARLY_LOG: LogSettings = { logger: "capnslog", logLevel: "info", logOutputs: ["default"] };

const EMULATED_ENV = "ETCD_EMULATED_ETCD_VERSION";
const CONFIG_FILE_ENV = "ETCD_CONFIG_FILE";

export function parseServerArgs(args: readonly string[], options: ParseOptions = {}): ParseOutcome {
  const env = options.env ?? process.env;
  const program = options.program ?? "tetcd";
  const flags = new FlagSet();
  const cmd = parseCommandLine(args, flags);
  if (cmd.kind === "help")
    return { kind: "exit", code: 0, stdout: `${flagsText()}\n`, stderr: usageText(program) };
  if (cmd.kind === "error")
    return { kind: "exit", code: 2, stdout: "", stderr: `${cmd.message}\n${usageText(program)}` };
  const notices: Notice[] = [...flags.notices];
  const invalid = (message: string): ParseOutcome => ({
    kind: "invalid",
    error: new ConfigError(message),
    notices,
    log: EARLY_LOG,
  });
  if (cmd.rest.length > 0) return invalid(`'${cmd.rest[0]}' is not a valid flag`);

  const emulatedEnv = env[EMULATED_ENV] || undefined;
  if (flags.bool("version")) {
    const version = flags.isSet("emulated-etcd-version")
      ? flags.string("emulated-etcd-version")
      : emulatedEnv;
    return {
      kind: "exit",
      code: 0,
      stdout: versionText(version ?? flags.string("emulated-etcd-version")),
      stderr: "",
    };
  }

  const configFile = flags.string("config-file") || env[CONFIG_FILE_ENV] || "";
  let source = flags;
  if (configFile !== "") {
    source = new FlagSet();
    let failure: ConfigError | undefined;
    try {
      applyConfigFile(configFile, source);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      failure = e;
    }
    notices.push(
      logNotice(
        "info",
        "etcdmain",
        "loaded server configuration, other configuration command line flags and environment variables will be ignored if provided",
        { path: configFile },
        `Loading server configuration from ${JSON.stringify(configFile)}. Other configuration command line flags and environment variables will be ignored if provided.`,
      ),
    );
    if (failure) return { kind: "invalid", error: failure, notices, log: EARLY_LOG };
  } else {
    const fromEnv = applyEnv(flags, env);
    notices.push(...fromEnv.notices);
    if (!fromEnv.ok) {
      return {
        kind: "invalid",
        error: new ConfigError(fromEnv.error, fromEnv.fatal),
        notices,
        log: EARLY_LOG,
      };
    }
  }

  const built = buildConfig(source, {
    source: configFile === "" ? "flags" : "file",
    configFile,
    defaultHost: options.defaultHost ?? detectDefaultHost,
    // Our own variable applies even with a config file; with flags, applyEnv already used it.
    emulatedEtcdVersionEnv: configFile === "" ? undefined : emulatedEnv,
  });
  notices.push(...built.notices);
  if (!built.ok) return { kind: "invalid", error: built.error, notices, log: built.log ?? EARLY_LOG };
  return { kind: "run", config: built.config, notices };
}
