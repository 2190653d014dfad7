// An object (as decodeValue gives it, or as a user edited it) -> the bytes to store in
// etcd, so a broken value can be repaired: protobuf in the k8s\0 envelope, or JSON.
import { withoutResourceVersion } from "./decode.js";
import { buildEnvelope } from "./envelope.js";
import type { JsonObject } from "./json-value.js";
import { toJsonText } from "./json-value.js";
import { messageOf } from "./kinds.js";
import { EncodeError, ProtoEncoder } from "./proto-encode.js";
import { schema } from "./schema.js";

export interface EncodeOptions {
  /** "protobuf" (what the apiserver stores for built-in kinds) or "json" (custom resources). */
  format?: "protobuf" | "json";
  /**
   * Keep metadata.resourceVersion. The apiserver never stores it (it is the key's
   * mod_revision), so by default it is dropped.
   */
  keepResourceVersion?: boolean;
}

let encoder: ProtoEncoder | undefined;

/** The stored bytes for `object`; throws EncodeError when it does not fit the schema. */
export function encodeObject(object: JsonObject, opts: EncodeOptions = {}): Buffer {
  const obj = opts.keepResourceVersion ? object : withoutResourceVersion(object);
  if (opts.format === "json") return Buffer.from(`${toJsonText(obj)}\n`, "utf8");
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    throw new EncodeError("", "apiVersion and kind are required");
  }
  const def = messageOf(schema(), apiVersion, kind);
  if (!def) throw new EncodeError("", `no protobuf schema for ${apiVersion}/${kind} (store it as JSON)`);
  encoder ??= new ProtoEncoder(schema());
  const raw = encoder.encode(def, obj, ["apiVersion", "kind"]);
  return buildEnvelope(apiVersion, kind, raw);
}

export { EncodeError };
