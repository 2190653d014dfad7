// Schema-driven protobuf -> JSON, with Go's JSON semantics so the result is what kubectl
// shows: fields in struct order; a pointer absent from the wire is nil (omitted, or null
// without omitempty); a value field absent from the wire is Go's zero value; zero values
// of omitempty fields are dropped; inline structs are promoted; maps are sorted by key.
// Fields the schema does not know are kept out of the JSON (kubectl never shows them) but
// on the object under the UNKNOWN_FIELDS symbol, so encoding the object gives them back.
import type { JsonObject, JsonValue } from "./json-value.js";
import type { FieldDef, MessageDef, ScalarType, Schema } from "./schema.js";
import {
  durationToString as durationString,
  embeddedToJson,
  intOrStringToJson,
  timeToJson,
} from "./well-known.js";
import { utf8, WIRE_BYTES, WIRE_FIXED32, WIRE_FIXED64, WIRE_VARINT, WireError, WireReader } from "./wire.js";

/** Symbol key under which an object keeps the fields unknown to the schema, in wire order. */
export const UNKNOWN_FIELDS: unique symbol = Symbol("k8s.unknownFields");

export interface UnknownField {
  field: number;
  wire: "varint" | "fixed64" | "bytes" | "fixed32";
  /** varint/fixed as a decimal string, bytes as base64. */
  value: string;
}

const MAX_DEPTH = 100;
const EMPTY = new Uint8Array(0);

type Slot = undefined | ScalarValue | Uint8Array | (ScalarValue | Uint8Array)[];
type ScalarValue = string | number | bigint | boolean;

export class ProtoDecoder {
  /** Set when the last decode() met a field the schema does not know. */
  sawUnknown = false;
  private readonly resolved = new WeakMap<FieldDef, MessageDef>();

  constructor(readonly schema: Schema) {}

  /** Decodes a message of type `def` from `buf` into its JSON object. */
  decode(def: MessageDef, buf: Uint8Array): JsonObject {
    this.sawUnknown = false;
    return this.struct(def, buf, 0);
  }

  private struct(def: MessageDef, buf: Uint8Array, depth: number): JsonObject {
    if (depth > MAX_DEPTH) throw new WireError("message nesting too deep");
    const slots: Slot[] = new Array(def.fields.length);
    let unknown: UnknownField[] | undefined;
    const r = new WireReader(buf);
    while (!r.done) {
      const tag = r.uint32();
      const n = tag >>> 3;
      const wt = tag & 7;
      if (n === 0) throw new WireError("field number 0");
      const f = def.byNumber[n];
      if (f === undefined) {
        unknown ??= [];
        unknown.push(readUnknown(r, n, wt));
        continue;
      }
      readField(r, f, wt, slots);
    }
    const out: JsonObject = {};
    for (const f of def.fields) this.emit(f, slots[f.index], out, depth);
    if (unknown) {
      (out as { [UNKNOWN_FIELDS]?: UnknownField[] })[UNKNOWN_FIELDS] = unknown;
      this.sawUnknown = true;
    }
    return out;
  }

  /** Puts field f into `out` as Go's encoding/json would. */
  private emit(f: FieldDef, slot: Slot, out: JsonObject, depth: number): void {
    if (f.hidden) return;
    if (f.mapKey !== undefined) {
      const entries = slot as Uint8Array[] | undefined;
      if (!entries || entries.length === 0) {
        if (!f.omitEmpty) out[f.json] = null;
        return;
      }
      out[f.json] = this.map(f, entries, depth);
      return;
    }
    if (f.repeated) {
      const items = slot as (ScalarValue | Uint8Array)[] | undefined;
      if (!items || items.length === 0) {
        if (!f.omitEmpty) out[f.json] = null;
        return;
      }
      out[f.json] = items.map((v) =>
        f.scalar ? scalarJson(f.scalar, v) : this.value(f, v as Uint8Array, depth),
      );
      return;
    }
    if (f.scalar !== undefined) {
      if (slot === undefined) {
        if (f.pointer || f.scalar === "bytes") {
          if (!f.omitEmpty) out[f.json] = null;
          return;
        }
        if (f.omitEmpty || f.omitZero) return;
        out[f.json] = zeroScalar(f.scalar);
        return;
      }
      const v = scalarJson(f.scalar, slot as ScalarValue | Uint8Array);
      if (!f.pointer && (f.omitEmpty || f.omitZero) && isZeroScalar(v)) return;
      out[f.json] = v;
      return;
    }
    // A message field.
    const def = this.messageDef(f);
    let v: JsonValue;
    if (slot === undefined) {
      if (f.pointer || def.list) {
        if (!f.omitEmpty && !f.inline) out[f.json] = null;
        return;
      }
      v = this.message(def, undefined, depth);
    } else {
      v = this.message(def, slot as Uint8Array, depth);
      if (def.list && f.omitEmpty && Array.isArray(v) && v.length === 0) return;
    }
    if (f.omitZero && (v === null || (slot === undefined && !f.pointer))) return;
    if (f.inline) {
      if (v !== null && typeof v === "object" && !Array.isArray(v)) Object.assign(out, v);
      return;
    }
    out[f.json] = v;
  }

  /** A message-typed value (element, map value or field) of field f. */
  private value(f: FieldDef, bytes: Uint8Array, depth: number): JsonValue {
    return this.message(this.messageDef(f), bytes, depth);
  }

  /** The message type of a field, resolved once per field. */
  private messageDef(f: FieldDef): MessageDef {
    let def = this.resolved.get(f);
    if (!def) {
      def = this.schema.mustMessage(f.messageName!);
      this.resolved.set(f, def);
    }
    return def;
  }

  /** A message as Go marshals it; `bytes` undefined means Go's zero value. */
  private message(def: MessageDef, bytes: Uint8Array | undefined, depth: number): JsonValue {
    switch (def.wellKnown) {
      case "Time":
      case "MicroTime": {
        const [seconds, nanos] = timeParts(bytes);
        return timeToJson(
          seconds,
          nanos,
          def.wellKnown === "MicroTime",
          bytes === undefined || bytes.length === 0,
        );
      }
      case "Duration":
        return durationJson(bytes);
      case "Quantity": {
        const s = bytes ? firstString(bytes, 1) : undefined;
        return s === undefined || s === "" ? "0" : s;
      }
      case "IntOrString":
        return intOrString(bytes);
      case "FieldsV1":
      case "RawExtension":
        return embeddedToJson(bytes ? firstBytes(bytes, 1) : undefined, def.wellKnown);
      case undefined:
        break;
    }
    if (def.list) {
      if (!bytes) return null;
      const items: string[] = [];
      const r = new WireReader(bytes);
      while (!r.done) {
        const tag = r.uint32();
        if (tag === ((1 << 3) | WIRE_BYTES)) items.push(r.string());
        else r.skip(tag & 7);
      }
      return items;
    }
    return this.struct(def, bytes ?? EMPTY, depth + 1);
  }

  private map(f: FieldDef, entries: Uint8Array[], depth: number): JsonObject {
    const pairs: [string, JsonValue][] = [];
    const keyWire = f.mapKey === "string" ? WIRE_BYTES : WIRE_VARINT;
    for (const entry of entries) {
      let key: string | undefined;
      let value: Slot;
      const r = new WireReader(entry);
      while (!r.done) {
        const tag = r.uint32();
        const n = tag >>> 3;
        const wt = tag & 7;
        if (n === 1 && wt === keyWire) key = String(scalarJson(f.mapKey!, readScalar(r, f.mapKey!)));
        else if (n === 2 && f.scalar && wt === wireTypeOf(f.scalar)) value = readScalar(r, f.scalar);
        else if (n === 2 && !f.scalar && wt === WIRE_BYTES) value = r.bytes();
        else r.skip(wt);
      }
      key ??= f.mapKey === "string" ? "" : "0";
      let v: JsonValue;
      if (f.scalar)
        v = value === undefined ? zeroScalar(f.scalar) : scalarJson(f.scalar, value as ScalarValue);
      else v = this.message(this.messageDef(f), value as Uint8Array | undefined, depth);
      pairs.push([key, v]);
    }
    // Go sorts map keys when marshalling JSON; duplicate keys: the last one wins.
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const out: JsonObject = {};
    for (const [k, v] of pairs) out[k] = v;
    return out;
  }
}

function wireTypeOf(t: ScalarType): number {
  return t === "string" || t === "bytes" ? WIRE_BYTES : WIRE_VARINT;
}

function readScalar(r: WireReader, t: ScalarType): ScalarValue | Uint8Array {
  switch (t) {
    case "string":
      return r.string();
    case "bytes":
      return r.bytes();
    case "bool":
      return r.bool();
    case "int32":
      return r.int32();
    case "uint32":
      return r.varint64Parts();
    case "int64":
      return r.int64(true);
    case "uint64":
      return r.int64(false);
  }
}

function readField(r: WireReader, f: FieldDef, wt: number, slots: Slot[]): void {
  if (f.mapKey !== undefined || (f.repeated && f.scalar === undefined)) {
    if (wt !== WIRE_BYTES) throw new WireError(`field ${f.name}: wire type ${wt} for a message`);
    let list = slots[f.index] as Uint8Array[] | undefined;
    if (!list) slots[f.index] = list = [];
    list.push(r.bytes());
    return;
  }
  if (f.scalar === undefined) {
    if (wt !== WIRE_BYTES) throw new WireError(`field ${f.name}: wire type ${wt} for a message`);
    const bytes = r.bytes();
    const prev = slots[f.index] as Uint8Array | undefined;
    // A message field seen twice is merged, which for protobuf is concatenation.
    slots[f.index] = prev ? Buffer.concat([prev, bytes]) : bytes;
    return;
  }
  const want = wireTypeOf(f.scalar);
  if (f.repeated) {
    let list = slots[f.index] as ScalarValue[] | undefined;
    if (!list) slots[f.index] = list = [];
    if (wt === WIRE_BYTES && want === WIRE_VARINT) {
      // packed
      const packed = r.bytes();
      const pr = new WireReader(packed);
      while (!pr.done) list.push(readScalar(pr, f.scalar) as ScalarValue);
      return;
    }
    if (wt !== want) throw new WireError(`field ${f.name}: wire type ${wt}, expected ${want}`);
    list.push(readScalar(r, f.scalar) as ScalarValue);
    return;
  }
  if (wt !== want) throw new WireError(`field ${f.name}: wire type ${wt}, expected ${want}`);
  slots[f.index] = readScalar(r, f.scalar);
}

function readUnknown(r: WireReader, field: number, wt: number): UnknownField {
  switch (wt) {
    case WIRE_VARINT:
      return { field, wire: "varint", value: String(r.int64(false)) };
    case WIRE_FIXED64:
      return { field, wire: "fixed64", value: r.fixed64().toString() };
    case WIRE_BYTES:
      return { field, wire: "bytes", value: Buffer.from(r.bytes()).toString("base64") };
    case WIRE_FIXED32:
      return { field, wire: "fixed32", value: String(r.fixed32()) };
    default:
      throw new WireError(`unsupported wire type ${wt} for field ${field}`);
  }
}

function scalarJson(t: ScalarType, v: ScalarValue | Uint8Array): JsonValue {
  if (t === "bytes") {
    const b = v as Uint8Array;
    return Buffer.from(b.buffer, b.byteOffset, b.length).toString("base64");
  }
  return v as ScalarValue;
}

function zeroScalar(t: ScalarType): JsonValue {
  switch (t) {
    case "string":
      return "";
    case "bool":
      return false;
    case "bytes":
      return null;
    default:
      return 0;
  }
}

function isZeroScalar(v: JsonValue): boolean {
  return v === "" || v === 0 || v === false || v === 0n;
}

function utf8Of(b: Uint8Array): string {
  return utf8(b, 0, b.length);
}

/** {seconds(1), nanos(2)} of a Timestamp-shaped message. */
function timeParts(bytes: Uint8Array | undefined): [number | bigint, number] {
  let seconds: number | bigint = 0;
  let nanos = 0;
  if (!bytes) return [seconds, nanos];
  const r = new WireReader(bytes);
  while (!r.done) {
    const tag = r.uint32();
    if (tag === 1 << 3) seconds = r.int64();
    else if (tag === 2 << 3) nanos = r.int32();
    else r.skip(tag & 7);
  }
  return [seconds, nanos];
}

function durationJson(bytes: Uint8Array | undefined): string {
  let ns: number | bigint = 0;
  if (bytes) {
    const r = new WireReader(bytes);
    while (!r.done) {
      const tag = r.uint32();
      if (tag === 1 << 3) ns = r.int64();
      else r.skip(tag & 7);
    }
  }
  return durationString(ns);
}

function intOrString(bytes: Uint8Array | undefined): number | string {
  let type = 0;
  let intVal = 0;
  let strVal = "";
  if (bytes) {
    const r = new WireReader(bytes);
    while (!r.done) {
      const tag = r.uint32();
      if (tag === 1 << 3) type = Number(r.int64());
      else if (tag === 2 << 3) intVal = r.int32();
      else if (tag === ((3 << 3) | WIRE_BYTES)) strVal = r.string();
      else r.skip(tag & 7);
    }
  }
  return intOrStringToJson(type, intVal, strVal);
}

function firstBytes(bytes: Uint8Array, field: number): Uint8Array | undefined {
  let found: Uint8Array | undefined;
  const r = new WireReader(bytes);
  while (!r.done) {
    const tag = r.uint32();
    if (tag === ((field << 3) | WIRE_BYTES)) found = r.bytes();
    else r.skip(tag & 7);
  }
  return found;
}

function firstString(bytes: Uint8Array, field: number): string | undefined {
  const b = firstBytes(bytes, field);
  return b === undefined ? undefined : utf8Of(b);
}

/** The fields unknown to the schema kept on `object`, if any. */
export function unknownFieldsOf(object: JsonObject): UnknownField[] | undefined {
  return (object as { [UNKNOWN_FIELDS]?: UnknownField[] })[UNKNOWN_FIELDS];
}

/** Every object in `value` that kept unknown fields, with its path (e.g. "metadata"). */
export function findUnknownFields(value: JsonValue, path = ""): { path: string; fields: UnknownField[] }[] {
  const found: { path: string; fields: UnknownField[] }[] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      found.push(...findUnknownFields(v, `${path}[${i}]`));
    });
  } else if (value !== null && typeof value === "object") {
    const own = unknownFieldsOf(value);
    if (own) found.push({ path: path || ".", fields: own });
    for (const [k, v] of Object.entries(value))
      found.push(...findUnknownFields(v, path ? `${path}.${k}` : k));
  }
  return found;
}
