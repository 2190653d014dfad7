import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { hex } from "./h2-testing.js";
import { HUFFMAN_CODES, huffmanDecode, huffmanEncode } from "./hpack-huffman.js";

function decode(bytes: Buffer): string | undefined {
  return huffmanDecode(bytes, 0, bytes.length)?.toString("latin1");
}

// RFC 7541 C.4 and C.6: the Huffman-coded string literals of the examples.
const examples: [string, string][] = [
  ["www.example.com", "f1e3 c2e5 f23a 6ba0 ab90 f4ff"],
  ["no-cache", "a8eb 1064 9cbf"],
  ["custom-key", "25a8 49e9 5ba9 7d7f"],
  ["custom-value", "25a8 49e9 5bb8 e8b4 bf"],
  ["302", "6402"],
  ["307", "640e ff"],
  ["private", "aec3 771a 4b"],
  ["Mon, 21 Oct 2013 20:13:21 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff"],
  ["Mon, 21 Oct 2013 20:13:22 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff"],
  ["https://www.example.com", "9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3"],
  ["gzip", "9bd9 ab"],
  [
    "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
    "94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
  ],
];

describe("hpack huffman", () => {
  test("hpack huffman - the code table has RFC 7541's codes", () => {
    assert.equal(HUFFMAN_CODES.length, 257);
    assert.deepEqual(HUFFMAN_CODES[0], { code: 0x1ff8, bits: 13 });
    assert.deepEqual(HUFFMAN_CODES["0".charCodeAt(0)], { code: 0x0, bits: 5 });
    assert.deepEqual(HUFFMAN_CODES["a".charCodeAt(0)], { code: 0x3, bits: 5 });
    assert.deepEqual(HUFFMAN_CODES[":".charCodeAt(0)], { code: 0x5c, bits: 7 });
    assert.deepEqual(HUFFMAN_CODES[255], { code: 0x3ffffee, bits: 26 });
    assert.deepEqual(HUFFMAN_CODES[256], { code: 0x3fffffff, bits: 30 }); // EOS
  });

  test("hpack huffman - decodes the strings of RFC 7541 C.4 and C.6", () => {
    for (const [text, coded] of examples) assert.equal(decode(hex(coded)), text, text);
  });

  test("hpack huffman - encodes them as the RFC does", () => {
    for (const [text, coded] of examples)
      assert.deepEqual(huffmanEncode(Buffer.from(text)), hex(coded), text);
  });

  test("hpack huffman - any octets survive encoding and decoding", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const coded = huffmanEncode(bytes);
        assert.deepEqual(huffmanDecode(coded, 0, coded.length), Buffer.from(bytes));
      }),
    );
  });

  test("hpack huffman - decodes within a range of a larger buffer", () => {
    const bytes = Buffer.concat([hex("ffff"), hex("a8eb 1064 9cbf"), hex("00")]);
    assert.equal(huffmanDecode(bytes, 2, 8)?.toString(), "no-cache");
  });

  test("hpack huffman - rejects EOS, padding of zeros, and padding longer than 7 bits", () => {
    assert.equal(decode(hex("ffff ffff")), undefined); // 30 ones: EOS
    assert.equal(decode(hex("00")), undefined); // '0' then 000
    assert.equal(decode(hex("07 ff")), undefined); // '0' then eleven ones
    assert.equal(decode(hex("ff")), undefined); // eight ones
    assert.equal(decode(hex("07")), "0"); // '0' then 111: fine
    assert.equal(decode(hex("")), "");
  });
});
