import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { crc32c } from "../checksum/index.js";
import { decodeSegment } from "./decoder.js";
import {
  decodeEntry,
  decodeHardState,
  encodeEntry,
  encodeHardState,
  encodeWalSnapshot,
  frameRecord,
  padBytesFor,
  RecordType,
  readFrameSize,
  writeFrameSize,
} from "./record.js";

test("record - length word layout matches etcd's encodeFrameSize", () => {
  const buf = Buffer.alloc(8);
  // 1 byte of record: 7 bytes of padding, flagged as 0x80|7 in the top byte.
  writeFrameSize(buf, 0, 1);
  assert.equal(buf.toString("hex"), "0100000000000087");
  writeFrameSize(buf, 0, 16);
  assert.equal(buf.toString("hex"), "1000000000000000");
  writeFrameSize(buf, 0, 0x123456789a);
  assert.equal(buf.toString("hex"), "9a78563412000086");
});

test("record - length word round-trips for any size", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), (n) => {
      const buf = Buffer.alloc(8);
      const pad = writeFrameSize(buf, 0, n);
      assert.equal(pad, padBytesFor(n));
      assert.deepEqual(readFrameSize(buf, 0), { recordBytes: n, padBytes: pad });
    }),
  );
});

test("record - frames are 8-byte aligned and padded with zeros", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (data) => {
      const frame = frameRecord(RecordType.entry, 7, data);
      assert.equal(frame.length % 8, 0);
      const { recordBytes, padBytes } = readFrameSize(frame, 0);
      assert.equal(frame.length, 8 + recordBytes + padBytes);
      assert.ok(frame.subarray(8 + recordBytes).every((b) => b === 0));
    }),
  );
});

test("record - payloads encode field for field as etcd's gogo codecs", () => {
  // raftpb.Entry: Type(1), Term(2), Index(3), Data(4) only when non-empty.
  assert.equal(
    Buffer.from(encodeEntry({ term: 1, index: 2, type: 0, data: Buffer.from("x") })).toString("hex"),
    "080010011802220178",
  );
  assert.equal(
    Buffer.from(encodeEntry({ term: 3, index: 4, type: 0, data: new Uint8Array(0) })).toString("hex"),
    "080010031804",
  );
  // raftpb.HardState: every field, vote as a full uint64.
  const hs = { term: 2, vote: 0xbac7efc361f1457en, commit: 16 };
  assert.equal(Buffer.from(encodeHardState(hs)).toString("hex"), "080210fe8ac58fb6f8fbe3ba011810");
  assert.deepEqual(decodeHardState(encodeHardState(hs)), hs);
  // walpb.Snapshot: index(1), term(2), both always present.
  assert.equal(Buffer.from(encodeWalSnapshot({ index: 0, term: 0 })).toString("hex"), "08001000");
  // The crc record etcd writes first in a fresh WAL: type 4, crc 0, no data.
  assert.equal(
    frameRecord(RecordType.crc, 0, undefined).toString("hex"),
    "0400000000000084" + "08041000" + "00000000",
  );
});

test("record - entries round-trip with any data", () => {
  fc.assert(
    fc.property(
      fc.nat({ max: 2 ** 40 }),
      fc.nat({ max: 2 ** 40 }),
      fc.integer({ min: 0, max: 2 }),
      fc.uint8Array({ maxLength: 100 }),
      (term, index, type, data) => {
        const e = decodeEntry(encodeEntry({ term, index, type, data }));
        assert.deepEqual({ ...e, data: Buffer.from(e.data) }, { term, index, type, data: Buffer.from(data) });
      },
    ),
  );
});

test("record - decodeSegment reads back a chain of frames and checks each crc", () => {
  const a = Buffer.from("first");
  const b = Buffer.from("second record");
  const crcA = crc32c(a);
  const crcB = crc32c(b, crcA);
  const seg = Buffer.concat([
    frameRecord(RecordType.crc, 0, undefined),
    frameRecord(RecordType.metadata, crcA, a),
    frameRecord(RecordType.metadata, crcB, b),
    Buffer.alloc(64),
  ]);
  const seen: string[] = [];
  const end = decodeSegment("s.wal", seg, true, 0, (r) => seen.push(Buffer.from(r.data).toString()));
  assert.deepEqual(seen, ["", "first", "second record"]);
  assert.equal(end.kind, "eof");
  assert.equal(end.crc, crcB);
  assert.equal(end.offset, seg.length - 64);
});
