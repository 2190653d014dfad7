// NaCl's crypto_secretbox (XSalsa20 stream + Poly1305 MAC), which the apiserver's
// secretbox provider uses (golang.org/x/crypto/nacl/secretbox). Node's crypto has neither
// primitive, so both are written here from the specifications (Bernstein's Salsa20 and
// XSalsa20 papers, RFC 8439 section 2.5 for Poly1305) and checked against published
// vectors. Not constant-time beyond the tag comparison: it reads data at rest on the
// user's own machine, it is not a network service.
import { timingSafeEqual } from "node:crypto";

export const SECRETBOX_KEY_BYTES = 32;
export const SECRETBOX_NONCE_BYTES = 24;
/** Bytes the box adds to the message (the Poly1305 tag). */
export const SECRETBOX_OVERHEAD = 16;

const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]; // "expand 32-byte k"

function load32(b: Uint8Array, i: number): number {
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
}

function rotl(v: number, c: number): number {
  return ((v << c) | (v >>> (32 - c))) >>> 0;
}

/** The Salsa20 double rounds (20 rounds) applied in place to a 16-word state. */
function rounds(x: Uint32Array): void {
  for (let i = 0; i < 20; i += 2) {
    // column round
    x[4]! ^= rotl((x[0]! + x[12]!) >>> 0, 7);
    x[8]! ^= rotl((x[4]! + x[0]!) >>> 0, 9);
    x[12]! ^= rotl((x[8]! + x[4]!) >>> 0, 13);
    x[0]! ^= rotl((x[12]! + x[8]!) >>> 0, 18);
    x[9]! ^= rotl((x[5]! + x[1]!) >>> 0, 7);
    x[13]! ^= rotl((x[9]! + x[5]!) >>> 0, 9);
    x[1]! ^= rotl((x[13]! + x[9]!) >>> 0, 13);
    x[5]! ^= rotl((x[1]! + x[13]!) >>> 0, 18);
    x[14]! ^= rotl((x[10]! + x[6]!) >>> 0, 7);
    x[2]! ^= rotl((x[14]! + x[10]!) >>> 0, 9);
    x[6]! ^= rotl((x[2]! + x[14]!) >>> 0, 13);
    x[10]! ^= rotl((x[6]! + x[2]!) >>> 0, 18);
    x[3]! ^= rotl((x[15]! + x[11]!) >>> 0, 7);
    x[7]! ^= rotl((x[3]! + x[15]!) >>> 0, 9);
    x[11]! ^= rotl((x[7]! + x[3]!) >>> 0, 13);
    x[15]! ^= rotl((x[11]! + x[7]!) >>> 0, 18);
    // row round
    x[1]! ^= rotl((x[0]! + x[3]!) >>> 0, 7);
    x[2]! ^= rotl((x[1]! + x[0]!) >>> 0, 9);
    x[3]! ^= rotl((x[2]! + x[1]!) >>> 0, 13);
    x[0]! ^= rotl((x[3]! + x[2]!) >>> 0, 18);
    x[6]! ^= rotl((x[5]! + x[4]!) >>> 0, 7);
    x[7]! ^= rotl((x[6]! + x[5]!) >>> 0, 9);
    x[4]! ^= rotl((x[7]! + x[6]!) >>> 0, 13);
    x[5]! ^= rotl((x[4]! + x[7]!) >>> 0, 18);
    x[11]! ^= rotl((x[10]! + x[9]!) >>> 0, 7);
    x[8]! ^= rotl((x[11]! + x[10]!) >>> 0, 9);
    x[9]! ^= rotl((x[8]! + x[11]!) >>> 0, 13);
    x[10]! ^= rotl((x[9]! + x[8]!) >>> 0, 18);
    x[12]! ^= rotl((x[15]! + x[14]!) >>> 0, 7);
    x[13]! ^= rotl((x[12]! + x[15]!) >>> 0, 9);
    x[14]! ^= rotl((x[13]! + x[12]!) >>> 0, 13);
    x[15]! ^= rotl((x[14]! + x[13]!) >>> 0, 18);
  }
}

/** The Salsa20 input matrix for a 32-byte key and 16 bytes of nonce/counter. */
function initState(key: Uint8Array, input: Uint8Array): Uint32Array {
  const s = new Uint32Array(16);
  s[0] = SIGMA[0]!;
  s[5] = SIGMA[1]!;
  s[10] = SIGMA[2]!;
  s[15] = SIGMA[3]!;
  for (let i = 0; i < 4; i++) {
    s[1 + i] = load32(key, 4 * i);
    s[11 + i] = load32(key, 16 + 4 * i);
    s[6 + i] = load32(input, 4 * i);
  }
  return s;
}

/** HSalsa20: derives XSalsa20's subkey from the key and the nonce's first 16 bytes. */
export function hsalsa20(key: Uint8Array, nonce16: Uint8Array): Uint8Array {
  const x = initState(key, nonce16);
  rounds(x);
  const out = Buffer.alloc(32);
  [0, 5, 10, 15, 6, 7, 8, 9].forEach((w, i) => {
    out.writeUInt32LE(x[w]!, 4 * i);
  });
  return out;
}

/** XORs `data` with the XSalsa20 key stream for (key, 24-byte nonce), skipping `skip` bytes. */
export function xsalsa20Xor(key: Uint8Array, nonce: Uint8Array, data: Uint8Array, skip = 0): Uint8Array {
  const subkey = hsalsa20(key, nonce.subarray(0, 16));
  const input = new Uint8Array(16);
  input.set(nonce.subarray(16, 24), 0);
  const out = new Uint8Array(data.length);
  const block = Buffer.alloc(64);
  const x = new Uint32Array(16);
  let counter = Math.floor(skip / 64);
  let offset = skip % 64;
  let pos = 0;
  while (pos < data.length) {
    const view = new DataView(input.buffer);
    view.setUint32(8, counter >>> 0, true);
    view.setUint32(12, Math.floor(counter / 4294967296), true);
    const s = initState(subkey, input);
    x.set(s);
    rounds(x);
    for (let i = 0; i < 16; i++) block.writeUInt32LE((x[i]! + s[i]!) >>> 0, 4 * i);
    for (; offset < 64 && pos < data.length; offset++, pos++) out[pos] = data[pos]! ^ block[offset]!;
    offset = 0;
    counter++;
  }
  return out;
}

const P1305 = (1n << 130n) - 5n;

function le(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

/** The Poly1305 tag of `msg` under a one-time 32-byte key (RFC 8439 section 2.5). */
export function poly1305(key: Uint8Array, msg: Uint8Array): Uint8Array {
  const r = le(key.subarray(0, 16)) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
  const s = le(key.subarray(16, 32));
  let acc = 0n;
  for (let i = 0; i < msg.length; i += 16) {
    const chunk = msg.subarray(i, Math.min(i + 16, msg.length));
    acc = ((acc + le(chunk) + (1n << BigInt(8 * chunk.length))) * r) % P1305;
  }
  let tag = (acc + s) & ((1n << 128n) - 1n);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    out[i] = Number(tag & 0xffn);
    tag >>= 8n;
  }
  return out;
}

function check(key: Uint8Array, nonce: Uint8Array): void {
  if (key.length !== SECRETBOX_KEY_BYTES) throw new RangeError("secretbox: key must be 32 bytes");
  if (nonce.length !== SECRETBOX_NONCE_BYTES) throw new RangeError("secretbox: nonce must be 24 bytes");
}

/** crypto_secretbox: tag(16) || ciphertext. */
export function secretboxSeal(message: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  check(key, nonce);
  const polyKey = xsalsa20Xor(key, nonce, new Uint8Array(32));
  const cipher = xsalsa20Xor(key, nonce, message, 32);
  const out = new Uint8Array(SECRETBOX_OVERHEAD + cipher.length);
  out.set(poly1305(polyKey, cipher), 0);
  out.set(cipher, SECRETBOX_OVERHEAD);
  return out;
}

/** crypto_secretbox_open: the message, or undefined when the box is not authentic. */
export function secretboxOpen(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | undefined {
  check(key, nonce);
  if (box.length < SECRETBOX_OVERHEAD) return undefined;
  const polyKey = xsalsa20Xor(key, nonce, new Uint8Array(32));
  const cipher = box.subarray(SECRETBOX_OVERHEAD);
  const tag = poly1305(polyKey, cipher);
  if (!timingSafeEqual(tag, box.subarray(0, SECRETBOX_OVERHEAD))) return undefined;
  return xsalsa20Xor(key, nonce, cipher, 32);
}
