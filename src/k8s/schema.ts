// The Kubernetes wire schema, parsed once on first use: messages with their fields (by
// number and by JSON name), each field carrying what Go's JSON encoding of it needs
// (pointer, omitempty, omitzero, inline, hidden). See scripts/gen-k8s-schema.mjs.
import assert from "node:assert/strict";
import { SCHEMA_JSON } from "./schema-data.js";

export type ScalarType = "string" | "bytes" | "bool" | "int32" | "int64" | "uint32" | "uint64";

/** Messages that Go marshals with their own MarshalJSON (rendered specially). */
export type WellKnown =
  | "Time"
  | "MicroTime"
  | "Duration"
  | "Quantity"
  | "IntOrString"
  | "FieldsV1"
  | "RawExtension";

const WELL_KNOWN: Record<string, WellKnown> = {
  "k8s.io.apimachinery.pkg.apis.meta.v1.Time": "Time",
  "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime": "MicroTime",
  "k8s.io.apimachinery.pkg.apis.meta.v1.Duration": "Duration",
  "k8s.io.apimachinery.pkg.api.resource.Quantity": "Quantity",
  "k8s.io.apimachinery.pkg.api.resource.QuantityValue": "Quantity",
  "k8s.io.apimachinery.pkg.util.intstr.IntOrString": "IntOrString",
  "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1": "FieldsV1",
  "k8s.io.apimachinery.pkg.runtime.RawExtension": "RawExtension",
};

const SCALARS = new Set<string>(["string", "bytes", "bool", "int32", "int64", "uint32", "uint64"]);

// Field flags as scripts/gen-k8s-schema.mjs writes them.
const F_REPEATED = 1;
const F_POINTER = 2;
const F_OMITEMPTY = 4;
const F_OMITZERO = 8;
const F_INLINE = 16;
const F_SKIP = 32;

export interface FieldDef {
  /** Position in MessageDef.fields. */
  readonly index: number;
  readonly n: number;
  /** The protobuf field name. */
  readonly name: string;
  /** The JSON key kubectl shows ("" for an inlined struct). */
  readonly json: string;
  readonly repeated: boolean;
  /** Go pointer: absent on the wire means nil, present means set even when zero. */
  readonly pointer: boolean;
  readonly omitEmpty: boolean;
  readonly omitZero: boolean;
  /** An embedded struct whose fields Go's JSON promotes into the parent. */
  readonly inline: boolean;
  /** `json:"-"`: never in JSON. */
  readonly hidden: boolean;
  /** Set for scalar fields and for map values that are scalars. */
  readonly scalar: ScalarType | undefined;
  /** Set for message fields and map values that are messages (resolved lazily). */
  readonly messageName: string | undefined;
  /** Set for map fields. */
  readonly mapKey: ScalarType | undefined;
}

export interface MessageDef {
  readonly name: string;
  /** In Go struct order, which is the order kubectl renders. */
  readonly fields: readonly FieldDef[];
  /** Field by number (sparse array). */
  readonly byNumber: readonly (FieldDef | undefined)[];
  /** Fields in field-number order, as protobuf encoders write them. */
  readonly wireOrder: readonly FieldDef[];
  /** A Go named slice (`type Verbs []string`): a list in JSON, `items` on the wire. */
  readonly list: boolean;
  readonly wellKnown: WellKnown | undefined;
}

interface RawSchema {
  source: Record<string, string>;
  packages: string[];
  lists: string[];
  messages: Record<string, [number, string, string, number, string?][]>;
}

export class Schema {
  private readonly defs = new Map<string, MessageDef>();
  private readonly packageSet: Set<string>;

  constructor(private readonly raw: RawSchema) {
    this.packageSet = new Set(raw.packages);
  }

  /** Release of k8s.io/api the schema describes (e.g. "v0.36.3"). */
  get release(): string {
    return this.raw.source["k8s.io/api"] ?? "unknown";
  }

  get messageCount(): number {
    return Object.keys(this.raw.messages).length;
  }

  get packages(): readonly string[] {
    return this.raw.packages;
  }

  hasPackage(pkg: string): boolean {
    return this.packageSet.has(pkg);
  }

  /** A message by full name, e.g. "k8s.io.api.core.v1.Pod". */
  message(name: string): MessageDef | undefined {
    const cached = this.defs.get(name);
    if (cached) return cached;
    const rows = this.raw.messages[name];
    if (!rows) return undefined;
    const fields = rows.map((row, i) => toField(row, i));
    const byNumber: (FieldDef | undefined)[] = [];
    for (const f of fields) {
      assert(byNumber[f.n] === undefined, `duplicate field ${f.n} in ${name}`);
      byNumber[f.n] = f;
    }
    const def: MessageDef = {
      name,
      fields,
      byNumber,
      wireOrder: [...fields].sort((a, b) => a.n - b.n),
      list: this.raw.lists.includes(name),
      wellKnown: WELL_KNOWN[name],
    };
    this.defs.set(name, def);
    return def;
  }

  /** Like message() but a missing message is a bug in the schema itself. */
  mustMessage(name: string): MessageDef {
    const def = this.message(name);
    assert(def, `schema: message ${name} is referenced but not defined`);
    return def;
  }

  /** The messages of a package, by short name. */
  messagesOf(pkg: string): string[] {
    const prefix = `${pkg}.`;
    return Object.keys(this.raw.messages)
      .filter((m) => m.startsWith(prefix) && !m.slice(prefix.length).includes("."))
      .map((m) => m.slice(prefix.length));
  }
}

function toField(
  [n, name, type, flags, jsonName]: [number, string, string, number, string?],
  index: number,
): FieldDef {
  let scalar: ScalarType | undefined;
  let messageName: string | undefined;
  let mapKey: ScalarType | undefined;
  const map = /^map<([^,]+),(.+)>$/.exec(type);
  const valueType = map ? map[2]! : type;
  if (map) {
    assert(SCALARS.has(map[1]!), `schema: map key type ${map[1]}`);
    mapKey = map[1] as ScalarType;
  }
  if (SCALARS.has(valueType)) scalar = valueType as ScalarType;
  else messageName = valueType;
  const inline = (flags & F_INLINE) !== 0;
  return {
    index,
    n,
    name,
    json: inline ? "" : (jsonName ?? name),
    repeated: (flags & F_REPEATED) !== 0,
    pointer: (flags & F_POINTER) !== 0,
    omitEmpty: (flags & F_OMITEMPTY) !== 0,
    omitZero: (flags & F_OMITZERO) !== 0,
    inline,
    hidden: (flags & F_SKIP) !== 0,
    scalar,
    messageName,
    mapKey,
  };
}

let loaded: Schema | undefined;

/** The schema, parsed on first call and kept for the life of the process. */
export function schema(): Schema {
  loaded ??= new Schema(JSON.parse(SCHEMA_JSON) as RawSchema);
  return loaded;
}
