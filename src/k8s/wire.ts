// Protobuf wire primitives: a bounds-checked reader that never reads past its buffer and
// a growable writer. Schema-free; the schema-driven codecs sit on top.

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

/** Thrown for malformed protobuf input (truncated, overlong varint, bad wire type). */
export class WireError extends Error {
  override name = "WireError";
}

const TWO_32 = 4294967296;

/** Reads protobuf wire data; every read checks bounds and throws WireError past the end. */
export class WireReader {
  pos: number;
  /** High 32 bits of the last varint read by varint64Parts. */
  hi = 0;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** A varint's low 32 bits (unsigned); the high 32 bits are left in `hi`. */
  varint64Parts(): number {
    const buf = this.buf;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    let i = 0;
    for (; i < 10; i++) {
      if (this.pos >= this.end) throw new WireError("truncated varint");
      const b = buf[this.pos++]!;
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (shift - 32);
      shift += 7;
      if (b < 0x80) break;
    }
    if (i === 10) throw new WireError("varint longer than 10 bytes");
    this.hi = hi;
    return lo >>> 0;
  }

  /** A varint as an unsigned number (tags, lengths); throws beyond 2^32. */
  uint32(): number {
    const lo = this.varint64Parts();
    if (this.hi !== 0) throw new WireError("varint too large for a length or tag");
    return lo;
  }

  /** An int64/uint64 varint: a number when exact, otherwise a bigint. */
  int64(signed = true): number | bigint {
    const lo = this.varint64Parts();
    const hi = signed ? this.hi | 0 : this.hi >>> 0;
    const value = hi * TWO_32 + lo;
    if (Number.isSafeInteger(value)) return value;
    const big = (BigInt(this.hi >>> 0) << 32n) | BigInt(lo);
    return signed ? BigInt.asIntN(64, big) : big;
  }

  int32(): number {
    return this.varint64Parts() | 0;
  }

  bool(): boolean {
    const lo = this.varint64Parts();
    return lo !== 0 || this.hi !== 0;
  }

  /** A length-delimited field's bytes as a view into the buffer. */
  bytes(): Uint8Array {
    const len = this.uint32();
    if (len > this.end - this.pos) throw new WireError("truncated length-delimited field");
    const start = this.pos;
    this.pos += len;
    return this.buf.subarray(start, this.pos);
  }

  /** A length-delimited field as UTF-8 text, without an intermediate view. */
  string(): string {
    const len = this.uint32();
    if (len > this.end - this.pos) throw new WireError("truncated length-delimited field");
    const start = this.pos;
    this.pos += len;
    return utf8(this.buf, start, this.pos);
  }

  fixed32(): number {
    if (this.end - this.pos < 4) throw new WireError("truncated fixed32");
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  fixed64(): bigint {
    const lo = this.fixed32();
    const hi = this.fixed32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** Skips a field's value of the given wire type. */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint64Parts();
        return;
      case WIRE_FIXED64:
        if (this.end - this.pos < 8) throw new WireError("truncated fixed64");
        this.pos += 8;
        return;
      case WIRE_BYTES:
        this.bytes();
        return;
      case WIRE_FIXED32:
        if (this.end - this.pos < 4) throw new WireError("truncated fixed32");
        this.pos += 4;
        return;
      default:
        throw new WireError(`unsupported wire type ${wireType}`);
    }
  }
}

/**
 * UTF-8 text of buf[start, end). Short ASCII strings (most of Kubernetes' keys and
 * values) are built directly, which is much cheaper than a decoder call; the rest go
 * through Buffer's decoder (invalid sequences become U+FFFD, as Go's JSON output does).
 */
export function utf8(buf: Uint8Array, start: number, end: number): string {
  if (end - start <= 48) {
    let s = "";
    let i = start;
    for (; i < end; i++) {
      const c = buf[i]!;
      if (c >= 0x80) break;
      s += String.fromCharCode(c);
    }
    if (i === end) return s;
  }
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return b.toString("utf8", start, end);
}

/** Builds protobuf wire data; nested messages are written with fork()/join(). */
export class WireWriter {
  private buf = Buffer.allocUnsafe(256);
  private len = 0;
  private readonly marks: number[] = [];

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  /** An unsigned varint below 2^53 (tags, lengths, non-negative values). */
  uvarint(value: number): void {
    this.ensure(10);
    let v = value;
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.len++] = v;
  }

  /** Any 64-bit integer as protobuf encodes int64/int32 (negative -> ten bytes). */
  varint(value: number | bigint): void {
    if (typeof value === "number" && value >= 0) {
      this.uvarint(value);
      return;
    }
    let v = BigInt.asUintN(64, BigInt(value));
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
  }

  tag(field: number, wireType: number): void {
    this.uvarint(field * 8 + wireType);
  }

  bytes(data: Uint8Array): void {
    this.uvarint(data.length);
    this.raw(data);
  }

  string(text: string): void {
    const n = Buffer.byteLength(text);
    this.uvarint(n);
    this.ensure(n);
    this.len += this.buf.write(text, this.len, "utf8");
  }

  raw(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(value >>> 0, this.len);
    this.len += 4;
  }

  fixed64(value: bigint): void {
    this.ensure(8);
    this.buf.writeBigUInt64LE(BigInt.asUintN(64, value), this.len);
    this.len += 8;
  }

  /** Starts a length-delimited value; finish it with join(). */
  fork(): void {
    this.marks.push(this.len);
  }

  /** Ends the value begun by fork(), prefixing it with its length. */
  join(): void {
    const start = this.marks.pop();
    if (start === undefined) throw new Error("WireWriter.join without fork");
    const n = this.len - start;
    let prefix = 1;
    for (let v = n; v >= 0x80; v = Math.floor(v / 128)) prefix++;
    this.ensure(prefix);
    this.buf.copy(this.buf, start + prefix, start, this.len);
    let v = n;
    let p = start;
    while (v >= 0x80) {
      this.buf[p++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[p] = v;
    this.len += prefix;
  }

  finish(): Buffer {
    if (this.marks.length !== 0) throw new Error("WireWriter.finish with an open fork");
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}
