// The stored KeyValue (mvccpb.KeyValue on disk, exactly as etcd encodes it).
import { idToLong, type Long, mvccpb, toNumber, toSignedId } from "../proto/index.js";

export interface KeyValue {
  key: Buffer;
  createRevision: number;
  modRevision: number;
  version: number;
  value: Buffer;
  /** 0n when the key has no lease. */
  lease: bigint;
}

const EMPTY = Buffer.alloc(0);

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function leaseField(lease: bigint): number | Long {
  if (lease === 0n) return 0;
  const n = Number(lease);
  return Number.isSafeInteger(n) ? n : idToLong(lease, false);
}

export function encodeKeyValue(kv: KeyValue): Buffer {
  return asBuffer(
    mvccpb.KeyValue.encode({
      key: kv.key,
      createRevision: kv.createRevision,
      modRevision: kv.modRevision,
      version: kv.version,
      value: kv.value,
      lease: leaseField(kv.lease),
    }).finish(),
  );
}

/** Decodes a stored KeyValue; its buffers share `bytes`, which the caller must own. */
export function decodeKeyValue(bytes: Buffer, keysOnly = false): KeyValue {
  const m = mvccpb.KeyValue.decode(bytes);
  return {
    key: asBuffer(m.key),
    createRevision: toNumber(m.createRevision),
    modRevision: toNumber(m.modRevision),
    version: toNumber(m.version),
    value: keysOnly ? EMPTY : asBuffer(m.value),
    lease: m.lease === 0 ? 0n : toSignedId(m.lease),
  };
}

/** A tombstone's KeyValue as etcd stores it in the `key` bucket: only the key. */
export function encodeTombstone(key: Buffer): Buffer {
  return asBuffer(mvccpb.KeyValue.encode({ key }).finish());
}
