// Encryption at rest: values stored as `k8s:enc:<provider>:v1:<keyName>:<data>`.
const PREFIX = "k8s:enc:";

export interface EncryptedPrefix {
  provider: string;
  /** "v1" or "v2" (kms). */
  version: string;
  keyName: string;
  /** Bytes after the prefix. */
  data: Uint8Array;
}

/** Recognizes the encryption-at-rest prefix; undefined for values stored in the clear. */
export function parseEncryptedPrefix(value: Uint8Array): EncryptedPrefix | undefined {
  if (value.length < PREFIX.length + 6) return undefined;
  const head = Buffer.from(value.buffer, value.byteOffset, Math.min(value.length, 512)).toString("latin1");
  const m = /^k8s:enc:([a-z0-9]+):(v\d+):([^:]*):/.exec(head);
  if (!m) return undefined;
  return { provider: m[1]!, version: m[2]!, keyName: m[3]!, data: value.subarray(m[0].length) };
}

export type DecryptResult = { ok: true; plaintext: Uint8Array } | { ok: false; error: string };

/** Something that can decrypt stored values (see EncryptionConfig). */
export interface Decryptor {
  decrypt(value: Uint8Array, key?: string | Uint8Array): DecryptResult;
}
