// The Kubernetes lens: what kube-apiserver stores in etcd, made readable and repairable.
// Decode any stored value (protobuf, JSON, YAML, encrypted at rest), render it as kubectl
// does, encode an edited object back, diff versions, map resources to keys, and the lens
// commands (ls, get, history, changes) over a small read interface any client satisfies.

// Decoding, encoding, rendering
export type { DecodedValue, DecodeOptions, EncryptionInfo, ValueFormat } from "./decode.js";
export { decodeValue, setResourceVersion, withoutResourceVersion } from "./decode.js";
export type { DiffHunk, DiffLine, ObjectDiff, PathChange } from "./diff.js";
export { changedPaths, diffObjects, formatChange, formatHunks } from "./diff.js";
export type { EncodeOptions } from "./encode.js";
export { EncodeError, encodeObject } from "./encode.js";
// Encryption at rest
export type { Decryptor, DecryptResult, EncryptedPrefix } from "./encryption.js";
export { EncryptionConfig, EncryptionConfigError, parseEncryptedPrefix } from "./encryption.js";
export { buildEnvelope, hasProtobufMagic, parseEnvelope } from "./envelope.js";
// Test data
export type { GeneratedObject } from "./generator.js";
export { GENERATED_KINDS, generateObject, generateObjects } from "./generator.js";
export type { JsonObject, JsonValue } from "./json-value.js";
export { isJsonObject, jsonEqual, parseJsonText, toJsonText } from "./json-value.js";
export { messageOf, packageOf, splitApiVersion } from "./kinds.js";
// Lens commands and their renderers
export type {
  Change,
  ChangesOptions,
  CountOptions,
  History,
  LensOptions,
  LsOptions,
  LsProgress,
  LsRow,
  StoredObject,
  Version,
} from "./lens.js";
export {
  changes,
  countByResource,
  get,
  getKey,
  history,
  ls,
  NotFoundError,
  oldestReadableRevision,
} from "./lens.js";
export type { LensFormat } from "./lens-render.js";
export { renderChange, renderHistory, renderLs, renderObject } from "./lens-render.js";
export { MemoryKv } from "./memory-kv.js";
export type { UnknownField } from "./proto-decode.js";
// The read interface the lens needs from a client
export type { KeyValue, KvReader, RangeOptions, RangeResult, WatchEvent, WatchOptions } from "./reader.js";
export {
  COMPACTED_MESSAGE,
  CompactedError,
  FUTURE_REVISION_MESSAGE,
  isCompactedError,
  prefixEnd,
} from "./reader.js";
// Registry paths
export type { ParsedKey, ResourceInfo } from "./registry.js";
export {
  builtInResources,
  DEFAULT_REGISTRY_PREFIX,
  objectKey,
  parseKey,
  resolveResource,
  resourceName,
  storagePrefix,
  UnknownResourceError,
} from "./registry.js";
export type { RenderOptions } from "./render.js";
export { renderDecoded, sortKeys, toJson, toYaml } from "./render.js";
export type { Schema } from "./schema.js";
export { schema } from "./schema.js";
export { dumpBytes, formatWire, parseWire, type WireNode } from "./wire-dump.js";
