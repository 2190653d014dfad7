import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { hex, hpackString, indexed, literal, sizeUpdate } from "./h2-testing.js";
import { HpackDecoder, HpackError } from "./hpack.js";

type Pairs = [string, string][];

interface Step {
  block: string;
  headers: Pairs;
  /** The dynamic table after the block, newest first, and its size. */
  table: Pairs;
  size: number;
}

function pairs(fields: { name: Buffer; value: Buffer }[]): Pairs {
  return fields.map((f) => [f.name.toString("latin1"), f.value.toString("latin1")]);
}

function tableOf(decoder: HpackDecoder): Pairs {
  const out: Pairs = [];
  for (let i = 1; i <= decoder.table.length; i++) {
    const entry = decoder.table.at(i)!;
    out.push([entry.name.toString(), entry.value.toString()]);
  }
  return out;
}

function series(maxSize: number, steps: Step[]): void {
  const decoder = new HpackDecoder(maxSize);
  for (const [i, step] of steps.entries()) {
    assert.deepEqual(pairs(decoder.decode(hex(step.block))), step.headers, `block ${i}`);
    assert.deepEqual(tableOf(decoder), step.table, `table after block ${i}`);
    assert.equal(decoder.table.size, step.size, `table size after block ${i}`);
  }
}

const requests = {
  first: [
    [":method", "GET"],
    [":scheme", "http"],
    [":path", "/"],
    [":authority", "www.example.com"],
  ] as Pairs,
  second: [
    [":method", "GET"],
    [":scheme", "http"],
    [":path", "/"],
    [":authority", "www.example.com"],
    ["cache-control", "no-cache"],
  ] as Pairs,
  third: [
    [":method", "GET"],
    [":scheme", "https"],
    [":path", "/index.html"],
    [":authority", "www.example.com"],
    ["custom-key", "custom-value"],
  ] as Pairs,
};
const requestTables = {
  first: [[":authority", "www.example.com"]] as Pairs,
  second: [
    ["cache-control", "no-cache"],
    [":authority", "www.example.com"],
  ] as Pairs,
  third: [
    ["custom-key", "custom-value"],
    ["cache-control", "no-cache"],
    [":authority", "www.example.com"],
  ] as Pairs,
};

const date21 = "Mon, 21 Oct 2013 20:13:21 GMT";
const date22 = "Mon, 21 Oct 2013 20:13:22 GMT";
const cookie = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";
const responses = {
  first: [
    [":status", "302"],
    ["cache-control", "private"],
    ["date", date21],
    ["location", "https://www.example.com"],
  ] as Pairs,
  second: [
    [":status", "307"],
    ["cache-control", "private"],
    ["date", date21],
    ["location", "https://www.example.com"],
  ] as Pairs,
  third: [
    [":status", "200"],
    ["cache-control", "private"],
    ["date", date22],
    ["location", "https://www.example.com"],
    ["content-encoding", "gzip"],
    ["set-cookie", cookie],
  ] as Pairs,
};
// With a 256-octet table, the second and third responses evict older entries.
const responseTables = {
  first: [
    ["location", "https://www.example.com"],
    ["date", date21],
    ["cache-control", "private"],
    [":status", "302"],
  ] as Pairs,
  second: [
    [":status", "307"],
    ["location", "https://www.example.com"],
    ["date", date21],
    ["cache-control", "private"],
  ] as Pairs,
  third: [
    ["set-cookie", cookie],
    ["content-encoding", "gzip"],
    ["date", date22],
  ] as Pairs,
};

describe("hpack decoder", () => {
  test("hpack - RFC 7541 C.3: requests without Huffman coding", () => {
    series(4096, [
      {
        block: "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
        headers: requests.first,
        table: requestTables.first,
        size: 57,
      },
      {
        block: "8286 84be 5808 6e6f 2d63 6163 6865",
        headers: requests.second,
        table: requestTables.second,
        size: 110,
      },
      {
        block: "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
        headers: requests.third,
        table: requestTables.third,
        size: 164,
      },
    ]);
  });

  test("hpack - RFC 7541 C.4: requests with Huffman coding", () => {
    series(4096, [
      {
        block: "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
        headers: requests.first,
        table: requestTables.first,
        size: 57,
      },
      {
        block: "8286 84be 5886 a8eb 1064 9cbf",
        headers: requests.second,
        table: requestTables.second,
        size: 110,
      },
      {
        block: "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
        headers: requests.third,
        table: requestTables.third,
        size: 164,
      },
    ]);
  });

  test("hpack - RFC 7541 C.5: responses without Huffman coding, with evictions", () => {
    series(256, [
      {
        block: `4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133
                2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70
                6c65 2e63 6f6d`,
        headers: responses.first,
        table: responseTables.first,
        size: 222,
      },
      { block: "4803 3330 37c1 c0bf", headers: responses.second, table: responseTables.second, size: 222 },
      {
        block: `88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d
                54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049
                5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e
                3d31`,
        headers: responses.third,
        table: responseTables.third,
        size: 215,
      },
    ]);
  });

  test("hpack - RFC 7541 C.6: responses with Huffman coding, with evictions", () => {
    series(256, [
      {
        block: `4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6
                2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3`,
        headers: responses.first,
        table: responseTables.first,
        size: 222,
      },
      { block: "4883 640e ffc1 c0bf", headers: responses.second, table: responseTables.second, size: 222 },
      {
        block: `88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab
                77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
                9587 3160 65c0 03ed 4ee5 b106 3d50 07`,
        headers: responses.third,
        table: responseTables.third,
        size: 215,
      },
    ]);
  });

  test("hpack - fields report their representation and where their value starts", () => {
    const block = Buffer.concat([
      indexed(2),
      literal(1, "a:1", "incremental"),
      literal("x-k", "v", "never-indexed"),
      literal(62, "b:2"),
    ]);
    const fields = new HpackDecoder().decode(block);
    assert.deepEqual(
      fields.map((f) => [f.representation, f.name.toString(), f.value.toString()]),
      [
        ["indexed", ":method", "GET"],
        ["incremental", ":authority", "a:1"],
        ["never-indexed", "x-k", "v"],
        ["without-indexing", ":authority", "b:2"],
      ],
    );
    // Each field spans its own octets; a literal's value literal sits at valueStart.
    let at = 0;
    for (const f of fields) {
      assert.equal(f.start, at);
      at = f.end;
      if (f.representation === "indexed") assert.equal(f.valueStart, f.end);
      else assert.deepEqual(block.subarray(f.valueStart, f.end), hpackString(f.value));
    }
    assert.equal(fields[3]!.end, block.length);
  });

  test("hpack - a size update evicts and bounds later insertions", () => {
    const decoder = new HpackDecoder(4096);
    decoder.decode(Buffer.concat([literal("aa", "1", "incremental"), literal("bb", "2", "incremental")]));
    assert.equal(decoder.table.size, 70);
    decoder.decode(Buffer.concat([sizeUpdate(40), indexed(62)]));
    assert.deepEqual(tableOf(decoder), [["bb", "2"]]);
    // An entry larger than the table empties it.
    decoder.decode(literal("cc", "x".repeat(10), "incremental"));
    assert.equal(decoder.table.length, 0);
    assert.equal(decoder.table.size, 0);
  });

  test("hpack - malformed blocks are HpackErrors", () => {
    const bad: [string, Buffer][] = [
      ["index 0", indexed(0)],
      ["index past the tables", indexed(62)],
      ["truncated integer", Buffer.from([0xff])],
      ["truncated string", Buffer.concat([literal("name", "value").subarray(0, 8)])],
      ["size update above the limit", sizeUpdate(4097)],
      ["size update after a field", Buffer.concat([indexed(2), sizeUpdate(0)])],
      ["bad Huffman padding", Buffer.from([0x00, 0x81, 0x61, 0x81, 0x00])],
      ["integer overflow", Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])],
    ];
    for (const [what, block] of bad) assert.throws(() => new HpackDecoder().decode(block), HpackError, what);
  });
});
