// Key and range helpers shared by the client and its callers.

/** Keys and values may be given as strings (UTF-8) or bytes. */
export type Bytes = string | Uint8Array;

export function toBuffer(b: Bytes): Buffer {
  if (typeof b === "string") return Buffer.from(b, "utf8");
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** The range end covering every key with this prefix (clientv3's GetPrefixRangeEnd). */
export function prefixRangeEnd(prefix: Bytes): Buffer {
  const end = Buffer.from(toBuffer(prefix));
  for (let i = end.length - 1; i >= 0; i--) {
    if ((end[i] as number) < 0xff) {
      end[i] = (end[i] as number) + 1;
      return end.subarray(0, i + 1);
    }
  }
  // Every byte is 0xff (or the prefix is empty): the range runs to the end of the keyspace.
  return Buffer.from([0]);
}

/** The range end meaning "every key from this one on". */
export const FROM_KEY_END = Buffer.from([0]);

export interface RangeSelector {
  /** End of the range [key, rangeEnd). */
  rangeEnd?: Bytes;
  /** Every key with the key as prefix. */
  prefix?: boolean;
  /** Every key >= the key. */
  fromKey?: boolean;
}

/** The [key, rangeEnd) a selector means, with clientv3's rules for the empty key. */
export function resolveRange(key: Bytes, sel: RangeSelector): { key: Buffer; rangeEnd: Buffer } {
  let k = toBuffer(key);
  let end = sel.rangeEnd !== undefined ? toBuffer(sel.rangeEnd) : Buffer.alloc(0);
  if (sel.prefix) {
    if (k.length === 0) {
      k = Buffer.from([0]);
      end = Buffer.from([0]);
    } else {
      end = prefixRangeEnd(k);
    }
  }
  if (sel.fromKey) {
    if (k.length === 0) k = Buffer.from([0]);
    end = Buffer.from([0]);
  }
  return { key: k, rangeEnd: end };
}
