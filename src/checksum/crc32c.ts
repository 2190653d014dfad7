// CRC-32C (Castagnoli, reflected polynomial 0x82f63b78): the checksum of etcd's WAL
// records and snap files, and of its Hash/HashKV. Table-driven, slicing-by-8: eight table lookups per 8 bytes.
// `crc32c(data, prev)` continues from `prev` exactly as Go's crc32.Update does, so
// crc32c(b, crc32c(a)) === crc32c(a ++ b): the WAL chains records this way.

const POLY = 0x82f63b78;

/** TABLES[k * 256 + b]: the CRC of byte b followed by k zero bytes. */
const TABLES = buildTables();

function buildTables(): Uint32Array {
  const t = new Uint32Array(8 * 256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[b] = c;
  }
  for (let b = 0; b < 256; b++) {
    for (let k = 1; k < 8; k++) {
      const prev = t[(k - 1) * 256 + b]!;
      t[k * 256 + b] = (prev >>> 8) ^ t[prev & 0xff]!;
    }
  }
  return t;
}

/** The CRC-32C of `data`, continuing a running checksum `prev` (0 to start). */
export function crc32c(data: Uint8Array, prev = 0): number {
  const t = TABLES;
  let crc = ~prev;
  let i = 0;
  const n = data.length;
  const end8 = n - (n % 8);
  while (i < end8) {
    const lo = crc ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
    crc =
      t[1792 + (lo & 0xff)]! ^
      t[1536 + ((lo >>> 8) & 0xff)]! ^
      t[1280 + ((lo >>> 16) & 0xff)]! ^
      t[1024 + (lo >>> 24)]! ^
      t[768 + data[i + 4]!]! ^
      t[512 + data[i + 5]!]! ^
      t[256 + data[i + 6]!]! ^
      t[data[i + 7]!]!;
    i += 8;
  }
  while (i < n) crc = (crc >>> 8) ^ t[(crc ^ data[i++]!) & 0xff]!;
  return ~crc >>> 0;
}

/** An incremental CRC-32C, written to in pieces like Go's crc32.New(castagnoli). */
export class Crc32c {
  private crc = 0;

  update(data: Uint8Array): this {
    this.crc = crc32c(data, this.crc);
    return this;
  }

  digest(): number {
    return this.crc;
  }
}
