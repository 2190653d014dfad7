// Schema-driven JSON -> protobuf, writing what kube-apiserver's generated (gogo) code
// writes: fields in number order; Go value fields always (zero when absent from the
// object), pointers only when set; map entries sorted by key. Anything the schema does
// not know is refused with its path, so a repair never drops data silently.
import type { JsonObject, JsonValue } from "./json-value.js";
import { isJsonObject } from "./json-value.js";
import type { UnknownField } from "./proto-decode.js";
import { unknownFieldsOf } from "./proto-decode.js";
import type { FieldDef, MessageDef, ScalarType, Schema } from "./schema.js";
import { embeddedFromJson, parseDuration, parseTime } from "./well-known.js";
import { WIRE_BYTES, WIRE_FIXED32, WIRE_FIXED64, WIRE_VARINT, WireWriter } from "./wire.js";

/** An object that does not fit its schema; `path` says where (e.g. "spec.replicas"). */
export class EncodeError extends Error {
  override name = "EncodeError";
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path || "object"}: ${message}`);
  }
}

const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;
const MAX_DEPTH = 100;

export class ProtoEncoder {
  private readonly keySets = new Map<string, Set<string>>();

  constructor(readonly schema: Schema) {}

  /** The message bytes of `object` as type `def`; `skip` lists top-level keys to ignore. */
  encode(def: MessageDef, object: JsonObject, skip: readonly string[] = []): Buffer {
    const w = new WireWriter();
    const used = new Set<string>(skip);
    this.struct(w, def, object, used, "", 0);
    this.rejectLeftovers(object, used, "");
    return w.finish();
  }

  private struct(
    w: WireWriter,
    def: MessageDef,
    obj: JsonObject,
    used: Set<string>,
    path: string,
    depth: number,
  ) {
    if (depth > MAX_DEPTH) throw new EncodeError(path, "nesting too deep");
    for (const f of def.wireOrder) {
      if (f.hidden) continue;
      if (f.inline) {
        const child = this.schema.mustMessage(f.messageName!);
        if (f.pointer && !this.jsonKeys(child).some((k) => Object.hasOwn(obj, k))) continue;
        w.tag(f.n, WIRE_BYTES);
        w.fork();
        this.struct(w, child, obj, used, path, depth + 1);
        w.join();
        continue;
      }
      used.add(f.json);
      const v = Object.hasOwn(obj, f.json) ? obj[f.json] : undefined;
      this.field(w, f, v, join(path, f.json), depth);
    }
    const unknown = unknownFieldsOf(obj);
    if (unknown) for (const u of unknown) writeUnknown(w, u);
  }

  private field(w: WireWriter, f: FieldDef, v: JsonValue | undefined, path: string, depth: number): void {
    if (f.mapKey !== undefined) {
      if (v === undefined || v === null) return;
      if (!isJsonObject(v)) throw new EncodeError(path, "expected a map");
      const keys = Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const k of keys) {
        w.tag(f.n, WIRE_BYTES);
        w.fork();
        writeScalar(w, 1, f.mapKey, mapKey(f.mapKey, k, path), path);
        if (f.scalar) writeScalar(w, 2, f.scalar, v[k]!, `${path}[${JSON.stringify(k)}]`);
        else this.message(w, 2, this.schema.mustMessage(f.messageName!), v[k]!, false, `${path}.${k}`, depth);
        w.join();
      }
      return;
    }
    if (f.repeated) {
      if (v === undefined || v === null) return;
      if (!Array.isArray(v)) throw new EncodeError(path, "expected a list");
      v.forEach((item, i) => {
        const p = `${path}[${i}]`;
        if (f.scalar) writeScalar(w, f.n, f.scalar, item, p);
        else this.message(w, f.n, this.schema.mustMessage(f.messageName!), item, false, p, depth);
      });
      return;
    }
    if (f.scalar) {
      if (v === undefined || v === null) {
        if (f.pointer || f.scalar === "bytes") return;
        writeScalar(w, f.n, f.scalar, zeroOf(f.scalar), path);
        return;
      }
      writeScalar(w, f.n, f.scalar, v, path);
      return;
    }
    this.message(w, f.n, this.schema.mustMessage(f.messageName!), v ?? null, f.pointer, path, depth);
  }

  /** A message-typed value; null means Go's zero value (nothing at all for a pointer). */
  private message(
    w: WireWriter,
    n: number,
    def: MessageDef,
    v: JsonValue,
    pointer: boolean,
    path: string,
    depth: number,
  ): void {
    if (v === null && (pointer || def.list)) return;
    w.tag(n, WIRE_BYTES);
    w.fork();
    switch (def.wellKnown) {
      case "Time":
      case "MicroTime": {
        if (v !== null) {
          if (typeof v !== "string") throw new EncodeError(path, "expected an RFC 3339 time");
          const t = parseTime(v);
          if (!t) throw new EncodeError(path, `not an RFC 3339 time: ${JSON.stringify(v)}`);
          w.tag(1, WIRE_VARINT);
          w.varint(t.seconds);
          w.tag(2, WIRE_VARINT);
          w.varint(def.wellKnown === "MicroTime" ? Math.floor(t.nanos / 1000) * 1000 : 0);
        }
        break;
      }
      case "Duration": {
        const ns = v === null ? 0n : typeof v === "string" ? parseDuration(v) : undefined;
        if (ns === undefined) throw new EncodeError(path, `not a duration: ${JSON.stringify(v)}`);
        w.tag(1, WIRE_VARINT);
        w.varint(ns);
        break;
      }
      case "Quantity": {
        const q = v === null ? "0" : typeof v === "number" || typeof v === "bigint" ? String(v) : v;
        if (typeof q !== "string" || !QUANTITY.test(q))
          throw new EncodeError(path, `not a quantity: ${JSON.stringify(v)}`);
        w.tag(1, WIRE_BYTES);
        w.string(q);
        break;
      }
      case "IntOrString": {
        const isString = typeof v === "string";
        if (!isString && v !== null && !(typeof v === "number" && isInt32(v))) {
          throw new EncodeError(path, "expected an integer or a string");
        }
        w.tag(1, WIRE_VARINT);
        w.varint(isString ? 1 : 0);
        w.tag(2, WIRE_VARINT);
        w.varint(isString || v === null ? 0 : v);
        w.tag(3, WIRE_BYTES);
        w.string(isString ? v : "");
        break;
      }
      case "FieldsV1":
      case "RawExtension":
        if (v !== null) {
          w.tag(1, WIRE_BYTES);
          w.bytes(embeddedFromJson(v));
        }
        break;
      case undefined:
        if (def.list) {
          if (!Array.isArray(v)) throw new EncodeError(path, "expected a list");
          v.forEach((item, i) => {
            writeScalar(w, 1, "string", item, `${path}[${i}]`);
          });
        } else {
          if (v !== null && !isJsonObject(v)) throw new EncodeError(path, "expected an object");
          const obj = v ?? {};
          // An embedded object (a StatefulSet's volumeClaimTemplates) may carry apiVersion
          // and kind as kubectl shows them; protobuf has no place for them (TypeMeta is
          // not part of the message), so the apiserver drops them too.
          const used = new Set<string>(isObjectType(def) ? ["apiVersion", "kind"] : []);
          this.struct(w, def, obj, used, path, depth + 1);
          this.rejectLeftovers(obj, used, path);
        }
        break;
    }
    w.join();
  }

  /** JSON keys a message accepts, including those of inlined structs. */
  private jsonKeys(def: MessageDef): string[] {
    let keys = this.keySets.get(def.name);
    if (!keys) {
      keys = new Set<string>();
      for (const f of def.fields) {
        if (f.hidden) continue;
        if (f.inline) for (const k of this.jsonKeys(this.schema.mustMessage(f.messageName!))) keys.add(k);
        else keys.add(f.json);
      }
      this.keySets.set(def.name, keys);
    }
    return [...keys];
  }

  private rejectLeftovers(obj: JsonObject, used: Set<string>, path: string): void {
    for (const k of Object.keys(obj)) {
      if (!used.has(k)) throw new EncodeError(join(path, k), "no such field in the schema");
    }
  }
}

/** A Kubernetes object type (has ObjectMeta), which in Go carries TypeMeta inline. */
function isObjectType(def: MessageDef): boolean {
  return def.fields.some(
    (f) => f.json === "metadata" && f.messageName === "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta",
  );
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function isInt32(v: number): boolean {
  return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647;
}

function zeroOf(t: ScalarType): JsonValue {
  return t === "string" ? "" : t === "bool" ? false : 0;
}

function mapKey(t: ScalarType, k: string, path: string): JsonValue {
  if (t === "string") return k;
  if (!/^-?\d+$/.test(k)) throw new EncodeError(path, `map key ${JSON.stringify(k)} is not an integer`);
  return Number(k);
}

function writeScalar(w: WireWriter, n: number, t: ScalarType, v: JsonValue, path: string): void {
  switch (t) {
    case "string":
      if (typeof v !== "string") throw new EncodeError(path, `expected a string, got ${describe(v)}`);
      w.tag(n, WIRE_BYTES);
      w.string(v);
      return;
    case "bytes": {
      if (typeof v !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) {
        throw new EncodeError(path, `expected base64 bytes, got ${describe(v)}`);
      }
      w.tag(n, WIRE_BYTES);
      w.bytes(Buffer.from(v, "base64"));
      return;
    }
    case "bool":
      if (typeof v !== "boolean") throw new EncodeError(path, `expected true or false, got ${describe(v)}`);
      w.tag(n, WIRE_VARINT);
      w.uvarint(v ? 1 : 0);
      return;
    case "int32":
    case "uint32":
      if (
        typeof v !== "number" ||
        !Number.isInteger(v) ||
        (t === "int32" ? !isInt32(v) : v < 0 || v > 0xffffffff)
      ) {
        throw new EncodeError(path, `expected a 32-bit integer, got ${describe(v)}`);
      }
      w.tag(n, WIRE_VARINT);
      w.varint(v);
      return;
    case "int64":
    case "uint64": {
      const ok =
        (typeof v === "number" && Number.isInteger(v)) ||
        (typeof v === "bigint" &&
          v >= (t === "int64" ? -(2n ** 63n) : 0n) &&
          v < 2n ** (t === "int64" ? 63n : 64n));
      if (!ok) throw new EncodeError(path, `expected an integer, got ${describe(v)}`);
      w.tag(n, WIRE_VARINT);
      w.varint(v as number | bigint);
      return;
    }
  }
}

function writeUnknown(w: WireWriter, u: UnknownField): void {
  switch (u.wire) {
    case "varint":
      w.tag(u.field, WIRE_VARINT);
      w.varint(BigInt(u.value));
      return;
    case "fixed64":
      w.tag(u.field, WIRE_FIXED64);
      w.fixed64(BigInt(u.value));
      return;
    case "fixed32":
      w.tag(u.field, WIRE_FIXED32);
      w.fixed32(Number(u.value));
      return;
    case "bytes":
      w.tag(u.field, WIRE_BYTES);
      w.bytes(Buffer.from(u.value, "base64"));
      return;
  }
}

function describe(v: JsonValue): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  return JSON.stringify(typeof v === "bigint" ? v.toString() : v);
}
