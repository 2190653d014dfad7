import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { poly1305, secretboxOpen, secretboxSeal, xsalsa20Xor } from "./secretbox.js";

const hex = (s: string) => Buffer.from(s.replace(/[\s:]/g, ""), "hex");
const fill = (n: number, f: (i: number) => number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => f(i) & 0xff));

describe("k8s secretbox", () => {
  it("k8s secretbox - Poly1305 matches RFC 8439 section 2.5.2", () => {
    const key = hex(
      "85:d6:be:78:57:55:6d:33:7f:44:52:fe:42:d5:06:a8:01:03:80:8a:fb:0d:b2:fd:4a:bf:f6:af:41:49:f5:1b",
    );
    const tag = poly1305(key, Buffer.from("Cryptographic Forum Research Group"));
    assert.equal(Buffer.from(tag).toString("hex"), "a8061dc1305136c6c22b8baf0c0127a9");
  });

  it("k8s secretbox - XSalsa20 matches x/crypto's published vectors", () => {
    const nonce = Buffer.from("24-byte nonce for xsalsa");
    const key = Buffer.from("this is 32-byte key for xsalsa20");
    assert.equal(
      Buffer.from(xsalsa20Xor(key, nonce, Buffer.from("Hello world!"))).toString("hex"),
      "002d4513843fc240c401e541",
    );
    assert.equal(
      Buffer.from(xsalsa20Xor(key, nonce, new Uint8Array(64))).toString("hex"),
      "4848297feb1fb52fb66d81609bd547fabcbe7026edc8b5e5e449d088bfa69c088f5d8da1d791267c2c195a7f8cae9c4b4050d08ce6d3a151ec265f3a58e47648",
    );
  });

  it("k8s secretbox - seal matches NaCl's C implementation (x/crypto TestSecretBox)", () => {
    const box = secretboxSeal(
      fill(64, () => 3),
      fill(24, () => 2),
      fill(32, () => 1),
    );
    assert.equal(
      Buffer.from(box).toString("hex"),
      "8442bc313f4626f1359e3b50122b6ce6fe66ddfe7d39d14e637eb4fd5b45beadab55198df6ab5368439792a23c87db70acb6156dc5ef957ac04f6276cf6093b84be77ff0849cc33e34b7254d5a8f65ad",
    );
  });

  it("k8s secretbox - seal matches Go's nacl/secretbox across block boundaries", () => {
    // Produced with golang.org/x/crypto/nacl/secretbox.Seal: key[i]=7i+3, nonce[i]=200-5i, msg[i]=13i+1.
    const key = fill(32, (i) => i * 7 + 3);
    const nonce = fill(24, (i) => 200 - i * 5);
    const vectors: [number, string][] = [
      [0, "f37096635cce1dd0e9507355020163cf"],
      [1, "813969c3c03bef0f3d48d74f1af623d2d1"],
      [16, "4f4ef1a7424deded00b2ce07455f68ead17088246776248d80672996536b4e38"],
      [
        33,
        "5fb577302a1a3d25eb685da70f9f2c39d17088246776248d80672996536b4e38a5fbf8a1af1b1eab3febfd7daa93fc0638",
      ],
      [
        65,
        "3d277d80b65b7f0cc275cc38010161f9d17088246776248d80672996536b4e38a5fbf8a1af1b1eab3febfd7daa93fc0638d1c55d869f408699e6019df2c0f9165a02e9f4e24bf102f46bd866d23ca975e3",
      ],
      [
        200,
        "3643971a95a551b31f8d532d0fc46a41d17088246776248d80672996536b4e38a5fbf8a1af1b1eab3febfd7daa93fc0638d1c55d869f408699e6019df2c0f9165a02e9f4e24bf102f46bd866d23ca975e3ed6f3d9d20c2e64eefde1e6ae3ccfa4dde2de018fea24ad4cc7c6662c17692ea3914145fbbb4e42e220df1f0b3087728091e89d60ef3e3e2a7424446e0f5d2c8fa94a8cb8650658b9ebfc0d096a8fb3bb93c1b46ef5f00affd484ea72c111c7c7233aff1546c07274e00cb0e28753219b21978b267dbccf898589f96685d1fc15ea99b14d6a47a",
      ],
    ];
    for (const [n, want] of vectors) {
      const msg = fill(n, (i) => i * 13 + 1);
      assert.equal(Buffer.from(secretboxSeal(msg, nonce, key)).toString("hex"), want, `length ${n}`);
      assert.deepEqual(Buffer.from(secretboxOpen(hex(want), nonce, key)!), msg);
    }
  });

  it("k8s secretbox - open rejects any flipped bit and the wrong key", () => {
    const key = fill(32, (i) => i);
    const nonce = fill(24, (i) => i + 100);
    const box = secretboxSeal(Buffer.from("stringData: hunter2"), nonce, key);
    for (let i = 0; i < box.length; i++) {
      const bad = Buffer.from(box);
      bad[i]! ^= 0x20;
      assert.equal(secretboxOpen(bad, nonce, key), undefined, `byte ${i}`);
    }
    assert.equal(
      secretboxOpen(
        box,
        nonce,
        fill(32, () => 9),
      ),
      undefined,
    );
  });

  it("k8s secretbox - open(seal(m)) == m for any message", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 24, maxLength: 24 }),
        (m, k, n) => {
          assert.deepEqual(Buffer.from(secretboxOpen(secretboxSeal(m, n, k), n, k)!), Buffer.from(m));
        },
      ),
      { numRuns: 50 },
    );
  });
});
