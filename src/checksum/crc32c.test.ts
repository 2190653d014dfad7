import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Crc32c, crc32c } from "./crc32c.js";

/** Bit-at-a-time CRC-32C: slow, obviously right, the reference for the table version. */
function naiveCrc32c(data: Uint8Array, prev = 0): number {
  let crc = ~prev >>> 0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

test("crc32c - known vectors (RFC 3720 B.4 and the check value)", () => {
  const ascending = Uint8Array.from({ length: 32 }, (_, i) => i);
  const descending = Uint8Array.from({ length: 32 }, (_, i) => 31 - i);
  assert.equal(crc32c(Buffer.from("123456789")), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(ascending), 0x46dd794e);
  assert.equal(crc32c(descending), 0x113fdb5c);
  assert.equal(crc32c(new Uint8Array(0)), 0);
  assert.equal(crc32c(new Uint8Array(0), 0x1234abcd), 0x1234abcd);
});

test("crc32c - matches the bitwise reference on any input and any start value", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat({ max: 0xffffffff }), (data, prev) => {
      assert.equal(crc32c(data, prev), naiveCrc32c(data, prev));
    }),
  );
});

test("crc32c - chaining equals the checksum of the concatenation", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 100 }), (a, b) => {
      assert.equal(crc32c(b, crc32c(a)), crc32c(Buffer.concat([a, b])));
    }),
  );
});

test("crc32c - reads a view at its own offset, not its buffer's start", () => {
  const whole = Buffer.from("xx123456789yy");
  assert.equal(crc32c(whole.subarray(2, 11)), 0xe3069283);
});

test("crc32c - the incremental form equals one pass at any split", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(), (bytes, cut) => {
      const at = bytes.length === 0 ? 0 : cut % (bytes.length + 1);
      const parts = new Crc32c().update(bytes.subarray(0, at)).update(bytes.subarray(at)).digest();
      assert.equal(parts, crc32c(bytes));
    }),
  );
});
