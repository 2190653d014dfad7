// An HPACK encoder (RFC 7541) for response headers. It never adds to the dynamic table, so
// an encoded block means the same on every connection (blocks can be computed once and
// reused) and the peer's SETTINGS_HEADER_TABLE_SIZE never matters. Static-table matches are
// indexed; everything else is a literal without indexing, names indexed when the static
// table has them.
import { STATIC_TABLE } from "./hpack.js";

/** A header field to encode: lower-case name and value. */
export type HeaderField = readonly [name: string, value: string];

const fullIndex = new Map<string, number>();
const nameIndex = new Map<string, number>();
STATIC_TABLE.forEach(([name, value], i) => {
  const key = `${name}\0${value}`;
  if (!fullIndex.has(key)) fullIndex.set(key, i + 1);
  if (!nameIndex.has(name)) nameIndex.set(name, i + 1);
});

/** Encodes a header list as one header block. */
export function encodeHeaderBlock(fields: Iterable<HeaderField>): Buffer {
  const out: number[] = [];
  for (const [name, value] of fields) {
    const full = fullIndex.get(`${name}\0${value}`);
    if (full !== undefined) {
      writeInteger(out, 0x80, 7, full);
      continue;
    }
    const index = nameIndex.get(name);
    if (index !== undefined) {
      writeInteger(out, 0x00, 4, index);
    } else {
      out.push(0x00);
      writeString(out, name);
    }
    writeString(out, value);
  }
  return Buffer.from(out);
}

/** An integer with an N-bit prefix (RFC 7541 5.1), `first` carrying the representation's bits. */
function writeInteger(out: number[], first: number, prefixBits: number, value: number): void {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out.push(first | value);
    return;
  }
  out.push(first | max);
  let rest = value - max;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
}

/** A string literal, not Huffman-coded (RFC 7541 5.2): header values here are short. */
function writeString(out: number[], text: string): void {
  const bytes = Buffer.from(text, "latin1");
  writeInteger(out, 0x00, 7, bytes.length);
  for (const b of bytes) out.push(b);
}
