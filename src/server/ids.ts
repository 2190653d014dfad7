// IDs as etcd computes them, so a tetcd member has the IDs a real etcd member with the
// same configuration would have (etcdserver/api/membership and pkg/idutil).

import { createHash } from "node:crypto";

function first8BytesOfSha1(data: Buffer): bigint {
  return createHash("sha1").update(data).digest().readBigUInt64BE(0);
}

/**
 * A member's ID: SHA-1 over its sorted peer URLs, the cluster token, and (for members
 * added at run time) the Unix time in seconds; the first 8 bytes, big-endian.
 */
export function computeMemberId(
  peerUrls: readonly string[],
  clusterToken: string,
  addedAtUnixSeconds?: number,
): bigint {
  const parts = [...peerUrls].sort();
  parts.push(clusterToken);
  if (addedAtUnixSeconds !== undefined) parts.push(String(addedAtUnixSeconds));
  return first8BytesOfSha1(Buffer.from(parts.join("")));
}

/** A cluster's ID: SHA-1 over its sorted member IDs as 8-byte big-endian words. */
export function computeClusterId(memberIds: readonly bigint[]): bigint {
  const sorted = [...memberIds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const bytes = Buffer.alloc(8 * sorted.length);
  sorted.forEach((id, i) => {
    bytes.writeBigUInt64BE(id, 8 * i);
  });
  return first8BytesOfSha1(bytes);
}

const SUFFIX_BITS = 48n; // 40 bits of milliseconds, 8 bits of counter
const SUFFIX_MASK = (1n << SUFFIX_BITS) - 1n;
const TIMESTAMP_MASK = (1n << 40n) - 1n;

/**
 * Unique request and lease IDs: the member ID's low 16 bits, then a counter seeded from
 * the clock in milliseconds (etcd's idutil.Generator). Unique across members and restarts
 * as long as a member issues fewer than 256 IDs per millisecond on average.
 */
export class IdGenerator {
  private readonly prefix: bigint;
  private suffix: bigint;

  constructor(memberId: bigint, nowMs: number) {
    this.prefix = (memberId & 0xffffn) << SUFFIX_BITS;
    this.suffix = (BigInt(Math.floor(nowMs)) & TIMESTAMP_MASK) << 8n;
  }

  next(): bigint {
    this.suffix += 1n;
    return this.prefix | (this.suffix & SUFFIX_MASK);
  }
}

/** IDs print as etcd prints types.ID: lowercase hex without padding. */
export function formatId(id: bigint): string {
  return id.toString(16);
}
