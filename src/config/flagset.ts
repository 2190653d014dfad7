// The values of etcd's flags while they are being set from the command line, ETCD_*
// variables or the config file, with Go's flag.Value semantics for each kind.
import assert from "node:assert/strict";
import { DurationSyntaxError, parseDuration } from "../log/index.js";
import { FLAGS, FLAGS_BY_NAME, type FlagSpec } from "./flags.js";
import {
  FlagValueError,
  PARSE_ERROR,
  parseGoBool,
  parseGoInt,
  parseGoUint,
  parseGoUint32Raw,
} from "./gosyntax.js";
import { logNotice, type Notice } from "./notices.js";
import { type EtcdUrl, parseEtcdUrls } from "./urls.js";

export type FlagValue = string | boolean | number | readonly EtcdUrl[] | readonly string[];

const sorted = (items: Iterable<string>) => Object.freeze([...new Set(items)].sort());

/** The value `text` gives a flag whose current value is `current`; throws FlagValueError. */
function convert(spec: FlagSpec, text: string, current: FlagValue | undefined): FlagValue {
  switch (spec.kind) {
    case "string":
      return text;
    case "bool":
      return parseGoBool(text);
    case "duration":
      try {
        return parseDuration(text);
      } catch (e) {
        if (e instanceof DurationSyntaxError) throw new FlagValueError(PARSE_ERROR);
        throw e;
      }
    case "uint":
    case "uint64":
      return parseGoUint(text, 64);
    case "int":
    case "int64":
      return parseGoInt(text);
    case "uint32raw":
      return parseGoUint32Raw(text);
    case "urls":
      // etcd's UniqueURLs allows "" as an exception: it leaves the list as it was.
      if (text === "") return current ?? Object.freeze([]);
      return parseEtcdUrls(text);
    case "cors": {
      // "*" is an allowed exception: it joins the current origins instead of replacing them.
      const origins = (current ?? []) as readonly string[];
      if (origins.includes(text)) return origins;
      if (text === "*") return sorted([...origins, "*"]);
      return sorted(parseEtcdUrls(text).map((u) => u.href));
    }
    case "uniqueStrings":
      return sorted(text.split(","));
    case "strings":
      return Object.freeze(text === "" ? [] : text.split(","));
    case "choice":
      if (!spec.choices!.includes(text)) throw new FlagValueError("invalid value");
      return text;
    case "ignored":
      return "";
  }
}

export class FlagSet {
  readonly #values = new Map<string, FlagValue>();
  readonly #defaults = new Map<string, FlagValue>();
  readonly #explicit = new Set<string>();
  /** Warnings raised while setting values (ignored legacy flags). */
  readonly notices: Notice[] = [];

  constructor() {
    for (const spec of FLAGS) {
      const value = spec.defaultText === "" && spec.kind !== "string" ? empty(spec) : initial(spec);
      this.#values.set(spec.name, value);
      this.#defaults.set(spec.name, value);
    }
  }

  has(name: string): boolean {
    return FLAGS_BY_NAME.has(name);
  }

  /** Sets a flag from text as Go's flag.Value.Set does; throws FlagValueError with its message. */
  set(name: string, text: string): void {
    const spec = FLAGS_BY_NAME.get(name);
    assert.ok(spec, `unknown flag ${name}`);
    if (spec.kind === "ignored") {
      this.notices.push(
        logNotice(
          "warn",
          "pkg/flags",
          "flag is no longer supported - ignoring",
          { flag: `-${name}` },
          `flag "-${name}" is no longer supported - ignoring.`,
        ),
      );
    }
    this.#values.set(name, convert(spec, text, this.#values.get(name)));
    this.#explicit.add(name);
  }

  /** Replaces a value directly (config file values that are not flag text). */
  put(name: string, value: FlagValue): void {
    assert.ok(FLAGS_BY_NAME.has(name), `unknown flag ${name}`);
    this.#values.set(name, value);
  }

  /** Changes a default (etcd's config file starts from defaults that differ from the flags'). */
  putDefault(name: string, value: FlagValue): void {
    this.put(name, value);
    this.#defaults.set(name, value);
  }

  /** Whether the flag still holds its default value. */
  isDefault(name: string): boolean {
    return JSON.stringify(this.value(name)) === JSON.stringify(this.#defaults.get(name));
  }

  /** Whether the flag was given (Go's flags.IsSet: on the command line or from ETCD_*). */
  isSet(name: string): boolean {
    return this.#explicit.has(name);
  }

  /** Names of flags given, in the order first given. */
  explicit(): readonly string[] {
    return [...this.#explicit];
  }

  value(name: string): FlagValue {
    const v = this.#values.get(name);
    assert.ok(v !== undefined, `unknown flag ${name}`);
    return v;
  }

  string(name: string): string {
    const v = this.value(name);
    assert.equal(typeof v, "string", `flag ${name} is not a string`);
    return v as string;
  }

  bool(name: string): boolean {
    const v = this.value(name);
    assert.equal(typeof v, "boolean", `flag ${name} is not a bool`);
    return v as boolean;
  }

  number(name: string): number {
    const v = this.value(name);
    assert.equal(typeof v, "number", `flag ${name} is not a number`);
    return v as number;
  }

  urls(name: string): readonly EtcdUrl[] {
    const spec = FLAGS_BY_NAME.get(name);
    assert.equal(spec?.kind, "urls", `flag ${name} is not a URL list`);
    return this.value(name) as readonly EtcdUrl[];
  }

  strings(name: string): readonly string[] {
    const v = this.value(name);
    assert.ok(Array.isArray(v), `flag ${name} is not a list`);
    return v as readonly string[];
  }
}

function initial(spec: FlagSpec): FlagValue {
  return convert(spec, spec.defaultText, undefined);
}

/** The value of a flag whose default is empty text (an empty list, not a parse of ""). */
function empty(spec: FlagSpec): FlagValue {
  switch (spec.kind) {
    case "urls":
    case "cors":
    case "uniqueStrings":
    case "strings":
      return Object.freeze([]);
    default:
      return initial(spec);
  }
}
