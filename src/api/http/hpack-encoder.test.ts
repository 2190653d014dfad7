import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { hex, hpackString } from "./h2-testing.js";
import { HpackDecoder } from "./hpack.js";
import { encodeHeaderBlock, type HeaderField } from "./hpack-encoder.js";

/** Decodes `block` with `decoder` into name/value pairs and their representations. */
function decode(
  block: Buffer,
  decoder = new HpackDecoder(),
): { fields: [string, string][]; representations: string[] } {
  const decoded = decoder.decode(block);
  return {
    fields: decoded.map((f) => [f.name.toString("latin1"), f.value.toString("latin1")]),
    representations: decoded.map((f) => f.representation),
  };
}

function roundTrip(fields: HeaderField[]): void {
  const { fields: back } = decode(encodeHeaderBlock(fields));
  assert.deepEqual(back, fields);
}

describe("hpack encoder", () => {
  test("hpack encoder - a full static-table match is one indexed octet", () => {
    const fields: HeaderField[] = [
      [":status", "200"],
      [":method", "POST"],
      [":status", "404"],
      ["www-authenticate", ""],
    ];
    const block = encodeHeaderBlock(fields);
    assert.deepEqual(block, hex("88 83 8d bd"));
    const { fields: back, representations } = decode(block);
    assert.deepEqual(back, fields);
    assert.deepEqual(representations, ["indexed", "indexed", "indexed", "indexed"]);
  });

  test("hpack encoder - a name in the static table with another value is a literal with an indexed name", () => {
    const block = encodeHeaderBlock([
      [":status", "201"],
      ["content-type", "application/grpc"],
    ]);
    // :status is index 8 (fits the 4-bit prefix); content-type is 31 = 15 + 16 (a continuation octet).
    assert.deepEqual(
      block,
      Buffer.concat([hex("08"), hpackString("201"), hex("0f 10"), hpackString("application/grpc")]),
    );
    const { fields, representations } = decode(block);
    assert.deepEqual(fields, [
      [":status", "201"],
      ["content-type", "application/grpc"],
    ]);
    assert.deepEqual(representations, ["without-indexing", "without-indexing"]);
  });

  test("hpack encoder - a name the static table lacks is a literal name and value", () => {
    const block = encodeHeaderBlock([
      ["grpc-status", "0"],
      ["grpc-message", ""],
    ]);
    assert.deepEqual(
      block,
      Buffer.concat([
        hex("00"),
        hpackString("grpc-status"),
        hpackString("0"),
        hex("00"),
        hpackString("grpc-message"),
        hpackString(""),
      ]),
    );
    roundTrip([
      ["grpc-status", "0"],
      ["grpc-message", ""],
    ]);
  });

  test("hpack encoder - lengths of 127 octets and more take continuation octets", () => {
    // A 7-bit prefix holds up to 126; 127 is 0x7f then 0x00; 200 is 0x7f 0x49; 300 is 0x7f 0xad 0x01.
    for (const [length, prefix] of [
      [126, "7e"],
      [127, "7f 00"],
      [200, "7f 49"],
      [300, "7f ad 01"],
      [20000, "7f a1 9b 01"],
    ] as const) {
      const value = "v".repeat(length);
      const block = encodeHeaderBlock([["x-long", value]]);
      const expected = Buffer.concat([hex("00"), hpackString("x-long"), hex(prefix), Buffer.from(value)]);
      assert.deepEqual(block, expected, `value of ${length} octets`);
      roundTrip([["x-long", value]]);
    }
    const longName = "n".repeat(150);
    roundTrip([[longName, "x"]]);
  });

  test("hpack encoder - values are latin1 octets, not UTF-8", () => {
    const block = encodeHeaderBlock([["grpc-message", "caf\u00e9"]]);
    assert.equal(block.at(-5), 4); // the value's length: four octets
    roundTrip([["grpc-message", "caf\u00e9"]]);
  });

  test("hpack encoder - a mixed header list round-trips in order, repeated names kept", () => {
    roundTrip([
      [":status", "200"],
      ["content-type", "application/grpc"],
      ["set-cookie", "a=1"],
      ["set-cookie", "b=2"],
      ["grpc-status", "0"],
      ["grpc-message", "x".repeat(500)],
      [":status", "200"],
    ]);
    assert.deepEqual(encodeHeaderBlock([]), Buffer.alloc(0));
  });

  test("hpack encoder - never adds to the dynamic table: the decoder's table stays empty", () => {
    const decoder = new HpackDecoder();
    const fields: HeaderField[] = [
      [":status", "200"],
      [":status", "418"],
      ["content-type", "application/grpc+proto"],
      ["grpc-status", "13"],
      ["grpc-message", "y".repeat(300)],
    ];
    const block = encodeHeaderBlock(fields);
    for (let i = 0; i < 3; i++) {
      const { fields: back, representations } = decode(block, decoder);
      assert.deepEqual(back, fields);
      assert.ok(representations.every((r) => r === "indexed" || r === "without-indexing"));
      assert.equal(decoder.table.length, 0);
      assert.equal(decoder.table.size, 0);
    }
    // Stateless: the same list always encodes to the same octets.
    assert.deepEqual(encodeHeaderBlock(fields), block);
  });
});
