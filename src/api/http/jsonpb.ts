// Protobuf messages to and from JSON as grpc-gateway 1.x's JSONPb marshaler (golang/protobuf
// jsonpb with OrigName) does it for etcd, by reflection over the descriptor:
//   out: original snake_case names, 64-bit integers as strings, bytes as base64, enums by
//        name, fields at their default value left out, oneofs at their place;
//   in:  original or lowerCamel names, 64-bit integers as numbers or strings, bytes as
//        base64, enums by name or number, null for "not set", unknown fields ignored.
// Errors carry Go's texts (see gojson.ts).
import Long from "long";
import protobuf from "protobufjs";
import { descriptor } from "../../proto/index.js";
import { GoJsonError, goBase64Decode, goQuote, type JsonNode, kindWord, parseDocument } from "./gojson.js";

const root = protobuf.Root.fromJSON(descriptor);

/** The reflected type of a message ("etcdserverpb.RangeRequest"). */
export function messageType(fullName: string): protobuf.Type {
  return root.lookupType(fullName);
}

/** protoc's json_name: underscores dropped, the letter after each one upper-cased. */
export function lowerCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/_/g, "");
}

/** Package path and message nesting of a reflected type or enum. */
function goNames(t: protobuf.ReflectionObject): { pkg: string[]; chain: string[] } {
  const chain: string[] = [t.name];
  const pkg: string[] = [];
  for (let p = t.parent; p !== null && p.name !== ""; p = p.parent) {
    if (p instanceof protobuf.Type) chain.unshift(p.name);
    else pkg.unshift(p.name);
  }
  return { pkg, chain };
}

/** The Go type name of an enum ("etcdserverpb.RangeRequest_SortOrder"). */
function goEnumType(e: protobuf.Enum): string {
  const { pkg, chain } = goNames(e);
  return `${pkg.join("_")}.${chain.join("_")}`;
}

/** The name an enum is registered under in golang/protobuf ("grpc.health.v1.HealthCheckResponse_ServingStatus"). */
function protoEnumName(e: protobuf.Enum): string {
  const { pkg, chain } = goNames(e);
  return `${pkg.join(".")}.${chain.join("_")}`;
}

const goScalarTypes: Record<string, string> = {
  int64: "int64",
  sint64: "int64",
  sfixed64: "int64",
  uint64: "uint64",
  fixed64: "uint64",
  int32: "int32",
  sint32: "int32",
  sfixed32: "int32",
  uint32: "uint32",
  fixed32: "uint32",
  double: "float64",
  float: "float32",
  bool: "bool",
  string: "string",
  bytes: "[]uint8",
};

function typeError(node: JsonNode, goType: string, literal = false): GoJsonError {
  const what = literal && node.kind === "number" ? `number ${node.text}` : kindWord(node);
  return new GoJsonError(`json: cannot unmarshal ${what} into Go value of type ${goType}`);
}

const intRanges: Record<string, [bigint, bigint]> = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
};

/**
 * A JSON number literal as Go's strconv.ParseInt/ParseUint accept it for an integer of kind
 * `bits` (named `goType` in errors: enums are int32s with their own Go type name).
 */
function parseInteger(node: JsonNode, goType: string, bits = goType): bigint {
  if (node.kind !== "number") throw typeError(node, goType);
  const text = node.text;
  const range = intRanges[bits]!;
  const unsigned = bits.startsWith("uint");
  if (!/^-?\d+$/.test(text) || (unsigned && text.startsWith("-"))) throw typeError(node, goType, true);
  const value = BigInt(text);
  if (value < range[0] || value > range[1]) throw typeError(node, goType, true);
  return value;
}

/** The value a numeric field's JSON stands for: numbers may come quoted (jsonpb re-reads the inner text). */
function numericNode(node: JsonNode): JsonNode {
  return node.kind === "string" ? parseDocument(node.raw) : node;
}

/** A scalar or enum field value from JSON, as protobufjs encodes it; undefined for "not set". */
function scalarFromJson(field: protobuf.Field, node: JsonNode): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) {
    const goType = goEnumType(resolved);
    if (node.kind === "string") {
      const name = node.raw.toString("latin1");
      const value = resolved.values[name];
      if (value === undefined) {
        throw new GoJsonError(`unknown value ${JSON.stringify(name)} for enum ${protoEnumName(resolved)}`);
      }
      return value;
    }
    if (node.kind === "null") return undefined;
    return Number(parseInteger(node, goType, "int32"));
  }
  const goType = goScalarTypes[field.type];
  if (goType === undefined) throw new Error(`jsonpb: unsupported field type ${field.type}`);
  switch (field.type) {
    case "bool":
      if (node.kind === "null") return undefined;
      if (node.kind !== "bool") throw typeError(node, goType);
      return node.value;
    case "string":
      if (node.kind === "null") return undefined;
      if (node.kind !== "string") throw typeError(node, goType);
      return node.value;
    case "bytes":
      if (node.kind === "null") return undefined;
      if (node.kind !== "string") throw typeError(node, goType);
      return goBase64Decode(Buffer.from(node.value, "utf8"));
    case "double":
    case "float": {
      if (node.kind === "string" && ["NaN", "Infinity", "-Infinity"].includes(node.value))
        return Number(node.value);
      const n = numericNode(node);
      if (n.kind === "null") return undefined;
      if (n.kind !== "number") throw typeError(n, goType);
      const value = Number(n.text);
      const max = field.type === "float" ? 3.4028234663852886e38 : Number.MAX_VALUE;
      if (!Number.isFinite(value) || Math.abs(value) > max) throw typeError(n, goType, true);
      return value;
    }
    default: {
      const n = numericNode(node);
      if (n.kind === "null") return undefined;
      const value = parseInteger(n, goType);
      if (goType === "int64" || goType === "uint64")
        return Long.fromString(value.toString(), goType === "uint64");
      return Number(value);
    }
  }
}

function valueFromJson(field: protobuf.Field, node: JsonNode): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type)
    return node.kind === "null" ? undefined : objectFromJson(resolved, node);
  return scalarFromJson(field, node);
}

function fieldFromJson(field: protobuf.Field, node: JsonNode): unknown {
  if (!field.repeated) return valueFromJson(field, node);
  if (node.kind === "null") return undefined;
  if (node.kind !== "array") throw typeError(node, "[]json.RawMessage");
  return node.items.map((item) => {
    const value = valueFromJson(field, item);
    if (value !== undefined) return value;
    return field.resolvedType instanceof protobuf.Type ? {} : field.typeDefault;
  });
}

/** A message as a plain object with the descriptor's field names, ready for `type.encode`. */
function objectFromJson(type: protobuf.Type, node: JsonNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (node.kind === "null") return out;
  if (node.kind !== "object") throw typeError(node, "map[string]json.RawMessage");
  const take = (field: protobuf.Field): JsonNode | undefined => {
    const camel = node.entries.get(lowerCamel(field.name));
    return camel ?? node.entries.get(field.name);
  };
  // jsonpb reads the plain fields in declaration order, then the oneofs.
  const ordered = [
    ...type.fieldsArray.filter((f) => f.partOf === null),
    ...type.fieldsArray.filter((f) => f.partOf !== null),
  ];
  for (const field of ordered) {
    field.resolve();
    if (field.map) throw new Error(`jsonpb: map field ${type.fullName}.${field.name} is not supported`);
    const raw = take(field);
    if (raw === undefined) continue;
    const value = fieldFromJson(field, raw);
    if (value === undefined) continue;
    if (field.partOf !== null) for (const other of field.partOf.fieldsArray) delete out[other.name];
    out[field.name] = value;
  }
  return out;
}

/** Encodes the JSON request body value (undefined: an empty body) as the message's wire bytes. */
export function jsonToMessage(type: protobuf.Type, node: JsonNode | undefined): Uint8Array {
  const object = node === undefined ? {} : objectFromJson(type, node);
  return type.encode(object).finish();
}

// ---- out ---------------------------------------------------------------------------------

function isDefault(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Long.isLong(value)) return value.isZero();
  if (typeof value === "number") return value === 0;
  if (typeof value === "boolean") return !value;
  if (typeof value === "string") return value === "";
  if (value instanceof Uint8Array) return value.length === 0;
  return false;
}

function scalarToJson(field: protobuf.Field, value: unknown): string {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) {
    const name = resolved.valuesById[value as number];
    return name === undefined ? String(value) : goQuote(name);
  }
  switch (field.type) {
    case "int64":
    case "sint64":
    case "sfixed64":
    case "uint64":
    case "fixed64":
      return `"${Long.isLong(value) ? value.toString() : String(value)}"`;
    case "bytes":
      return `"${Buffer.from(value as Uint8Array).toString("base64")}"`;
    case "string":
      return goQuote(value as string);
    case "bool":
      return value ? "true" : "false";
    case "double":
    case "float": {
      const n = value as number;
      if (Number.isNaN(n)) return '"NaN"';
      if (!Number.isFinite(n)) return n > 0 ? '"Infinity"' : '"-Infinity"';
      return String(n);
    }
    default:
      return String(value);
  }
}

function valueToJson(field: protobuf.Field, value: unknown): string {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return objectToJson(resolved, value as Record<string, unknown>);
  return scalarToJson(field, value);
}

/** Fields in Go struct order: declaration order, each oneof where its first member is declared. */
const goOrder = new WeakMap<protobuf.Type, (protobuf.Field | protobuf.OneOf)[]>();
function fieldsInGoOrder(type: protobuf.Type): (protobuf.Field | protobuf.OneOf)[] {
  let order = goOrder.get(type);
  if (order === undefined) {
    const seen = new Set<protobuf.OneOf>();
    order = [];
    for (const field of type.fieldsArray) {
      field.resolve();
      const oneof = field.partOf;
      if (oneof === null) order.push(field);
      else if (!seen.has(oneof)) {
        seen.add(oneof);
        order.push(oneof);
      }
    }
    goOrder.set(type, order);
  }
  return order;
}

function objectToJson(type: protobuf.Type, message: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const entry of fieldsInGoOrder(type)) {
    let field: protobuf.Field | undefined;
    if (entry instanceof protobuf.OneOf) {
      field = entry.fieldsArray.find((f) => Object.hasOwn(message, f.name) && message[f.name] != null);
      if (field === undefined) continue;
    } else {
      field = entry;
    }
    // Decoding sets only the fields present on the wire; the rest sit on the prototype.
    if (!Object.hasOwn(message, field.name)) continue;
    const value = message[field.name];
    if (field.repeated) {
      if (!Array.isArray(value) || value.length === 0) continue;
      parts.push(`"${field.name}":[${value.map((v) => valueToJson(field, v)).join(",")}]`);
      continue;
    }
    if (field.resolvedType instanceof protobuf.Type) {
      if (value === null || value === undefined) continue;
    } else if (entry instanceof protobuf.Field && isDefault(value)) {
      continue;
    }
    parts.push(`"${field.name}":${valueToJson(field, value)}`);
  }
  return `{${parts.join(",")}}`;
}

/** The message in `bytes` as grpc-gateway's JSONPb{OrigName: true} prints it. */
export function messageToJson(type: protobuf.Type, bytes: Uint8Array): string {
  return objectToJson(type, type.decode(bytes) as unknown as Record<string, unknown>);
}

/** The reflected message types and stream flags of a gRPC method path ("/etcdserverpb.KV/Range"). */
export function methodTypes(path: string): {
  request: protobuf.Type;
  response: protobuf.Type;
  requestStream: boolean;
  responseStream: boolean;
} {
  const match = /^\/(.+)\/([^/]+)$/.exec(path);
  if (match === null) throw new Error(`malformed gRPC method path ${path}`);
  const method = root.lookupService(match[1]!).methods[match[2]!];
  if (method === undefined) throw new Error(`no method ${path} in the descriptor`);
  method.resolve();
  return {
    request: method.resolvedRequestType!,
    response: method.resolvedResponseType!,
    requestStream: method.requestStream === true,
    responseStream: method.responseStream === true,
  };
}
