// etcd 3.4's --config-file: YAML whose keys are the flag names (matched without regard to
// case, unknown keys ignored, as Go's JSON decoding does), URL lists as comma-separated
// strings, durations as integer nanoseconds (Go's JSON form of time.Duration; tetcd also
// accepts "5s"), and TLS settings in client-transport-security / peer-transport-security
// blocks. Values start from etcd's embed defaults, which differ from the flag defaults
// in two places: auto-compaction-mode is "" and the gRPC gateway is off.
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { DurationSyntaxError, goOpenError, parseDuration } from "../log/index.js";
import { ConfigError } from "./errors.js";
import { FLAGS, type FlagSpec } from "./flags.js";
import type { FlagSet, FlagValue } from "./flagset.js";
import { FlagValueError, parseGoBool, parseGoInt, parseGoUint } from "./gosyntax.js";
import { logNotice, stderrNotice } from "./notices.js";
import { parseEtcdUrls } from "./urls.js";

// The flags a transport-security block sets: block key -> flag name without prefix.
const TLS_BLOCK_KEYS: Readonly<Record<string, string>> = {
  "cert-file": "cert-file",
  "key-file": "key-file",
  "client-cert-auth": "client-cert-auth",
  "trusted-ca-file": "trusted-ca-file",
  "auto-tls": "auto-tls",
};
const TLS_FLAGS = new Set(Object.values(TLS_BLOCK_KEYS).flatMap((f) => [f, `peer-${f}`]));

const GO_TYPE: Readonly<Partial<Record<FlagSpec["kind"], string>>> = {
  bool: "bool",
  duration: "time.Duration",
  uint: "uint",
  uint64: "uint64",
  int: "int",
  int64: "int64",
  uint32raw: "uint32",
  strings: "[]string",
};

function jsonTypeName(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (typeof value === "boolean") return "bool";
  return typeof value;
}

function typeError(key: string, spec: FlagSpec, value: unknown): ConfigError {
  const goType =
    spec.name === "log-outputs" || spec.name === "log-output" ? "[]string" : (GO_TYPE[spec.kind] ?? "string");
  return new ConfigError(
    `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonTypeName(value)} into Go struct field configYAML.${key} of type ${goType}`,
  );
}

/** The text of a list-valued key: YAML lists join with commas; strings stay as written. */
function listText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join(",");
  return undefined;
}

/** A config-file value as the flag's value, or undefined to keep the default. */
function fileValue(key: string, spec: FlagSpec, value: unknown): FlagValue | undefined {
  if (value === null || value === undefined) return undefined;
  const scalar = typeof value === "string" || typeof value === "number" || typeof value === "boolean";
  try {
    switch (spec.kind) {
      case "string":
      case "choice":
        if (!scalar) throw typeError(key, spec, value);
        return String(value);
      case "bool":
        if (typeof value === "boolean") return value;
        if (typeof value === "string") return parseGoBool(value);
        throw typeError(key, spec, value);
      case "uint":
      case "uint64":
      case "uint32raw":
        if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
        if (typeof value === "string") return parseGoUint(value, spec.kind === "uint32raw" ? 32 : 64);
        throw typeError(key, spec, value);
      case "int":
      case "int64":
        if (typeof value === "number" && Number.isInteger(value)) return value;
        if (typeof value === "string") return parseGoInt(value);
        throw typeError(key, spec, value);
      case "duration":
        if (typeof value === "number" && Number.isInteger(value)) return value / 1e6;
        if (typeof value === "string") return parseDuration(value);
        throw typeError(key, spec, value);
      case "urls": {
        const text = listText(value);
        if (text === undefined) throw typeError(key, spec, value);
        if (text === "") return undefined;
        try {
          return parseEtcdUrls(text);
        } catch (e) {
          if (!(e instanceof FlagValueError)) throw e;
          // etcd prints this and exits 1; its advertise-client-urls text says "peer".
          const what = key === "advertise-client-urls" ? "advertise-peer-urls" : key;
          const message = `unexpected error setting up ${what}: ${e.message}`;
          throw new ConfigError(message, stderrNotice(message));
        }
      }
      case "cors": {
        const text = listText(value);
        if (text === undefined) throw typeError(key, spec, value);
        if (text === "") return undefined;
        if (text === "*") return Object.freeze(["*"]);
        try {
          return Object.freeze([...new Set(parseEtcdUrls(text).map((u) => u.href))].sort());
        } catch (e) {
          if (!(e instanceof FlagValueError)) throw e;
          throw new ConfigError(`unexpected error setting up cors: ${e.message}`);
        }
      }
      case "uniqueStrings": {
        // host-whitelist is a comma-separated string; log-outputs and log-output are lists.
        const text = listText(value);
        if (text === undefined) throw typeError(key, spec, value);
        if (text === "" && spec.name === "host-whitelist") return undefined;
        const items = Array.isArray(value) ? (value as string[]) : text.split(",");
        return Object.freeze(spec.name === "host-whitelist" ? [...new Set(items)].sort() : [...items]);
      }
      case "strings": {
        const text = listText(value);
        if (text === undefined) throw typeError(key, spec, value);
        return Object.freeze(
          Array.isArray(value) ? [...(value as string[])] : text === "" ? [] : text.split(","),
        );
      }
      case "ignored":
        return undefined;
    }
  } catch (e) {
    // Text that is not a number or duration is a type mismatch to Go's JSON decoder.
    if (e instanceof FlagValueError || e instanceof DurationSyntaxError) throw typeError(key, spec, value);
    throw e;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Fills `flags` from the file at `path`. Throws ConfigError with etcd's messages. */
export function applyConfigFile(path: string, flags: FlagSet): void {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(goOpenError(path, e));
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ConfigError(`error converting YAML to JSON: yaml: ${(e as Error).message.split("\n")[0]}`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (!isRecord(doc)) {
    throw new ConfigError(
      `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonTypeName(doc)} into Go value of type embed.configYAML`,
    );
  }
  // Go's JSON decoding matches keys without regard to case; the last match wins.
  const entries = new Map<string, [string, unknown]>();
  for (const [key, value] of Object.entries(doc)) entries.set(key.toLowerCase(), [key, value]);

  // etcd's embed defaults where they differ from the flags'.
  flags.putDefault("auto-compaction-mode", "");
  flags.putDefault("enable-grpc-gateway", false);

  for (const spec of FLAGS) {
    if (spec.inConfigFile === false || TLS_FLAGS.has(spec.name)) continue;
    const entry = entries.get(spec.name);
    if (entry === undefined) continue;
    const value = fileValue(entry[0], spec, entry[1]);
    if (value === undefined) continue;
    if (
      spec.kind === "choice" &&
      spec.name !== "initial-cluster-state" &&
      !spec.choices!.includes(value as string)
    ) {
      // etcd reports these through Go's log package, which capnslog shows as an info line.
      const what = spec.name === "proxy" ? "proxyFlag" : `${spec.name} flag`;
      const message = `unexpected error setting up ${what}: invalid value`;
      throw new ConfigError(message, logNotice("info", "", message));
    }
    flags.put(spec.name, value);
  }

  for (const [block, prefix] of [
    ["client-transport-security", ""],
    ["peer-transport-security", "peer-"],
  ] as const) {
    const entry = entries.get(block);
    if (entry === undefined || entry[1] === null) continue;
    if (!isRecord(entry[1])) throw new ConfigError(`error unmarshaling JSON: ${block} must be a mapping`);
    const settings = new Map(Object.entries(entry[1]).map(([k, v]) => [k.toLowerCase(), v]));
    for (const [key, flag] of Object.entries(TLS_BLOCK_KEYS)) {
      const spec = FLAGS.find((f) => f.name === `${prefix}${flag}`)!;
      const value = fileValue(`${block}.${key}`, spec, settings.get(key));
      if (value !== undefined) flags.put(spec.name, value);
    }
  }
}
