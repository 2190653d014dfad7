// CRC-32C (Castagnoli), the checksum etcd uses for Hash/HashKV; incremental like Go's hash.Hash32.

const TABLES = makeTables();

function makeTables(): Uint32Array[] {
  const tables: Uint32Array[] = [];
  const first = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    first[i] = c >>> 0;
  }
  tables.push(first);
  // Slicing-by-8: table t[k][i] is the CRC of byte i followed by k zero bytes.
  for (let k = 1; k < 8; k++) {
    const prev = tables[k - 1]!;
    const next = new Uint32Array(256);
    for (let i = 0; i < 256; i++) next[i] = (first[prev[i]! & 0xff]! ^ (prev[i]! >>> 8)) >>> 0;
    tables.push(next);
  }
  return tables;
}

/** Continues a CRC-32C over `data` (start from 0). */
export function crc32cUpdate(crc: number, data: Uint8Array): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES as [
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
  ];
  let c = ~crc >>> 0;
  let i = 0;
  const n = data.length;
  for (; i + 8 <= n; i += 8) {
    const a = (c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
    c =
      t7[a & 0xff]! ^
      t6[(a >>> 8) & 0xff]! ^
      t5[(a >>> 16) & 0xff]! ^
      t4[a >>> 24]! ^
      t3[data[i + 4]!]! ^
      t2[data[i + 5]!]! ^
      t1[data[i + 6]!]! ^
      t0[data[i + 7]!]!;
  }
  for (; i < n; i++) c = t0[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** An incremental CRC-32C, written to in pieces like Go's crc32.New(castagnoli). */
export class Crc32c {
  private crc = 0;
  update(data: Uint8Array): this {
    this.crc = crc32cUpdate(this.crc, data);
    return this;
  }
  digest(): number {
    return this.crc;
  }
}
