import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { crc32c } from "../checksum/index.js";
import { RecordEncoder } from "./encoder.js";
import { encodeEntry, frameRecord, RecordType } from "./record.js";
import type { WalEntry } from "./types.js";

const entry = fc.record({
  term: fc.oneof(fc.nat({ max: 300 }), fc.nat({ max: Number.MAX_SAFE_INTEGER })),
  index: fc.oneof(fc.nat({ max: 300 }), fc.nat({ max: Number.MAX_SAFE_INTEGER })),
  type: fc.integer({ min: 0, max: 2 }),
  data: fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 100_000, maxLength: 300_000 })),
});

/** The reference: generated protobuf codecs, one message at a time. */
function reference(entries: readonly WalEntry[], crc: number): { bytes: Buffer; crc: number } {
  const frames: Buffer[] = [];
  let running = crc;
  for (const e of entries) {
    const data = encodeEntry(e);
    running = crc32c(data, running);
    frames.push(frameRecord(RecordType.entry, running, data));
  }
  return { bytes: Buffer.concat(frames), crc: running };
}

test("encoder - entry frames are byte-equal to the generated codecs' and chain the crc", () => {
  fc.assert(
    fc.property(fc.array(entry, { maxLength: 12 }), fc.nat({ max: 0xffffffff }), (entries, crc) => {
      const enc = new RecordEncoder(crc);
      let sizes = 0;
      for (const e of entries) sizes += enc.entry(e);
      const got = Buffer.concat(enc.take());
      const want = reference(entries, crc);
      assert.equal(got.length, sizes);
      assert.ok(got.equals(want.bytes));
      assert.equal(enc.crc, want.crc);
      assert.equal(enc.hasPending(), false);
    }),
    { numRuns: 60 },
  );
});

test("encoder - take hands out each byte once, across chunk boundaries", () => {
  const enc = new RecordEncoder(0);
  const entries = Array.from({ length: 3000 }, (_, i) => ({
    term: 1,
    index: i + 1,
    type: 0,
    data: Buffer.alloc(200, i),
  }));
  const parts: Buffer[] = [];
  for (const [i, e] of entries.entries()) {
    enc.entry(e);
    if (i % 7 === 0) enc.record(RecordType.metadata, Buffer.from("m"));
    if (i % 500 === 0) parts.push(...enc.take());
  }
  parts.push(...enc.take());
  assert.deepEqual(enc.take(), []);
  let crc = 0;
  const frames: Buffer[] = [];
  for (const [i, e] of entries.entries()) {
    const data = encodeEntry(e);
    crc = crc32c(data, crc);
    frames.push(frameRecord(RecordType.entry, crc, data));
    if (i % 7 === 0) {
      crc = crc32c(Buffer.from("m"), crc);
      frames.push(frameRecord(RecordType.metadata, crc, Buffer.from("m")));
    }
  }
  assert.ok(Buffer.concat(parts).equals(Buffer.concat(frames)));
});
