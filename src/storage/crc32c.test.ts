import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Crc32c, crc32cUpdate } from "./crc32c.js";

test("crc32c - known check values", () => {
  // The standard check value of CRC-32C over "123456789", and RFC 3720's all-zero vector.
  assert.equal(crc32cUpdate(0, Buffer.from("123456789")), 0xe3069283);
  assert.equal(crc32cUpdate(0, Buffer.alloc(32)), 0x8a9136aa);
  assert.equal(crc32cUpdate(0, Buffer.alloc(0)), 0);
});

test("crc32c - incremental equals one-shot at any split", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(), (bytes, cut) => {
      const at = bytes.length === 0 ? 0 : cut % (bytes.length + 1);
      const whole = crc32cUpdate(0, bytes);
      const parts = new Crc32c().update(bytes.subarray(0, at)).update(bytes.subarray(at)).digest();
      assert.equal(parts, whole);
    }),
  );
});
