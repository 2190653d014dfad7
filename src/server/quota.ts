// The backend quota as etcd enforces it (etcdserver/quota.go): a write that would add
// data is refused once the backend file plus the write's estimated cost reaches the
// quota. Deletes, compactions and alarms are never refused: they are how space returns.

import type { etcdserverpb } from "../proto/index.js";

/** etcd's estimate of the bytes a key-value costs beyond its key and value. */
const KV_OVERHEAD = 256;
const LEASE_OVERHEAD = 64;

type RequestOp = etcdserverpb.IRequestOp;

/** How long a measured backend size is reused: measuring stats the file and every bucket. */
const SIZE_REUSE_MS = 100;

export class Quota {
  private size = 0;
  private measuredMs = Number.NEGATIVE_INFINITY;

  constructor(
    /** Negative: no quota. */
    private readonly limitBytes: number,
    private readonly sizeBytes: () => number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  available(cost: number): boolean {
    if (this.limitBytes < 0 || cost === 0) return true;
    const now = this.now();
    if (now - this.measuredMs >= SIZE_REUSE_MS) {
      this.size = this.sizeBytes();
      this.measuredMs = now;
    }
    return this.size + cost < this.limitBytes;
  }

  costPut(r: etcdserverpb.IPutRequest): number {
    return KV_OVERHEAD + (r.key?.length ?? 0) + (r.value?.length ?? 0);
  }

  /** The costlier branch of a txn, counting its top-level puts only, as etcd does. */
  costTxn(r: etcdserverpb.ITxnRequest): number {
    const branch = (ops: RequestOp[] | null | undefined) =>
      (ops ?? []).reduce((sum, op) => sum + this.costOp(op), 0);
    return Math.max(branch(r.success), branch(r.failure));
  }

  costLease(): number {
    return LEASE_OVERHEAD;
  }

  private costOp(op: RequestOp): number {
    return op.requestPut ? this.costPut(op.requestPut) : 0;
  }
}
