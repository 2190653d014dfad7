// An HPACK decoder (RFC 7541) that, besides the header list, reports where each field sits
// in the block, so a caller can rewrite single fields and copy the rest byte for byte.
import { huffmanDecode } from "./hpack-huffman.js";

/** A header block that cannot be decoded: nghttp2 answers it with GOAWAY COMPRESSION_ERROR. */
export class HpackError extends Error {
  override name = "HpackError";
}

/** RFC 7541 Appendix A. */
// biome-ignore format: one entry per line reads like the RFC
export const STATIC_TABLE: readonly (readonly [string, string])[] = [
  [":authority", ""], [":method", "GET"], [":method", "POST"], [":path", "/"],
  [":path", "/index.html"], [":scheme", "http"], [":scheme", "https"], [":status", "200"],
  [":status", "204"], [":status", "206"], [":status", "304"], [":status", "400"],
  [":status", "404"], [":status", "500"], ["accept-charset", ""], ["accept-encoding", "gzip, deflate"],
  ["accept-language", ""], ["accept-ranges", ""], ["accept", ""], ["access-control-allow-origin", ""],
  ["age", ""], ["allow", ""], ["authorization", ""], ["cache-control", ""],
  ["content-disposition", ""], ["content-encoding", ""], ["content-language", ""], ["content-length", ""],
  ["content-location", ""], ["content-range", ""], ["content-type", ""], ["cookie", ""],
  ["date", ""], ["etag", ""], ["expect", ""], ["expires", ""],
  ["from", ""], ["host", ""], ["if-match", ""], ["if-modified-since", ""],
  ["if-none-match", ""], ["if-range", ""], ["if-unmodified-since", ""], ["last-modified", ""],
  ["link", ""], ["location", ""], ["max-forwards", ""], ["proxy-authenticate", ""],
  ["proxy-authorization", ""], ["range", ""], ["referer", ""], ["refresh", ""],
  ["retry-after", ""], ["server", ""], ["set-cookie", ""], ["strict-transport-security", ""],
  ["transfer-encoding", ""], ["user-agent", ""], ["vary", ""], ["via", ""],
  ["www-authenticate", ""],
];

export interface HeaderEntry {
  readonly name: Buffer;
  readonly value: Buffer;
}

const STATIC_ENTRIES: readonly HeaderEntry[] = STATIC_TABLE.map(([name, value]) => ({
  name: Buffer.from(name),
  value: Buffer.from(value),
}));

/** The static table's size: dynamic indexes start after it. */
export const STATIC_TABLE_LENGTH = STATIC_ENTRIES.length;

/** An entry's size as HPACK counts it (RFC 7541 4.1): decoded octets plus 32. */
export function entrySize(entry: HeaderEntry): number {
  return entry.name.length + entry.value.length + 32;
}

/** The decoder's dynamic table (RFC 7541 2.3.2, 4). */
export class DynamicTable {
  /** Oldest first. */
  readonly #entries: HeaderEntry[] = [];
  #size = 0;
  #maxSize: number;

  constructor(maxSize: number) {
    this.#maxSize = maxSize;
  }

  get size(): number {
    return this.#size;
  }

  get maxSize(): number {
    return this.#maxSize;
  }

  get length(): number {
    return this.#entries.length;
  }

  /** Entry by dynamic index, 1 being the newest; undefined out of range. */
  at(index: number): HeaderEntry | undefined {
    return this.#entries[this.#entries.length - index];
  }

  add(entry: HeaderEntry): void {
    const size = entrySize(entry);
    this.#evictTo(this.#maxSize - size);
    // An entry larger than the whole table empties it and is not added (RFC 7541 4.4).
    if (size <= this.#maxSize) {
      this.#entries.push(entry);
      this.#size += size;
    }
  }

  resize(maxSize: number): void {
    this.#maxSize = maxSize;
    this.#evictTo(maxSize);
  }

  #evictTo(limit: number): void {
    while (this.#size > Math.max(limit, 0)) {
      const oldest = this.#entries.shift();
      if (oldest === undefined) break;
      this.#size -= entrySize(oldest);
    }
  }
}

export type Representation = "indexed" | "incremental" | "without-indexing" | "never-indexed";

/** One decoded field and its place in the block. */
export interface DecodedField extends HeaderEntry {
  readonly representation: Representation;
  /** Offset of the field's first octet. */
  readonly start: number;
  /** Offset of the value's string literal (literal representations); `end` when indexed. */
  readonly valueStart: number;
  /** Offset just past the field. */
  readonly end: number;
}

/**
 * Decodes the header blocks of one direction of one connection, keeping the dynamic table
 * across blocks. `settingsMaxSize` is the SETTINGS_HEADER_TABLE_SIZE the decoding side
 * advertised: the most a table size update may ask for.
 */
export class HpackDecoder {
  readonly table: DynamicTable;
  readonly #settingsMaxSize: number;

  constructor(settingsMaxSize = 4096) {
    this.#settingsMaxSize = settingsMaxSize;
    this.table = new DynamicTable(settingsMaxSize);
  }

  /** Decodes a complete header block. Throws HpackError; the table is then unusable. */
  decode(block: Uint8Array): DecodedField[] {
    const fields: DecodedField[] = [];
    const reader = new BlockReader(block);
    while (!reader.done) {
      const start = reader.pos;
      const first = block[start]!;
      if (first & 0x80) {
        const entry = this.#entry(reader.integer(7));
        fields.push({
          name: entry.name,
          value: entry.value,
          representation: "indexed",
          start,
          valueStart: reader.pos,
          end: reader.pos,
        });
      } else if ((first & 0xe0) === 0x20) {
        // Only before the first field (RFC 7541 4.2), as nghttp2 insists.
        if (fields.length > 0) throw new HpackError("dynamic table size update after a header field");
        const size = reader.integer(5);
        if (size > this.#settingsMaxSize) throw new HpackError("dynamic table size update above the limit");
        this.table.resize(size);
      } else {
        const incremental = (first & 0xc0) === 0x40;
        const index = reader.integer(incremental ? 6 : 4);
        const name = index === 0 ? reader.string() : this.#entry(index).name;
        const valueStart = reader.pos;
        const value = reader.string();
        const representation = incremental
          ? "incremental"
          : (first & 0xf0) === 0x10
            ? "never-indexed"
            : "without-indexing";
        if (incremental) this.table.add({ name, value });
        fields.push({ name, value, representation, start, valueStart, end: reader.pos });
      }
    }
    return fields;
  }

  #entry(index: number): HeaderEntry {
    const entry =
      index === 0
        ? undefined
        : index <= STATIC_TABLE_LENGTH
          ? STATIC_ENTRIES[index - 1]
          : this.table.at(index - STATIC_TABLE_LENGTH);
    if (entry === undefined) throw new HpackError(`header index ${index} out of range`);
    return entry;
  }
}

/** Reads HPACK primitives (RFC 7541 5) from a block. */
class BlockReader {
  pos = 0;
  readonly #block: Uint8Array;

  constructor(block: Uint8Array) {
    this.#block = block;
  }

  get done(): boolean {
    return this.pos >= this.#block.length;
  }

  /** An integer with an N-bit prefix (RFC 7541 5.1), at most 2^32 - 1. */
  integer(prefixBits: number): number {
    const max = (1 << prefixBits) - 1;
    let value = this.#block[this.pos++]! & max;
    if (value < max) return value;
    for (let shift = 0; ; shift += 7) {
      if (this.pos >= this.#block.length) throw new HpackError("truncated integer");
      const octet = this.#block[this.pos++]!;
      value += (octet & 0x7f) * 2 ** shift;
      if (value > 0xffffffff) throw new HpackError("integer overflow");
      if ((octet & 0x80) === 0) return value;
    }
  }

  /** A string literal (RFC 7541 5.2), Huffman-decoded if so coded; a copy, never a view. */
  string(): Buffer {
    if (this.done) throw new HpackError("truncated string literal");
    const huffman = (this.#block[this.pos]! & 0x80) !== 0;
    const length = this.integer(7);
    const start = this.pos;
    if (length > this.#block.length - start) throw new HpackError("string literal overruns the block");
    this.pos += length;
    if (!huffman) return Buffer.from(this.#block.subarray(start, this.pos));
    const decoded = huffmanDecode(this.#block, start, this.pos);
    if (decoded === undefined) throw new HpackError("invalid Huffman-coded string");
    return decoded;
  }
}
