import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { utf8, WireError, WireReader, WireWriter } from "./wire.js";

describe("k8s wire", () => {
  it("k8s wire - int64 varints round-trip, negatives as ten bytes, exact beyond 2^53", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
        const w = new WireWriter();
        w.varint(v);
        const bytes = w.finish();
        if (v < 0n) assert.equal(bytes.length, 10);
        const got = new WireReader(bytes).int64();
        assert.equal(BigInt(got), v);
        assert.equal(
          typeof got,
          Number.isSafeInteger(Number(v)) && BigInt(Number(v)) === v ? "number" : "bigint",
        );
      }),
    );
  });

  it("k8s wire - int32 fields sign-extended to 64 bits read back negative", () => {
    const w = new WireWriter();
    w.varint(-5);
    assert.equal(new WireReader(w.finish()).int32(), -5);
  });

  it("k8s wire - nested lengths are written by join, for any size", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 5 }), (parts) => {
        const w = new WireWriter();
        w.fork();
        for (const p of parts) w.bytes(p);
        w.join();
        const r = new WireReader(w.finish());
        const inner = new WireReader(r.bytes());
        assert.ok(r.done);
        for (const p of parts) assert.deepEqual(Buffer.from(inner.bytes()), Buffer.from(p));
        assert.ok(inner.done);
      }),
    );
  });

  it("k8s wire - truncated and overlong input throws WireError, never reads past the end", () => {
    assert.throws(() => new WireReader(Buffer.from([0x80, 0x80])).uint32(), WireError);
    assert.throws(() => new WireReader(Buffer.alloc(11, 0xff)).int64(), WireError);
    assert.throws(() => new WireReader(Buffer.from([0x05, 0x61])).bytes(), WireError);
    assert.throws(() => new WireReader(Buffer.from([0x01, 0x02]), 0, 1).skip(1), WireError);
    assert.throws(() => new WireReader(Buffer.from([])).skip(3), WireError);
  });

  it("k8s wire - strings decode as UTF-8 on both the ASCII fast path and the general one", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), (s) => {
        const b = Buffer.from(`xx${s}`, "utf8");
        assert.equal(utf8(b, 2, b.length), s);
        assert.equal(utf8(new Uint8Array(b), 2, b.length), s);
      }),
    );
  });
});
