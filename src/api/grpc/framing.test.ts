import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { FrameDecoder, type FrameSink, frame } from "./framing.js";

function collector(): FrameSink & { frames: Buffer[]; tooLarge: number[] } {
  const frames: Buffer[] = [];
  const tooLarge: number[] = [];
  return {
    frames,
    tooLarge,
    onFrame: (_compressed, body) => frames.push(Buffer.from(body)),
    onFrameTooLarge: (length) => tooLarge.push(length),
  };
}

test("framing - messages survive any split of the byte stream", () => {
  fc.assert(
    fc.property(
      fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }),
      fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }),
      (messages, cuts) => {
        const wire = Buffer.concat(messages.map((m) => frame(m)));
        const sink = collector();
        const decoder = new FrameDecoder(1000);
        let pos = 0;
        for (let i = 0; pos < wire.length; i++) {
          const size = cuts[i % cuts.length]!;
          decoder.push(wire.subarray(pos, pos + size), sink);
          pos += size;
        }
        assert.deepEqual(
          sink.frames.map((f) => [...f]),
          messages.map((m) => [...m]),
        );
        assert.equal(decoder.partial, false);
      },
    ),
  );
});

test("framing - a partial message is reported, an oversized one stops decoding", () => {
  const sink = collector();
  const decoder = new FrameDecoder(4);
  decoder.push(frame(Buffer.from("abcd")).subarray(0, 7), sink);
  assert.equal(decoder.partial, true);
  const big = collector();
  const limited = new FrameDecoder(4);
  limited.push(
    Buffer.concat([frame(Buffer.from("ok")), frame(Buffer.from("toolong")), frame(Buffer.from("x"))]),
    big,
  );
  assert.deepEqual(
    big.frames.map((f) => f.toString()),
    ["ok"],
  );
  assert.deepEqual(big.tooLarge, [7]);
});

test("framing - frame() writes flag 0 and the big-endian length", () => {
  assert.deepEqual([...frame(Buffer.from([7, 8, 9]))], [0, 0, 0, 0, 3, 7, 8, 9]);
});
