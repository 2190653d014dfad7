import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { decodeValue } from "./decode.js";
import { EncryptionConfig, EncryptionConfigError, parseEncryptedPrefix } from "./encryption.js";

const pod = readFileSync(new URL("../../src/k8s/testdata/storage-pod.bin", import.meta.url));
const KEY = "/registry/secrets/default/db-password";

const b64 = (n: number, seed: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff)).toString("base64");

const CONFIG = `
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - aescbc:
          keys:
            - name: key1
              secret: ${b64(32, 1)}
            - name: old:key
              secret: ${b64(16, 2)}
      - aesgcm:
          keys:
            - name: gcm1
              secret: ${b64(32, 3)}
      - secretbox:
          keys:
            - name: box1
              secret: ${b64(32, 4)}
      - identity: {}
  - resources: [configmaps]
    providers:
      - secretbox:
          keys:
            - name: box2
              secret: ${b64(32, 5)}
  - resources: ["*.*"]
    providers:
      - identity: {}
`;

/** A config whose first provider for secrets is the given one (the one the apiserver writes with). */
function configWritingWith(provider: "aescbc" | "aesgcm" | "secretbox"): EncryptionConfig {
  const secret = b64(32, 7);
  return EncryptionConfig.fromYaml(`
kind: EncryptionConfiguration
apiVersion: apiserver.config.k8s.io/v1
resources:
  - resources: [secrets]
    providers:
      - ${provider}:
          keys: [{name: k, secret: ${secret}}]
`);
}

describe("k8s encryption", () => {
  for (const provider of ["aescbc", "aesgcm", "secretbox"] as const) {
    it(`k8s encryption - ${provider}: encrypt then decode gives the object back, labelled`, () => {
      const config = configWritingWith(provider);
      const stored = config.encrypt(pod, KEY);
      assert.ok(stored.toString("latin1").startsWith(`k8s:enc:${provider}:v1:k:`));
      assert.equal(stored.includes(Buffer.from("pi-dqtsw")), false, "plaintext must not show");

      const locked = decodeValue(stored, { key: KEY });
      assert.equal(locked.format, "encrypted");
      assert.deepEqual(locked.encryption, { provider, keyName: "k", decrypted: false });
      assert.equal(locked.object, undefined);

      const opened = decodeValue(stored, { key: KEY, decryptor: config });
      assert.equal(opened.format, "protobuf");
      assert.deepEqual(opened.encryption, { provider, keyName: "k", decrypted: true });
      assert.deepEqual(opened.object, decodeValue(pod).object);
    });
  }

  it("k8s encryption - the key layouts are the apiserver's (IV/nonce first, PKCS#7, tag last)", () => {
    const plain = Buffer.from("hello, etcd");
    const cbc = configWritingWith("aescbc").encrypt(plain, KEY);
    const cbcData = cbc.subarray("k8s:enc:aescbc:v1:k:".length);
    assert.equal(cbcData.length, 16 + 16); // IV + one padded block
    const gcm = configWritingWith("aesgcm").encrypt(plain, KEY);
    assert.equal(gcm.length - "k8s:enc:aesgcm:v1:k:".length, 12 + plain.length + 16);
    const box = configWritingWith("secretbox").encrypt(plain, KEY);
    assert.equal(box.length - "k8s:enc:secretbox:v1:k:".length, 24 + 16 + plain.length);
  });

  it("k8s encryption - aesgcm authenticates the etcd key: another key does not decrypt", () => {
    const config = configWritingWith("aesgcm");
    const stored = config.encrypt(pod, KEY);
    const wrong = config.decrypt(stored, "/registry/secrets/default/other");
    assert.equal(wrong.ok, false);
    const missing = config.decrypt(stored);
    assert.equal(missing.ok, false);
    assert.match(missing.ok ? "" : missing.error, /needs the etcd key/);
  });

  it("k8s encryption - keys are found by provider and name, also names with colons", () => {
    const full = EncryptionConfig.fromYaml(CONFIG);
    // What an apiserver that rotated keys wrote with its older key "old:key".
    const writer = EncryptionConfig.fromYaml(
      `resources: [{resources: [secrets], providers: [{aescbc: {keys: [{name: "old:key", secret: ${b64(16, 2)}}]}}]}]`,
    );
    const stored = writer.encrypt(pod, KEY);
    assert.ok(stored.toString("latin1").startsWith("k8s:enc:aescbc:v1:old:key:"));
    const result = full.decrypt(stored, KEY);
    assert.ok(result.ok);
    assert.deepEqual(Buffer.from(result.plaintext), pod);
    const sameNameOtherSecret = EncryptionConfig.fromYaml(
      `resources: [{resources: [secrets], providers: [{aescbc: {keys: [{name: "old:key", secret: ${b64(16, 3)}}]}}]}]`,
    );
    assert.equal(sameNameOtherSecret.decrypt(stored, KEY).ok, false);
  });

  it("k8s encryption - the first provider covering the resource is used; identity stores clear", () => {
    const config = EncryptionConfig.fromYaml(CONFIG);
    assert.match(config.encrypt(pod, KEY).toString("latin1"), /^k8s:enc:aescbc:v1:key1:/);
    assert.match(
      config.encrypt(pod, "/registry/configmaps/default/x").toString("latin1"),
      /^k8s:enc:secretbox:v1:box2:/,
    );
    assert.deepEqual(config.encrypt(pod, "/registry/pods/default/x"), pod);
  });

  it("k8s encryption - a wrong key is an error, not garbage", () => {
    const stored = configWritingWith("aescbc").encrypt(pod, KEY);
    const other = EncryptionConfig.fromYaml(
      `resources: [{resources: [secrets], providers: [{aescbc: {keys: [{name: k, secret: ${b64(32, 99)}}]}}]}]`,
    );
    const decoded = decodeValue(stored, { key: KEY, decryptor: other });
    assert.equal(decoded.format, "encrypted");
    assert.ok(decoded.error);
  });

  it("k8s encryption - KMS values are labelled, never decrypted", () => {
    const value = Buffer.concat([Buffer.from("k8s:enc:kms:v2:vault-plugin:"), Buffer.from([1, 2, 3, 4, 5])]);
    assert.deepEqual(
      { ...parseEncryptedPrefix(value), data: undefined },
      { provider: "kms", version: "v2", keyName: "vault-plugin", data: undefined },
    );
    const decoded = decodeValue(value, { decryptor: EncryptionConfig.fromYaml(CONFIG) });
    assert.equal(decoded.format, "encrypted");
    assert.match(decoded.error ?? "", /KMS v2 plugin vault-plugin/);
  });

  it("k8s encryption - bad configurations are refused with the path of the problem", () => {
    assert.throws(
      () =>
        EncryptionConfig.fromYaml(
          "resources: [{resources: [secrets], providers: [{aescbc: {keys: [{name: a, secret: AAAA}]}}]}]",
        ),
      (err: Error) =>
        err instanceof EncryptionConfigError &&
        /resources\[0\]\.providers\[0\]\.aescbc\.keys\[0\]/.test(err.message),
    );
    assert.throws(() => EncryptionConfig.fromYaml("kind: Pod"), EncryptionConfigError);
    assert.throws(
      () => EncryptionConfig.fromYaml("resources: [{providers: [{rot13: {}}]}]"),
      /unknown provider rot13/,
    );
  });
});
