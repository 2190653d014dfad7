import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { isAuthorityName, isValidAuthority, sanitizeAuthority } from "./authority.js";
import { AuthorityRewriter } from "./authority-rewriter.js";
import { indexed, type LiteralKind, literal, sizeUpdate } from "./h2-testing.js";
import { type DecodedField, HpackDecoder, STATIC_TABLE_LENGTH } from "./hpack.js";

type Pair = [string, string];

function pairs(fields: DecodedField[]): Pair[] {
  return fields.map((f) => [f.name.toString("latin1"), f.value.toString("latin1")]);
}

function tableOf(decoder: HpackDecoder): Pair[] {
  const out: Pair[] = [];
  for (let i = 1; i <= decoder.table.length; i++) {
    const e = decoder.table.at(i)!;
    out.push([e.name.toString("latin1"), e.value.toString("latin1")]);
  }
  return out;
}

/** What the server must see for what the client sent. */
function sanitized([name, value]: Pair): Pair {
  return isAuthorityName(Buffer.from(name))
    ? [name, sanitizeAuthority(Buffer.from(value, "latin1")).toString("latin1")]
    : [name, value];
}

/**
 * Runs blocks through a rewriter, decoding each as the client meant it and as the server
 * will see it; checks the two views agree but for sanitized values, tables included.
 */
function roundTrip(blocks: Buffer[], settingsMaxSize = 4096): { outputs: Buffer[]; originals: Pair[][] } {
  const client = new HpackDecoder(settingsMaxSize);
  const server = new HpackDecoder(settingsMaxSize);
  const rewriter = new AuthorityRewriter(settingsMaxSize);
  const outputs: Buffer[] = [];
  const originals: Pair[][] = [];
  for (const [i, block] of blocks.entries()) {
    const meant = pairs(client.decode(block));
    const result = rewriter.rewrite(block);
    const seen = pairs(server.decode(result.block));
    assert.deepEqual(seen, meant.map(sanitized), `block ${i}`);
    assert.equal(server.table.size, client.table.size, `table size after block ${i}`);
    assert.deepEqual(tableOf(server), tableOf(client).map(sanitized), `table after block ${i}`);
    for (const [name, value] of seen) {
      if (isAuthorityName(Buffer.from(name))) assert.ok(isValidAuthority(Buffer.from(value, "latin1")));
    }
    const expected = meant.filter(
      ([n, v]) => isAuthorityName(Buffer.from(n)) && !isValidAuthority(Buffer.from(v, "latin1")),
    );
    assert.deepEqual(result.originals, expected, `originals of block ${i}`);
    if (expected.length === 0) assert.equal(result.block, block, "an untouched block is passed as is");
    outputs.push(result.block);
    originals.push(result.originals as Pair[]);
  }
  return { outputs, originals };
}

const url = "http://127.0.0.1:2379";
const request = (authority: Buffer): Buffer =>
  Buffer.concat([indexed(3), indexed(6), literal(4, "/etcdserverpb.KV/Range"), authority]);

describe("authority rewriter", () => {
  test("authority rewriter - a literal :authority with a static name index, then indexed by the table", () => {
    const { outputs, originals } = roundTrip([
      request(literal(1, url, "incremental")),
      request(indexed(STATIC_TABLE_LENGTH + 1)),
    ]);
    assert.ok(outputs[0]!.includes(Buffer.from("http:__127.0.0.1:2379")));
    assert.deepEqual(originals, [[[":authority", url]], [[":authority", url]]]);
  });

  test("authority rewriter - a Huffman-coded value and a literal name of every representation", () => {
    for (const kind of ["incremental", "without-indexing", "never-indexed"] as LiteralKind[]) {
      const { outputs } = roundTrip([request(literal(":authority", url, kind, true))]);
      // The name keeps its (Huffman) octets; the value is now a plain literal.
      assert.ok(
        outputs[0]!.includes(Buffer.from([url.length, ...Buffer.from("http:__127.0.0.1:2379")])),
        kind,
      );
    }
  });

  test("authority rewriter - a name given by dynamic index", () => {
    roundTrip([
      request(literal(1, "127.0.0.1:2379", "incremental")),
      request(literal(STATIC_TABLE_LENGTH + 1, url, "never-indexed")),
      request(literal(STATIC_TABLE_LENGTH + 1, url, "incremental")), // the newest is now 62
      request(indexed(STATIC_TABLE_LENGTH + 1)),
      request(literal(STATIC_TABLE_LENGTH + 2, "ok:1")), // :authority by the older entry's name
    ]);
  });

  test("authority rewriter - host, long values, and evictions from a small table", () => {
    const long = `http://${"h".repeat(150)}:2379/`;
    roundTrip(
      [
        Buffer.concat([literal(38, url, "incremental"), literal(1, long, "incremental")]),
        indexed(STATIC_TABLE_LENGTH + 1), // the long one evicted host: 57 + 205 > 256
        Buffer.concat([literal("x-fill", "y".repeat(80), "incremental"), literal(1, url, "incremental")]),
        Buffer.concat([sizeUpdate(64), literal(1, url, "incremental"), indexed(STATIC_TABLE_LENGTH + 1)]),
      ],
      256,
    );
  });

  test("authority rewriter - valid values go through untouched", () => {
    const { originals } = roundTrip([
      request(literal(1, "localhost:2379", "incremental")),
      request(indexed(STATIC_TABLE_LENGTH + 1)),
    ]);
    assert.deepEqual(originals, [[], []]);
  });

  test("authority rewriter - any sequence of blocks keeps client and server tables in step", () => {
    const authorities = [
      "127.0.0.1:2379",
      url,
      "unix://sock",
      "http://x",
      `https://${"a".repeat(140)}:1`,
      "",
    ];
    const names: (string | number)[] = [1, 38, ":authority", "host", 31, "x-meta", "content-type"];
    const field = fc.record({
      indexedRef: fc.boolean(),
      seed: fc.nat(),
      name: fc.constantFrom(...names),
      dynamicName: fc.boolean(),
      value: fc.oneof(fc.constantFrom(...authorities), fc.string({ maxLength: 40 })),
      kind: fc.constantFrom<LiteralKind>("incremental", "without-indexing", "never-indexed"),
      huffman: fc.boolean(),
    });
    const block = fc.record({
      update: fc.option(fc.constantFrom(0, 64, 200, 256), { nil: undefined }),
      fields: fc.array(field, { minLength: 1, maxLength: 6 }),
    });
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 12 }), (spec) => {
        // Build valid blocks against a model of the table, as a client's encoder would.
        const model = new HpackDecoder(256);
        const blocks: Buffer[] = [];
        for (const b of spec) {
          const parts: Buffer[] = [];
          if (b.update !== undefined) {
            parts.push(sizeUpdate(b.update));
            model.decode(parts[0]!);
          }
          for (const f of b.fields) {
            const dynamic = model.table.length;
            if (f.indexedRef && dynamic > 0) {
              parts.push(indexed(STATIC_TABLE_LENGTH + 1 + (f.seed % dynamic)));
            } else {
              const name =
                f.dynamicName && dynamic > 0 ? STATIC_TABLE_LENGTH + 1 + (f.seed % dynamic) : f.name;
              parts.push(literal(name, f.value, f.kind, f.huffman));
            }
            // Keep the model current field by field: later indexes must see earlier inserts.
            model.decode(Buffer.concat(parts.slice(-1)));
          }
          blocks.push(Buffer.concat(parts));
        }
        roundTrip(blocks, 256);
      }),
      { numRuns: 200 },
    );
  });
});
