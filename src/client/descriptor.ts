// etcd's message layouts, read from the JSON descriptor generated beside the codecs. The
// converters and the Go-style printers walk these layouts instead of repeating every
// message by hand; the descriptor keeps etcd's original field names (the Go JSON names).
import assert from "node:assert";
import { readFileSync } from "node:fs";

export interface FieldLayout {
  /** etcd's field name as written in the .proto (the Go JSON name). */
  readonly protoName: string;
  /** The property name protobufjs uses (camelCase). */
  readonly jsName: string;
  readonly id: number;
  /** Scalar type name, or the full name of a message or enum. */
  readonly type: string;
  readonly kind: "scalar" | "message" | "enum";
  readonly repeated: boolean;
  /** The oneof this field belongs to, if any (Go encodes a set oneof member even when zero). */
  readonly oneof: string | undefined;
}

export interface MessageLayout {
  readonly fullName: string;
  /** Declaration order, which is the Go struct's field order. */
  readonly fields: readonly FieldLayout[];
}

interface JsonNode {
  nested?: Record<string, JsonNode>;
  fields?: Record<string, { type: string; id: number; rule?: string }>;
  oneofs?: Record<string, { oneof: string[] }>;
  values?: Record<string, number>;
}

const root = JSON.parse(
  readFileSync(new URL("../proto/gen/descriptor.json", import.meta.url), "utf8"),
) as JsonNode;

/** protobufjs' camelCase rule for field names (util.camelCase). */
export function jsFieldName(protoName: string): string {
  return (
    protoName.substring(0, 1) +
    protoName.substring(1).replace(/_([a-z])(?=[a-z]|$)/g, (_m, c: string) => c.toUpperCase())
  );
}

function lookupNode(fullName: string): JsonNode | undefined {
  let node: JsonNode | undefined = root;
  for (const part of fullName.split(".")) {
    node = node?.nested?.[part];
    if (node === undefined) return undefined;
  }
  return node;
}

/** Resolves a type reference the way protobuf scoping does: innermost scope first. */
function resolveType(ref: string, scope: string): string | undefined {
  if (ref.startsWith(".")) return lookupNode(ref.slice(1)) ? ref.slice(1) : undefined;
  const parts = scope.split(".");
  for (let i = parts.length; i >= 0; i--) {
    const candidate = [...parts.slice(0, i), ref].join(".");
    if (lookupNode(candidate)) return candidate;
  }
  return undefined;
}

const cache = new Map<string, MessageLayout>();

/** The layout of a message by its full name, e.g. `etcdserverpb.RangeResponse`. */
export function messageLayout(fullName: string): MessageLayout {
  const hit = cache.get(fullName);
  if (hit) return hit;
  const node = lookupNode(fullName);
  assert(node?.fields, `unknown message ${fullName}`);
  const oneofOf = new Map<string, string>();
  for (const [name, o] of Object.entries(node.oneofs ?? {})) {
    for (const f of o.oneof) oneofOf.set(f, name);
  }
  const fields: FieldLayout[] = Object.entries(node.fields).map(([name, f]) => {
    let kind: FieldLayout["kind"] = "scalar";
    let type = f.type;
    if (!SCALARS.has(f.type)) {
      const resolved = resolveType(f.type, fullName);
      assert(resolved, `unresolved type ${f.type} in ${fullName}`);
      type = resolved;
      kind = lookupNode(resolved)?.values ? "enum" : "message";
    }
    return {
      protoName: name,
      jsName: jsFieldName(name),
      id: f.id,
      type,
      kind,
      repeated: f.rule === "repeated",
      oneof: oneofOf.get(name),
    };
  });
  const layout = { fullName, fields };
  cache.set(fullName, layout);
  return layout;
}

/** The value names of an enum by number, e.g. mvccpb.Event.EventType -> {0: "PUT", 1: "DELETE"}. */
export function enumNames(fullName: string): ReadonlyMap<number, string> {
  const node = lookupNode(fullName);
  assert(node?.values, `unknown enum ${fullName}`);
  return new Map(Object.entries(node.values).map(([k, v]) => [v, k]));
}

const SCALARS = new Set([
  "double",
  "float",
  "int32",
  "int64",
  "uint32",
  "uint64",
  "sint32",
  "sint64",
  "fixed32",
  "fixed64",
  "sfixed32",
  "sfixed64",
  "bool",
  "string",
  "bytes",
]);

export const INT64_TYPES = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);
