// Converts between protobufjs messages and the friendly shapes of this client: the same
// property names as protobufjs (etcd's names, camelCased), 64-bit IDs as bigint, other
// 64-bit integers as number, bytes as Buffer, absent sub-messages as null.
import { idToLong, Long, toId, toNumber, toSignedId } from "../proto/index.js";
import { type FieldLayout, INT64_TYPES, messageLayout } from "./descriptor.js";

/** 64-bit fields that hold IDs (member, cluster, lease, leader): these become bigint. */
const ID_FIELDS = new Set(["cluster_id", "member_id", "ID", "lease", "leader", "memberID", "targetID"]);

export function isIdField(f: FieldLayout): boolean {
  return INT64_TYPES.has(f.type) && ID_FIELDS.has(f.protoName);
}

type Obj = Record<string, unknown>;

function scalarFromWire(f: FieldLayout, v: unknown): unknown {
  if (INT64_TYPES.has(f.type)) {
    const n = v as number | Long | null | undefined;
    if (isIdField(f)) return f.type === "uint64" || f.type === "fixed64" ? toId(n) : toSignedId(n);
    return toNumber(n);
  }
  if (f.type === "bytes") {
    const b = v as Uint8Array | null | undefined;
    return b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength) : Buffer.alloc(0);
  }
  if (f.type === "string") return (v as string | null | undefined) ?? "";
  if (f.type === "bool") return Boolean(v);
  return (v as number | null | undefined) ?? 0;
}

/** A decoded protobufjs message as a friendly object of the given message type. */
export function fromWire<T>(typeName: string, msg: unknown): T {
  return convertFrom(typeName, msg as Obj) as T;
}

function convertFrom(typeName: string, msg: Obj): Obj {
  const out: Obj = {};
  for (const f of messageLayout(typeName).fields) {
    const v = msg[f.jsName];
    if (f.repeated) {
      const arr = (v as unknown[] | undefined) ?? [];
      out[f.jsName] = arr.map((x) =>
        f.kind === "message" ? convertFrom(f.type, x as Obj) : scalarFromWire(f, x),
      );
    } else if (f.kind === "message") {
      out[f.jsName] = v == null ? null : convertFrom(f.type, v as Obj);
    } else if (f.oneof !== undefined && msg[f.oneof] !== f.jsName) {
      // An unset oneof member reads as its zero value, like Go's getters.
      out[f.jsName] = scalarFromWire(f, undefined);
    } else {
      out[f.jsName] = scalarFromWire(f, v);
    }
  }
  return out;
}

function isZero(f: FieldLayout, v: unknown): boolean {
  if (v == null) return true;
  if (typeof v === "bigint") return v === 0n;
  if (typeof v === "number") return v === 0;
  if (typeof v === "boolean") return !v;
  if (typeof v === "string") return v.length === 0;
  if (v instanceof Uint8Array) return v.length === 0;
  if (Long.isLong(v)) return (v as Long).isZero();
  return f.kind !== "message";
}

function scalarToWire(f: FieldLayout, v: unknown): unknown {
  if (INT64_TYPES.has(f.type)) {
    const unsigned = f.type === "uint64" || f.type === "fixed64";
    if (typeof v === "bigint") return idToLong(v, unsigned);
    if (typeof v === "number") return Long.fromNumber(v, unsigned);
  }
  return v;
}

/**
 * A friendly object as protobufjs properties, leaving out zero scalars as Go's proto3
 * marshalling does (but keeping set oneof members and present sub-messages), so that
 * protobufjs encodes exactly the bytes etcd's Go code would.
 */
export function toWire(typeName: string, obj: unknown): Obj {
  const src = obj as Obj;
  const out: Obj = {};
  for (const f of messageLayout(typeName).fields) {
    const v = src[f.jsName];
    if (v == null) continue;
    if (f.repeated) {
      const arr = v as unknown[];
      if (arr.length === 0) continue;
      out[f.jsName] = arr.map((x) => (f.kind === "message" ? toWire(f.type, x) : scalarToWire(f, x)));
    } else if (f.kind === "message") {
      out[f.jsName] = toWire(f.type, v);
    } else if (f.oneof !== undefined && src[f.oneof] !== undefined) {
      if (src[f.oneof] === f.jsName) out[f.jsName] = scalarToWire(f, v);
    } else if (!isZero(f, v)) {
      out[f.jsName] = scalarToWire(f, v);
    }
  }
  return out;
}
