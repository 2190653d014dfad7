// Encryption at rest as kube-apiserver does it: values stored as
// `k8s:enc:<provider>:v1:<keyName>:<data>`, with keys from its EncryptionConfiguration
// file. Layouts (k8s.io/apiserver/pkg/storage/value/encrypt):
//   aescbc    data = IV(16) || AES-CBC(plaintext, PKCS#7 padding)
//   aesgcm    data = nonce(12) || AES-GCM(plaintext) || tag(16); the etcd key is the
//             authenticated data, so decrypting needs the key the value was read from
//   secretbox data = nonce(24) || crypto_secretbox (XSalsa20-Poly1305)
//   kms       v1/v2 envelopes from an external plugin: recognized, never decrypted here
import { type CipherGCMTypes, createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { parseKey } from "./registry.js";
import { SECRETBOX_NONCE_BYTES, SECRETBOX_OVERHEAD, secretboxOpen, secretboxSeal } from "./secretbox.js";

const PREFIX = "k8s:enc:";

export interface EncryptedPrefix {
  provider: string;
  /** "v1", or "v2" for kms. */
  version: string;
  keyName: string;
  /** Bytes after the prefix. */
  data: Uint8Array;
}

/** Recognizes the encryption-at-rest prefix; undefined for values stored in the clear. */
export function parseEncryptedPrefix(value: Uint8Array): EncryptedPrefix | undefined {
  if (value.length < PREFIX.length + 6 || value[0] !== 0x6b || value[3] !== 0x3a) return undefined;
  const head = Buffer.from(value.buffer, value.byteOffset, Math.min(value.length, 512)).toString("latin1");
  const m = /^k8s:enc:([a-z0-9]+):(v\d+):([^:]*):/.exec(head);
  if (!m) return undefined;
  return { provider: m[1]!, version: m[2]!, keyName: m[3]!, data: value.subarray(m[0].length) };
}

export type DecryptResult = { ok: true; plaintext: Uint8Array } | { ok: false; error: string };

/** Something that can decrypt stored values (see EncryptionConfig). */
export interface Decryptor {
  /** `key` is the etcd key the value was read from (aesgcm's authenticated data). */
  decrypt(value: Uint8Array, key?: string | Uint8Array): DecryptResult;
}

/** A configuration file that does not say what kube-apiserver would accept. */
export class EncryptionConfigError extends Error {
  override name = "EncryptionConfigError";
}

type KeyedProvider = "aescbc" | "aesgcm" | "secretbox";
const KEYED: readonly KeyedProvider[] = ["aescbc", "aesgcm", "secretbox"];

interface ProviderConfig {
  type: KeyedProvider | "identity" | "kms";
  keys: { name: string; secret: Buffer }[];
  /** kms plugin name. */
  name?: string;
}

interface ResourceEntry {
  resources: string[];
  providers: ProviderConfig[];
}

/** The keys of an EncryptionConfiguration (apiserver.config.k8s.io/v1), to decrypt and encrypt. */
export class EncryptionConfig implements Decryptor {
  private constructor(private readonly entries: ResourceEntry[]) {}

  static fromFile(path: string): EncryptionConfig {
    return EncryptionConfig.fromYaml(readFileSync(path, "utf8"));
  }

  /** Parses the YAML (or JSON) text of an EncryptionConfiguration. */
  static fromYaml(text: string): EncryptionConfig {
    const doc = parseYaml(text) as unknown;
    if (!isRecord(doc)) throw new EncryptionConfigError("not an EncryptionConfiguration");
    if (doc.kind !== undefined && doc.kind !== "EncryptionConfiguration") {
      throw new EncryptionConfigError(`kind is ${String(doc.kind)}, expected EncryptionConfiguration`);
    }
    if (!Array.isArray(doc.resources)) throw new EncryptionConfigError("resources: expected a list");
    const entries = doc.resources.map((r: unknown, i: number) => parseEntry(r, `resources[${i}]`));
    return new EncryptionConfig(entries);
  }

  decrypt(value: Uint8Array, key?: string | Uint8Array): DecryptResult {
    const prefix = parseEncryptedPrefix(value);
    if (!prefix) return { ok: true, plaintext: value };
    if (prefix.provider === "kms") {
      return {
        ok: false,
        error: `encrypted by KMS ${prefix.version} plugin ${prefix.keyName}: only the plugin can decrypt it`,
      };
    }
    if (!(KEYED as readonly string[]).includes(prefix.provider)) {
      return { ok: false, error: `unknown encryption provider ${prefix.provider}` };
    }
    const type = prefix.provider as KeyedProvider;
    const head = `${PREFIX}${type}:v1:`;
    const text = Buffer.from(value.buffer, value.byteOffset, Math.min(value.length, 1024)).toString("latin1");
    let lastError = `no ${type} key named "${prefix.keyName}" in the encryption configuration`;
    for (const entry of this.entries) {
      for (const p of entry.providers) {
        if (p.type !== type) continue;
        for (const k of p.keys) {
          const full = `${head}${k.name}:`;
          if (!text.startsWith(full)) continue;
          const data = value.subarray(full.length);
          const result = decryptWith(type, k.secret, data, key);
          // AES-CBC has no authentication: a wrong key passes the padding check 1 time in
          // 256 and gives noise, so only a plaintext that looks like a stored value counts.
          if (result.ok && plausible(result.plaintext)) return result;
          lastError = result.ok
            ? `${type}: key ${k.name} gives no Kubernetes value (wrong key?)`
            : result.error;
        }
      }
    }
    return { ok: false, error: lastError };
  }

  /**
   * Encrypts a value to store under `etcdKey` as the apiserver would: with the first
   * provider of the first entry that covers the key's resource (identity: unchanged).
   */
  encrypt(plaintext: Uint8Array, etcdKey: string): Buffer {
    const parsed = parseKey(etcdKey);
    const resource = parsed?.resource.resource ?? "";
    const group = parsed?.resource.group ?? "";
    const entry = this.entries.find((e) => e.resources.some((r) => coversResource(r, resource, group)));
    const provider = entry?.providers[0];
    if (!provider || provider.type === "identity") return Buffer.from(plaintext);
    if (provider.type === "kms") throw new EncryptionConfigError("cannot encrypt with a KMS plugin");
    const k = provider.keys[0]!;
    const prefix = Buffer.from(`${PREFIX}${provider.type}:v1:${k.name}:`, "latin1");
    return Buffer.concat([prefix, encryptWith(provider.type, k.secret, plaintext, etcdKey)]);
  }
}

/** Whether decrypted bytes look like a stored value: protobuf envelope, JSON or text. */
function plausible(p: Uint8Array): boolean {
  if (p.length >= 4 && p[0] === 0x6b && p[1] === 0x38 && p[2] === 0x73 && p[3] === 0x00) return true;
  const text = Buffer.from(p.buffer, p.byteOffset, p.length).toString("utf8");
  return !text.includes("\uFFFD");
}

function coversResource(pattern: string, resource: string, group: string): boolean {
  if (pattern === "*.*") return true;
  if (pattern === "*.") return group === "";
  if (pattern.startsWith("*.")) return pattern.slice(2) === group;
  return group === ""
    ? pattern === resource || pattern === `${resource}.`
    : pattern === `${resource}.${group}`;
}

function decryptWith(
  type: KeyedProvider,
  secret: Buffer,
  data: Uint8Array,
  key?: string | Uint8Array,
): DecryptResult {
  try {
    switch (type) {
      case "aescbc": {
        if (data.length < 32 || data.length % 16 !== 0) {
          return { ok: false, error: "aescbc: the stored data is not a multiple of the block size" };
        }
        const d = createDecipheriv(`aes-${secret.length * 8}-cbc`, secret, data.subarray(0, 16));
        return { ok: true, plaintext: Buffer.concat([d.update(data.subarray(16)), d.final()]) };
      }
      case "aesgcm": {
        if (data.length < 12 + 16) return { ok: false, error: "aesgcm: the stored data is too short" };
        if (key === undefined)
          return { ok: false, error: "aesgcm: decrypting needs the etcd key (authenticated data)" };
        const d = createDecipheriv(gcm(secret), secret, data.subarray(0, 12));
        d.setAAD(typeof key === "string" ? Buffer.from(key, "utf8") : key);
        d.setAuthTag(data.subarray(data.length - 16));
        return {
          ok: true,
          plaintext: Buffer.concat([d.update(data.subarray(12, data.length - 16)), d.final()]),
        };
      }
      case "secretbox": {
        if (data.length < SECRETBOX_NONCE_BYTES + SECRETBOX_OVERHEAD) {
          return { ok: false, error: "secretbox: the stored data was shorter than the required size" };
        }
        const opened = secretboxOpen(
          data.subarray(SECRETBOX_NONCE_BYTES),
          data.subarray(0, SECRETBOX_NONCE_BYTES),
          secret,
        );
        return opened
          ? { ok: true, plaintext: opened }
          : { ok: false, error: "secretbox: wrong key or damaged value" };
      }
    }
  } catch (err) {
    return { ok: false, error: `${type}: wrong key or damaged value (${(err as Error).message})` };
  }
}

function encryptWith(type: KeyedProvider, secret: Buffer, plaintext: Uint8Array, etcdKey: string): Buffer {
  switch (type) {
    case "aescbc": {
      const iv = randomBytes(16);
      const c = createCipheriv(`aes-${secret.length * 8}-cbc`, secret, iv);
      return Buffer.concat([iv, c.update(plaintext), c.final()]);
    }
    case "aesgcm": {
      const nonce = randomBytes(12);
      const c = createCipheriv(gcm(secret), secret, nonce);
      c.setAAD(Buffer.from(etcdKey, "utf8"));
      const body = Buffer.concat([c.update(plaintext), c.final()]);
      return Buffer.concat([nonce, body, c.getAuthTag()]);
    }
    case "secretbox": {
      const nonce = randomBytes(SECRETBOX_NONCE_BYTES);
      return Buffer.concat([nonce, secretboxSeal(plaintext, nonce, secret)]);
    }
  }
}

function gcm(secret: Buffer): CipherGCMTypes {
  return `aes-${secret.length * 8}-gcm` as CipherGCMTypes;
}

function parseEntry(raw: unknown, path: string): ResourceEntry {
  if (!isRecord(raw)) throw new EncryptionConfigError(`${path}: expected an object`);
  const resources = Array.isArray(raw.resources) ? raw.resources.map(String) : [];
  if (!Array.isArray(raw.providers) || raw.providers.length === 0) {
    throw new EncryptionConfigError(`${path}.providers: expected a non-empty list`);
  }
  const providers = raw.providers.map((p: unknown, i: number) => parseProvider(p, `${path}.providers[${i}]`));
  return { resources, providers };
}

function parseProvider(raw: unknown, path: string): ProviderConfig {
  if (!isRecord(raw)) throw new EncryptionConfigError(`${path}: expected an object`);
  const kinds = Object.keys(raw);
  if (kinds.length !== 1) throw new EncryptionConfigError(`${path}: expected exactly one provider`);
  const type = kinds[0]!;
  const body = raw[type];
  if (type === "identity") return { type, keys: [] };
  if (type === "kms") return { type, keys: [], name: isRecord(body) ? String(body.name ?? "") : "" };
  if (!(KEYED as readonly string[]).includes(type))
    throw new EncryptionConfigError(`${path}: unknown provider ${type}`);
  if (!isRecord(body) || !Array.isArray(body.keys) || body.keys.length === 0) {
    throw new EncryptionConfigError(`${path}.${type}.keys: expected a non-empty list`);
  }
  const keys = body.keys.map((k: unknown, i: number) => {
    const kp = `${path}.${type}.keys[${i}]`;
    if (!isRecord(k) || typeof k.name !== "string" || k.name === "" || typeof k.secret !== "string") {
      throw new EncryptionConfigError(`${kp}: needs a name and a base64 secret`);
    }
    const secret = Buffer.from(k.secret, "base64");
    const sizes = type === "secretbox" ? [32] : [16, 24, 32];
    if (!sizes.includes(secret.length)) {
      throw new EncryptionConfigError(
        `${kp}: a ${type} key must be ${sizes.join(", ")} bytes, not ${secret.length}`,
      );
    }
    return { name: k.name, secret };
  });
  return { type: type as KeyedProvider, keys };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
