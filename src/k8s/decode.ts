// Decoding one stored value, whatever its form: protobuf in the k8s\0 envelope, JSON,
// YAML, or encrypted at rest (decrypted when a key is supplied). Never throws on bad
// input: what cannot be decoded comes back as a wire dump or raw text with the reason.
import { parse as parseYaml } from "yaml";
import type { Decryptor } from "./encryption.js";
import { parseEncryptedPrefix } from "./encryption.js";
import { hasProtobufMagic, parseEnvelope } from "./envelope.js";
import type { JsonObject } from "./json-value.js";
import { isJsonObject, parseJsonText } from "./json-value.js";
import { messageOf } from "./kinds.js";
import type { UnknownField } from "./proto-decode.js";
import { findUnknownFields, ProtoDecoder, UNKNOWN_FIELDS } from "./proto-decode.js";
import { schema } from "./schema.js";
import type { WireNode } from "./wire-dump.js";
import { parseWire } from "./wire-dump.js";

export type ValueFormat = "protobuf" | "json" | "yaml" | "encrypted" | "binary" | "text" | "empty";

export interface EncryptionInfo {
  provider: string;
  /** Key name from the prefix (for kms: the plugin name). */
  keyName: string;
  /** True when the value was decrypted with a supplied key. */
  decrypted: boolean;
}

export interface DecodedValue {
  /** The form of the value as stored (after decryption, the form of the plaintext). */
  format: ValueFormat;
  apiVersion?: string;
  kind?: string;
  /** The object as kubectl shows it, when it could be decoded. */
  object?: JsonObject;
  encryption?: EncryptionInfo;
  /** Schema-free view of protobuf bytes the schema could not decode (unknown kind, bad bytes). */
  wire?: WireNode[];
  /** Text of a value that is neither protobuf nor an object (or base64 of binary bytes). */
  text?: string;
  /** Why `object` is missing, or what was odd (e.g. a stripped trailing newline). */
  error?: string;
  /** Protobuf fields the schema does not know (newer or removed fields), by object path. */
  unknownFields?: { path: string; fields: UnknownField[] }[];
}

export interface DecodeOptions {
  /** The etcd key (needed to decrypt aesgcm, whose authenticated data is the key). */
  key?: string | Uint8Array;
  /** Fills metadata.resourceVersion, which the apiserver never stores. */
  modRevision?: number;
  /** Keys to decrypt values encrypted at rest. */
  decryptor?: Decryptor;
}

let decoder: ProtoDecoder | undefined;

function protoDecoder(): ProtoDecoder {
  decoder ??= new ProtoDecoder(schema());
  return decoder;
}

/** Decodes a stored value into the object kubectl would show, or the best view of it. */
export function decodeValue(value: Uint8Array, opts: DecodeOptions = {}): DecodedValue {
  if (value.length === 0) return { format: "empty", error: "empty value" };
  const enc = parseEncryptedPrefix(value);
  if (enc) {
    const info: EncryptionInfo = { provider: enc.provider, keyName: enc.keyName, decrypted: false };
    if (!opts.decryptor)
      return { format: "encrypted", encryption: info, error: "encrypted at rest; no key supplied" };
    const result = opts.decryptor.decrypt(value, opts.key);
    if (!result.ok) return { format: "encrypted", encryption: info, error: result.error };
    const { decryptor: _used, ...rest } = opts;
    const inner = decodeValue(result.plaintext, rest);
    return { ...inner, encryption: { ...info, decrypted: true } };
  }
  if (hasProtobufMagic(value)) return decodeProtobuf(value, opts);
  const text = Buffer.from(value.buffer, value.byteOffset, value.length).toString("utf8");
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{")) {
    try {
      const parsed = parseJsonText(text);
      if (isJsonObject(parsed)) return objectResult("json", parsed, opts);
    } catch (err) {
      return { format: "text", text, error: `not valid JSON: ${(err as Error).message}` };
    }
  }
  if (!text.includes("\uFFFD") && /^(apiVersion|kind):/m.test(text)) {
    try {
      const parsed = parseYaml(text, { intAsBigInt: true }) as unknown;
      if (isJsonObject(parsed)) return objectResult("yaml", normalizeYaml(parsed) as JsonObject, opts);
    } catch {
      // falls through to text
    }
  }
  if (text.includes("\uFFFD")) {
    const wire = parseWire(value);
    return wire
      ? { format: "binary", wire, error: "not a Kubernetes value" }
      : { format: "binary", text: Buffer.from(value).toString("base64"), error: "not a Kubernetes value" };
  }
  return { format: "text", text, error: "not a Kubernetes object" };
}

function decodeProtobuf(value: Uint8Array, opts: DecodeOptions): DecodedValue {
  let env: ReturnType<typeof parseEnvelope>;
  let note: string | undefined;
  try {
    env = parseEnvelope(value);
  } catch (err) {
    // `etcdctl get --print-value-only > file` adds a newline: accept a value with one.
    if (value[value.length - 1] !== 0x0a)
      return badProtobuf(value, `malformed envelope: ${(err as Error).message}`);
    try {
      env = parseEnvelope(value.subarray(0, value.length - 1));
      note = "ignored a trailing newline after the value";
    } catch {
      return badProtobuf(value, `malformed envelope: ${(err as Error).message}`);
    }
  }
  const base = { format: "protobuf" as const, apiVersion: env.apiVersion, kind: env.kind };
  if (env.contentEncoding !== "") {
    return {
      ...base,
      wire: parseWire(env.raw) ?? [],
      error: `unsupported content encoding ${env.contentEncoding}`,
    };
  }
  const def = messageOf(schema(), env.apiVersion, env.kind);
  if (!def) {
    return { ...base, wire: parseWire(env.raw) ?? [], error: `unknown kind ${env.apiVersion}/${env.kind}` };
  }
  try {
    const dec = protoDecoder();
    const body = dec.decode(def, env.raw);
    const object: JsonObject = { apiVersion: env.apiVersion, kind: env.kind, ...body };
    const result = objectResult("protobuf", object, opts);
    if (note) result.error = note;
    if (dec.sawUnknown) result.unknownFields = findUnknownFields(object);
    return result;
  } catch (err) {
    return {
      ...base,
      wire: parseWire(env.raw) ?? [],
      error: `does not fit the schema: ${(err as Error).message}`,
    };
  }
}

function badProtobuf(value: Uint8Array, error: string): DecodedValue {
  const wire = parseWire(value.subarray(4));
  return wire
    ? { format: "protobuf", wire, error }
    : { format: "binary", text: Buffer.from(value).toString("base64"), error };
}

function objectResult(format: ValueFormat, object: JsonObject, opts: DecodeOptions): DecodedValue {
  if (opts.modRevision !== undefined) setResourceVersion(object, String(opts.modRevision));
  const result: DecodedValue = { format, object };
  if (typeof object.apiVersion === "string") result.apiVersion = object.apiVersion;
  if (typeof object.kind === "string") result.kind = object.kind;
  return result;
}

let metaOrder: string[] | undefined;

/** ObjectMeta's JSON keys in kubectl's order, to put resourceVersion where kubectl shows it. */
function objectMetaOrder(): string[] {
  metaOrder ??= schema()
    .mustMessage("k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta")
    .fields.map((f) => f.json);
  return metaOrder;
}

/** Sets metadata.resourceVersion (the key's mod_revision), keeping kubectl's key order. */
export function setResourceVersion(object: JsonObject, resourceVersion: string): void {
  const meta = object.metadata;
  if (!isJsonObject(meta)) return;
  const ordered: JsonObject = {};
  for (const k of objectMetaOrder()) {
    if (k === "resourceVersion") ordered[k] = resourceVersion;
    else if (Object.hasOwn(meta, k)) ordered[k] = meta[k]!;
  }
  for (const [k, v] of Object.entries(meta)) if (!Object.hasOwn(ordered, k)) ordered[k] = v;
  const unknown = (meta as { [UNKNOWN_FIELDS]?: UnknownField[] })[UNKNOWN_FIELDS];
  if (unknown) (ordered as { [UNKNOWN_FIELDS]?: UnknownField[] })[UNKNOWN_FIELDS] = unknown;
  object.metadata = ordered;
}

/** The object as stored: without metadata.resourceVersion (the key's mod_revision, never stored). */
export function withoutResourceVersion(object: JsonObject): JsonObject {
  const meta = object.metadata;
  if (!isJsonObject(meta) || !Object.hasOwn(meta, "resourceVersion")) return object;
  // Object rest keeps symbol keys too, so fields unknown to the schema survive.
  const { resourceVersion: _dropped, ...rest } = meta;
  return { ...object, metadata: rest };
}

/** YAML's own scalars (dates, small bigints) back to JSON data. */
function normalizeYaml(value: unknown): unknown {
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalizeYaml);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalizeYaml(v);
    return out;
  }
  return value;
}
