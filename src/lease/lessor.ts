// The lessor: which leases exist, when each expires, and which keys each one holds.
//
// Grants and revocations are decided by Raft and arrive here from the apply loop, with
// a `LeaseWriter` bound to the same storage transaction as the rest of the entry, so
// leases persist atomically with the keys they own. Renewals and expiry are the
// leader's alone (etcd's "primary" lessor) and never go through Raft: the leader
// refreshes expiries on keep-alives and, when a lease runs out, asks the server to
// propose its revocation. A follower keeps every lease alive forever until it leads.

import assert from "node:assert/strict";
import { ErrLeaseExists, ErrLeaseNotFound, ErrLeaseTTLTooLarge, ErrNotPrimary } from "./errors.js";
import { ExpiryQueue } from "./expiry-queue.js";

/** etcd's upper bound on a lease TTL, in seconds. */
export const MAX_LEASE_TTL_SECONDS = 9_000_000_000;

/** The persistent form of a lease (etcd's leasepb.Lease). */
export interface PersistedLease {
  readonly id: bigint;
  readonly ttlSeconds: number;
  readonly remainingTtlSeconds: number;
}

/** Writes lease records inside the caller's storage transaction. */
export interface LeaseWriter {
  put(lease: PersistedLease): void;
  delete(id: bigint): void;
}

export interface LessorOptions {
  /** Shortest TTL granted; etcd uses 1.5 election timeouts, rounded up to whole seconds. */
  readonly minTtlSeconds: number;
  /** Monotonic milliseconds. */
  readonly now: () => number;
  /** After an expired lease is handed out for revocation, when to hand it out again if it still exists. */
  readonly expiredRetryMs?: number;
}

export interface LeaseStatus {
  readonly id: bigint;
  /** The TTL the lease was granted with (after raising it to the minimum). */
  readonly grantedTtlSeconds: number;
  /** Whole seconds left, truncated as etcd does; may be negative once expired. */
  readonly remainingSeconds: number;
  readonly keys: Buffer[];
}

interface Lease {
  readonly id: bigint;
  readonly ttlSeconds: number;
  /** Remaining TTL recorded by a checkpoint (0 = none): a new leader restarts the clock from it. */
  remainingTtlSeconds: number;
  /** Monotonic ms; Infinity while this member is not the leader. */
  expiryMs: number;
  /** The time of this lease's one live entry in the expiry queue; older entries are stale. */
  queuedMs: number;
  /** Attached keys, as latin1 strings so that any bytes map one-to-one. */
  readonly keys: Set<string>;
}

const DEFAULT_EXPIRED_RETRY_MS = 3000;

export class Lessor {
  private readonly leases = new Map<bigint, Lease>();
  private readonly queue = new ExpiryQueue();
  private primary = false;

  constructor(private readonly options: LessorOptions) {
    assert.ok(options.minTtlSeconds >= 1, "minimum lease TTL must be at least one second");
  }

  get isPrimary(): boolean {
    return this.primary;
  }

  get count(): number {
    return this.leases.size;
  }

  /** Loads a lease from storage at startup (keys are attached separately). */
  restore(record: PersistedLease): void {
    assert.ok(!this.leases.has(record.id), `lease ${record.id} restored twice`);
    const ttlSeconds = Math.max(record.ttlSeconds, this.options.minTtlSeconds);
    this.leases.set(record.id, {
      id: record.id,
      ttlSeconds,
      remainingTtlSeconds: record.remainingTtlSeconds,
      expiryMs: Number.POSITIVE_INFINITY,
      queuedMs: Number.POSITIVE_INFINITY,
      keys: new Set(),
    });
  }

  /** Applies a committed LeaseGrant. */
  grant(id: bigint, ttlSeconds: number, writer: LeaseWriter): LeaseStatus {
    if (id === 0n) throw new ErrLeaseNotFound();
    if (ttlSeconds > MAX_LEASE_TTL_SECONDS) throw new ErrLeaseTTLTooLarge();
    if (this.leases.has(id)) throw new ErrLeaseExists();
    const lease: Lease = {
      id,
      ttlSeconds: Math.max(ttlSeconds, this.options.minTtlSeconds),
      remainingTtlSeconds: 0,
      expiryMs: Number.POSITIVE_INFINITY,
      queuedMs: Number.POSITIVE_INFINITY,
      keys: new Set(),
    };
    this.leases.set(id, lease);
    writer.put({ id, ttlSeconds: lease.ttlSeconds, remainingTtlSeconds: 0 });
    if (this.primary) this.refresh(lease, 0);
    return this.status(lease, false);
  }

  /**
   * Applies a committed LeaseRevoke: deletes every attached key (in key order, so that
   * the resulting events are deterministic) through `deleteKey`, then the lease itself.
   */
  revoke(id: bigint, writer: LeaseWriter, deleteKey: (key: Buffer) => void): void {
    const lease = this.leases.get(id);
    if (lease === undefined) throw new ErrLeaseNotFound();
    const keys = [...lease.keys].sort();
    for (const key of keys) deleteKey(Buffer.from(key, "latin1"));
    this.leases.delete(id);
    writer.delete(id);
  }

  /** Applies a committed LeaseCheckpoint. */
  checkpoint(id: bigint, remainingTtlSeconds: number, writer: LeaseWriter): void {
    const lease = this.leases.get(id);
    if (lease === undefined) return;
    lease.remainingTtlSeconds = remainingTtlSeconds;
    writer.put({ id, ttlSeconds: lease.ttlSeconds, remainingTtlSeconds });
  }

  /** A keep-alive on the leader: restarts the lease's clock and returns its TTL. */
  renew(id: bigint): number {
    if (!this.primary) throw new ErrNotPrimary();
    const lease = this.leases.get(id);
    if (lease === undefined) throw new ErrLeaseNotFound();
    // An expired lease is about to be revoked; etcd refuses to bring it back.
    if (lease.expiryMs <= this.options.now()) throw new ErrLeaseNotFound();
    lease.remainingTtlSeconds = 0;
    this.refresh(lease, 0);
    return lease.ttlSeconds;
  }

  has(id: bigint): boolean {
    return this.leases.has(id);
  }

  timeToLive(id: bigint, withKeys: boolean): LeaseStatus {
    const lease = this.leases.get(id);
    if (lease === undefined) throw new ErrLeaseNotFound();
    return this.status(lease, withKeys);
  }

  ids(): bigint[] {
    return [...this.leases.keys()];
  }

  /** Records that `key` now belongs to lease `id` (called as puts apply). */
  attach(id: bigint, key: Buffer): void {
    const lease = this.leases.get(id);
    assert.ok(lease !== undefined, `attach to unknown lease ${id}`);
    lease.keys.add(key.toString("latin1"));
  }

  /** Records that `key` no longer belongs to lease `id` (overwritten or deleted). */
  detach(id: bigint, key: Buffer): void {
    this.leases.get(id)?.keys.delete(key.toString("latin1"));
  }

  /** This member became leader: every lease gets a fresh clock, extended by `extendMs`. */
  promote(extendMs: number): void {
    this.primary = true;
    this.queue.clear();
    for (const lease of this.leases.values()) this.refresh(lease, extendMs);
  }

  /** This member stopped leading: leases stop expiring here. */
  demote(): void {
    this.primary = false;
    this.queue.clear();
    for (const lease of this.leases.values()) {
      lease.expiryMs = Number.POSITIVE_INFINITY;
      lease.queuedMs = Number.POSITIVE_INFINITY;
    }
  }

  /**
   * Leases whose time is up, at most `limit` of them, for the server to revoke through
   * Raft. Each is handed out again after a retry interval if it still exists then.
   */
  takeExpired(limit: number): bigint[] {
    if (!this.primary) return [];
    const now = this.options.now();
    const retryMs = this.options.expiredRetryMs ?? DEFAULT_EXPIRED_RETRY_MS;
    const expired: bigint[] = [];
    while (expired.length < limit) {
      const next = this.queue.peek();
      if (next === undefined || next.expiryMs > now) break;
      this.queue.pop();
      const lease = this.leases.get(next.id);
      if (lease === undefined || lease.queuedMs !== next.expiryMs) continue; // stale entry
      expired.push(lease.id);
      // The lease stays expired (renew() refuses it); only its next turn here moves.
      lease.queuedMs = now + retryMs;
      this.queue.push({ id: lease.id, expiryMs: lease.queuedMs });
    }
    return expired;
  }

  private refresh(lease: Lease, extendMs: number): void {
    const ttl = lease.remainingTtlSeconds > 0 ? lease.remainingTtlSeconds : lease.ttlSeconds;
    lease.expiryMs = this.options.now() + extendMs + ttl * 1000;
    lease.queuedMs = lease.expiryMs;
    this.queue.push({ id: lease.id, expiryMs: lease.expiryMs });
  }

  private status(lease: Lease, withKeys: boolean): LeaseStatus {
    const remainingMs =
      lease.expiryMs === Number.POSITIVE_INFINITY
        ? Number.MAX_SAFE_INTEGER
        : lease.expiryMs - this.options.now();
    return {
      id: lease.id,
      grantedTtlSeconds: lease.ttlSeconds,
      remainingSeconds: Math.trunc(remainingMs / 1000),
      keys: withKeys ? [...lease.keys].map((k) => Buffer.from(k, "latin1")) : [],
    };
  }
}
