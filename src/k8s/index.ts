// The Kubernetes lens: decoding what kube-apiserver stores in etcd.
export type { DecodedValue, DecodeOptions, EncryptionInfo, ValueFormat } from "./decode.js";
export { decodeValue } from "./decode.js";
export type { JsonObject, JsonValue } from "./json-value.js";
export { jsonEqual, toJsonText } from "./json-value.js";
