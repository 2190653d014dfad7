// HPACK's static Huffman code (RFC 7541 Appendix B) and a decoder for it.
//
// The code is canonical: sorting the symbols by (code length, symbol) and counting upwards
// gives every code, so the table below holds only the lengths in bits. Decoding walks the
// code tree four bits at a time through a transition table built once at load.

/** Code length in bits of symbols 0..255 and of EOS (256), from RFC 7541 Appendix B. */
// biome-ignore format: one row per sixteen symbols, as in the RFC's order
const CODE_LENGTHS: readonly number[] = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
  28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
  5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
  6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
  24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
  21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
  19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
  26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
  30,
];

const EOS = 256;

/** A symbol's code: the low `bits` bits of `code`, most significant first. */
export interface HuffmanCode {
  readonly code: number;
  readonly bits: number;
}

/** The code of every symbol 0..256 (256 is EOS), derived canonically from the lengths. */
export const HUFFMAN_CODES: readonly HuffmanCode[] = (() => {
  const order = CODE_LENGTHS.map((bits, symbol) => ({ bits, symbol })).sort(
    (a, b) => a.bits - b.bits || a.symbol - b.symbol,
  );
  const codes: HuffmanCode[] = new Array(CODE_LENGTHS.length);
  let code = 0;
  let bits = order[0]!.bits;
  for (const [i, entry] of order.entries()) {
    if (i > 0) code = (code + 1) * 2 ** (entry.bits - bits);
    bits = entry.bits;
    codes[entry.symbol] = { code, bits };
  }
  return codes;
})();

// The code tree: node 0 is the root; child[2n + bit] is an inner node's index, or ~symbol
// for a leaf. 257 leaves make 256 inner nodes.
const INNER_NODES = 256;
const child = new Int32Array(INNER_NODES * 2);
(() => {
  let nodes = 1;
  for (const [symbol, { code, bits }] of HUFFMAN_CODES.entries()) {
    let node = 0;
    for (let i = bits - 1; i >= 0; i--) {
      const slot = node * 2 + (Math.floor(code / 2 ** i) & 1);
      if (i === 0) {
        child[slot] = ~symbol;
      } else {
        if (child[slot] === 0) child[slot] = nodes++;
        node = child[slot]!;
      }
    }
  }
  if (nodes !== INNER_NODES) throw new Error("HPACK Huffman code table is not a complete prefix code");
})();

// Transitions on four bits at a time. No code is shorter than five bits, so a nibble
// completes at most one symbol. NEXT is -1 where the nibble completes EOS (an error).
const NEXT = new Int16Array(INNER_NODES * 16);
const EMIT = new Int16Array(INNER_NODES * 16).fill(-1);
// A string may end in a node reached from the last symbol by at most 7 one-bits (padding).
const ACCEPTS = new Uint8Array(INNER_NODES);
(() => {
  const depth = new Int32Array(INNER_NODES);
  const allOnes = new Uint8Array(INNER_NODES);
  allOnes[0] = 1;
  // Parents have lower indexes than children (they were created first), so one pass works.
  for (let node = 0; node < INNER_NODES; node++) {
    for (const bit of [0, 1]) {
      const next = child[node * 2 + bit]!;
      if (next > 0) {
        depth[next] = depth[node]! + 1;
        allOnes[next] = allOnes[node]! & bit;
      }
    }
    ACCEPTS[node] = allOnes[node]! && depth[node]! <= 7 ? 1 : 0;
  }
  for (let state = 0; state < INNER_NODES; state++) {
    for (let nibble = 0; nibble < 16; nibble++) {
      let node = state;
      let emit = -1;
      for (let i = 3; i >= 0 && node >= 0; i--) {
        const next = child[node * 2 + ((nibble >> i) & 1)]!;
        if (next >= 0) {
          node = next;
        } else if (~next === EOS) {
          node = -1;
        } else {
          emit = ~next;
          node = 0;
        }
      }
      NEXT[state * 16 + nibble] = node;
      EMIT[state * 16 + nibble] = emit;
    }
  }
})();

/**
 * Decodes the Huffman-coded octets src[start, end); undefined if they contain EOS or end in
 * anything but a short run of one-bits (RFC 7541 5.2: both are decoding errors).
 */
export function huffmanDecode(src: Uint8Array, start: number, end: number): Buffer | undefined {
  // Five bits at least per symbol.
  const out = Buffer.allocUnsafe(Math.ceil(((end - start) * 8) / 5));
  let n = 0;
  let state = 0;
  for (let i = start; i < end; i++) {
    const octet = src[i]!;
    let t = state * 16 + (octet >> 4);
    let emit = EMIT[t]!;
    if (emit >= 0) out[n++] = emit;
    state = NEXT[t]!;
    if (state < 0) return undefined;
    t = state * 16 + (octet & 15);
    emit = EMIT[t]!;
    if (emit >= 0) out[n++] = emit;
    state = NEXT[t]!;
    if (state < 0) return undefined;
  }
  return ACCEPTS[state] === 1 ? out.subarray(0, n) : undefined;
}

/** Huffman-encodes octets (padding with the EOS prefix); for tests and tools. */
export function huffmanEncode(src: Uint8Array): Buffer {
  const out: number[] = [];
  let acc = 0;
  let accBits = 0;
  for (const octet of src) {
    const { code, bits } = HUFFMAN_CODES[octet]!;
    for (let i = bits - 1; i >= 0; i--) {
      acc = (acc << 1) | (Math.floor(code / 2 ** i) & 1);
      if (++accBits === 8) {
        out.push(acc);
        acc = 0;
        accBits = 0;
      }
    }
  }
  if (accBits > 0) out.push((acc << (8 - accBits)) | (0xff >> accBits));
  return Buffer.from(out);
}
