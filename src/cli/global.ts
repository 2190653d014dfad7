// etcdctl's global flags and how a command turns them into a client: ETCDCTL_* variables
// for flags not given on the command line (with pkg/flags' warnings), TLS and auth
// settings, the output printer, and clientv3's retry warnings on stderr.
import { readFileSync } from "node:fs";
import { Client, type ClientConfig, type RetryFailure, type TlsOptions } from "../client/index.js";
import type { RunContext } from "./command.js";
import type { Flag, FlagSpec } from "./flags.js";
import { Exit, ExitCode, type Io } from "./io.js";
import { exitWithError, newPrinter, type Printer } from "./printers/index.js";
import { askPassword } from "./prompt.js";

export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: "endpoints", kind: "stringSlice", default: "[127.0.0.1:2379]", usage: "gRPC endpoints" },
  { name: "debug", kind: "bool", default: "false", usage: "enable client-side debug logging" },
  {
    name: "write-out",
    shorthand: "w",
    kind: "string",
    default: "simple",
    usage: "set the output format (fields, json, protobuf, simple, table)",
  },
  { name: "hex", kind: "bool", default: "false", usage: "print byte strings as hex encoded strings" },
  { name: "dial-timeout", kind: "duration", default: "2s", usage: "dial timeout for client connections" },
  {
    name: "command-timeout",
    kind: "duration",
    default: "5s",
    usage: "timeout for short running command (excluding dial timeout)",
  },
  { name: "keepalive-time", kind: "duration", default: "2s", usage: "keepalive time for client connections" },
  {
    name: "keepalive-timeout",
    kind: "duration",
    default: "6s",
    usage: "keepalive timeout for client connections",
  },
  {
    name: "insecure-transport",
    kind: "bool",
    default: "true",
    usage: "disable transport security for client connections",
  },
  {
    name: "insecure-discovery",
    kind: "bool",
    default: "true",
    usage: "accept insecure SRV records describing cluster endpoints",
  },
  {
    name: "insecure-skip-tls-verify",
    kind: "bool",
    default: "false",
    usage:
      "skip server certificate verification (CAUTION: this option should be enabled only for testing purposes)",
  },
  {
    name: "cert",
    kind: "string",
    default: "",
    usage: "identify secure client using this TLS certificate file",
  },
  { name: "key", kind: "string", default: "", usage: "identify secure client using this TLS key file" },
  {
    name: "cacert",
    kind: "string",
    default: "",
    usage: "verify certificates of TLS-enabled secure servers using this CA bundle",
  },
  {
    name: "user",
    kind: "string",
    default: "",
    usage: "username[:password] for authentication (prompt if password is not supplied)",
  },
  {
    name: "password",
    kind: "string",
    default: "",
    usage: "password for authentication (if this option is used, --user option shouldn't include password)",
  },
  {
    name: "discovery-srv",
    shorthand: "d",
    kind: "string",
    default: "",
    usage: "domain name to query for SRV records describing cluster endpoints",
  },
  {
    name: "discovery-srv-name",
    kind: "string",
    default: "",
    usage: "service name to query when using DNS discovery",
  },
];

/** capnslog's line format: "2006-01-02 15:04:05.000000 W | pkg/flags: ...". */
function capnslog(io: Io, level: string, msg: string): void {
  const nowUs = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  const d = new Date(Math.floor(nowUs / 1000));
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const ts = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(nowUs % 1_000_000, 6)}`;
  io.err(`${ts} ${level} | pkg/flags: ${msg}\n`);
}

export function flagToEnv(name: string): string {
  return `ETCDCTL_${name.replaceAll("-", "_").toUpperCase()}`;
}

/**
 * pkg/flags' SetPflagsFromEnv over the given flags: unset flags take ETCDCTL_<NAME>; an
 * ETCDCTL_ variable for a flag given on the command line is fatal; unknown ETCDCTL_
 * variables are warned about. Invalid values are ignored, as etcdctl ignores the error.
 */
export function applyEnv(ctx: RunContext, flags: Flag[], extraKnown: string[] = []): void {
  const alreadySet = new Set<string>();
  const used = new Set<string>(extraKnown.map(flagToEnv).filter((k) => ctx.env[k]));
  for (const f of flags) {
    const key = flagToEnv(f.spec.name);
    if (f.changed) {
      alreadySet.add(key);
      continue;
    }
    const val = ctx.env[key];
    if (val) {
      used.add(key);
      try {
        f.set(val);
      } catch {
        // etcdctl discards the error of SetPflagsFromEnv.
      }
    }
  }
  for (const [k, v] of Object.entries(ctx.env)) {
    if (used.has(k)) continue;
    if (alreadySet.has(k)) {
      capnslog(
        ctx.io,
        "C",
        `conflicting environment variable ${JSON.stringify(k)} is shadowed by corresponding command-line flag (either unset environment variable or disable flag)`,
      );
      throw new Exit(ExitCode.Error);
    }
    if (k.startsWith("ETCDCTL_")) capnslog(ctx.io, "W", `unrecognized environment variable ${k}=${v}`);
  }
}

export function inheritedFlagList(ctx: RunContext): Flag[] {
  return ctx.cmd.inheritedFlags().sorted();
}

export function str(ctx: RunContext, name: string): string {
  return ctx.flags.lookup(name)?.value as string;
}
export function bool(ctx: RunContext, name: string): boolean {
  return ctx.flags.lookup(name)?.value as boolean;
}
export function num(ctx: RunContext, name: string): number {
  return ctx.flags.lookup(name)?.value as number;
}
export function changed(ctx: RunContext, name: string): boolean {
  return ctx.flags.lookup(name)?.changed ?? false;
}

/** The printer for -w/--hex (exit 4 "unsupported output format" for an unknown one). */
export function display(ctx: RunContext): Printer {
  const p = newPrinter(str(ctx, "write-out"), ctx.io, bool(ctx, "hex"));
  if (!p) exitWithError(ctx.io, ExitCode.BadFeature, "unsupported output format");
  return p;
}

export interface SecureCfg {
  cert: string;
  key: string;
  cacert: string;
  serverName: string;
  insecureTransport: boolean;
  insecureSkipVerify: boolean;
}

export function secureCfg(ctx: RunContext): SecureCfg {
  for (const name of ["cert", "key", "cacert"]) {
    if (str(ctx, name) === "" && changed(ctx, name)) {
      exitWithError(ctx.io, ExitCode.BadArgs, `empty string is passed to --${name} option`);
    }
  }
  const insecureDiscovery = bool(ctx, "insecure-discovery");
  return {
    cert: str(ctx, "cert"),
    key: str(ctx, "key"),
    cacert: str(ctx, "cacert"),
    serverName: insecureDiscovery ? "" : str(ctx, "discovery-srv"),
    insecureTransport: bool(ctx, "insecure-transport"),
    insecureSkipVerify: bool(ctx, "insecure-skip-tls-verify"),
  };
}

export interface AuthCfg {
  username: string;
  password: string;
}

export async function authCfg(ctx: RunContext): Promise<AuthCfg | undefined> {
  const user = str(ctx, "user");
  const password = str(ctx, "password");
  if (user === "") return undefined;
  if (password !== "") return { username: user, password };
  const i = user.indexOf(":");
  if (i !== -1) return { username: user.slice(0, i), password: user.slice(i + 1) };
  return { username: user, password: await askPassword(ctx.io, "Password: ") };
}

export function endpoints(ctx: RunContext): string[] {
  if (str(ctx, "discovery-srv") !== "") {
    exitWithError(ctx.io, ExitCode.Error, "DNS SRV discovery (--discovery-srv) is not supported by tetcdctl");
  }
  return (ctx.flags.lookup("endpoints")?.value as string[] | undefined)?.map((e) => e.trim()) ?? [];
}

/** clientv3's zap warning for a failed attempt, exactly as etcdctl prints it. */
export function retryWarning(io: Io): (f: RetryFailure) => void {
  return (f) => {
    const ts = new Date().toISOString();
    io.err(
      `{"level":"warn","ts":"${ts}","caller":"clientv3/retry_interceptor.go:62","msg":"retrying of unary invoker failed","target":${JSON.stringify(f.target)},"attempt":${f.attempt},"error":${JSON.stringify(f.error)}}\n`,
    );
  };
}

export interface ClientSettings {
  endpoints: string[];
  dialTimeoutMs: number;
  keepaliveTimeMs: number;
  keepaliveTimeoutMs: number;
  sec: SecureCfg;
  auth: AuthCfg | undefined;
}

/**
 * etcdctl's clientConfigFromCmd: environment, debug, endpoints, TLS, auth, and the display.
 * `acceptFormats` are -w values a command prints itself (the Kubernetes lens's yaml, jsonl).
 */
export async function clientSettings(
  ctx: RunContext,
  extraEnv: string[] = [],
  o: { acceptFormats?: readonly string[] } = {},
): Promise<ClientSettings> {
  applyEnv(ctx, inheritedFlagList(ctx), extraEnv);
  if (bool(ctx, "debug")) {
    for (const f of inheritedFlagList(ctx)) ctx.io.err(`${flagToEnv(f.spec.name)}=${formatValue(f)}\n`);
  }
  const eps = endpoints(ctx);
  const settings: ClientSettings = {
    endpoints: eps,
    dialTimeoutMs: num(ctx, "dial-timeout"),
    keepaliveTimeMs: num(ctx, "keepalive-time"),
    keepaliveTimeoutMs: num(ctx, "keepalive-timeout"),
    sec: secureCfg(ctx),
    auth: await authCfg(ctx),
  };
  if (!o.acceptFormats?.includes(str(ctx, "write-out"))) display(ctx);
  return settings;
}

function formatValue(f: Flag): string {
  const v = f.value;
  if (Array.isArray(v)) return `[${v.join(",")}]`;
  if (f.spec.kind === "duration") return durationText(v as number);
  return String(v);
}

function durationText(ms: number): string {
  return `${ms / 1000}s`;
}

function tlsOptions(sec: SecureCfg, io: Io): TlsOptions | undefined {
  const read = (path: string) => {
    try {
      return readFileSync(path);
    } catch (err) {
      return exitWithError(io, ExitCode.BadArgs, (err as Error).message);
    }
  };
  let tls: TlsOptions | undefined;
  if (sec.cert) tls = { ...tls, cert: read(sec.cert) };
  if (sec.key) tls = { ...tls, key: read(sec.key) };
  if (sec.cacert) tls = { ...tls, ca: read(sec.cacert) };
  if (sec.serverName) tls = { ...tls, serverName: sec.serverName };
  if (!tls && !sec.insecureTransport) tls = {};
  if (tls && sec.insecureSkipVerify) tls.insecureSkipVerify = true;
  return tls;
}

export function clientConfig(s: ClientSettings, io: Io): ClientConfig {
  const cfg: ClientConfig = {
    endpoints: s.endpoints,
    dialTimeoutMs: s.dialTimeoutMs,
    keepaliveTimeMs: s.keepaliveTimeMs,
    keepaliveTimeoutMs: s.keepaliveTimeoutMs,
    onRetryFailure: retryWarning(io),
  };
  const tls = tlsOptions(s.sec, io);
  if (tls) cfg.tls = tls;
  if (s.auth) {
    cfg.username = s.auth.username;
    cfg.password = s.auth.password;
  }
  return cfg;
}

/** clientv3.New: a failure to dial or authenticate exits 2 (ExitBadConnection). */
export async function connect(s: ClientSettings, io: Io): Promise<Client> {
  try {
    return await Client.connect(clientConfig(s, io));
  } catch (err) {
    return exitWithError(io, ExitCode.BadConnection, err);
  }
}

/** The client for this command (mustClientFromCmd). */
export async function mustClient(ctx: RunContext): Promise<Client> {
  return connect(await clientSettings(ctx), ctx.io);
}

/** The deadline for one short command (--command-timeout). */
export function commandTimeout(ctx: RunContext): { timeoutMs: number } {
  return { timeoutMs: num(ctx, "command-timeout") };
}
