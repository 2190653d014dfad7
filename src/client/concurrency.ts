// Client-side locks and elections built on KV, lease and watch, exactly as clientv3's
// concurrency package builds them (same key layout: `<prefix>/<lease id in hex>`), so
// they interoperate with Go programs and etcdctl's `lock` and `elect`.
import type { Client } from "./client.js";
import { CanceledError } from "./errors.js";
import type { LeaseKeepAlive } from "./keepalive.js";
import { prefixRangeEnd } from "./keys.js";
import { op } from "./ops.js";
import type { RangeResponse, ResponseHeader } from "./types.js";
import { EventType } from "./types.js";

/** A lease kept alive for as long as the session lives. */
export class Session {
  private constructor(
    readonly client: Client,
    readonly lease: bigint,
    private readonly keepAlive: LeaseKeepAlive,
  ) {}

  static async create(client: Client, ttlSeconds = 60): Promise<Session> {
    const g = await client.leaseGrant(ttlSeconds);
    const ka = client.leaseKeepAlive(g.ID);
    void (async () => {
      try {
        for await (const _ of ka) {
          // Renewals need no handling; the loop ends when the lease is gone.
        }
      } catch {
        // The session is over either way; `done` reports it.
      }
    })();
    return new Session(client, g.ID, ka);
  }

  /** Resolves when the lease could no longer be kept alive (or close() was called). */
  get done(): Promise<void> {
    return this.keepAlive.finished;
  }

  /** Stops renewing and revokes the lease. */
  async close(): Promise<void> {
    this.keepAlive.close();
    await this.client.leaseRevoke(this.lease, { timeoutMs: 1000 }).catch(() => undefined);
  }
}

function aborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CanceledError();
}

/** Waits until `key` is deleted at or after revision `rev`. */
async function waitDelete(client: Client, key: Buffer, rev: number, signal?: AbortSignal): Promise<void> {
  const w = client.watch(key, { startRevision: rev });
  const onAbort = () => w.cancel();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for await (const r of w) {
      if (r.events.some((e) => e.type === EventType.DELETE)) return;
      if (r.canceled) break;
    }
    aborted(signal);
    throw new Error("lost watcher waiting for delete");
  } finally {
    signal?.removeEventListener("abort", onAbort);
    w.cancel();
  }
}

/** Waits until every key under the prefix created at or before maxCreateRev is gone. */
async function waitDeletes(
  client: Client,
  prefix: Buffer,
  maxCreateRev: number,
  signal?: AbortSignal,
): Promise<ResponseHeader | null> {
  for (;;) {
    aborted(signal);
    const r = await client.get(
      prefix,
      { prefix: true, sortTarget: "CREATE", sortOrder: "DESCEND", limit: 1, maxCreateRevision: maxCreateRev },
      signal ? { signal } : undefined,
    );
    const last = r.kvs[0];
    if (!last) return r.header;
    await waitDelete(client, last.key, r.header?.revision ?? 0, signal);
  }
}

function firstCreated(prefix: Buffer) {
  return op.get(prefix, { prefix: true, sortTarget: "CREATE", sortOrder: "ASCEND", limit: 1 });
}

/** A distributed mutex: the oldest key under the prefix holds the lock. */
export class Mutex {
  private readonly pfx: Buffer;
  private myKey = Buffer.alloc(0);
  private myRev = -1;
  private hdr: ResponseHeader | null = null;

  constructor(
    private readonly session: Session,
    prefix: string,
  ) {
    this.pfx = Buffer.from(`${prefix}/`);
  }

  /** The key that represents this holder (`<prefix>/<lease hex>`). */
  get key(): Buffer {
    return this.myKey;
  }

  /** The header of the response that granted the lock. */
  get header(): ResponseHeader | null {
    return this.hdr;
  }

  async lock(signal?: AbortSignal): Promise<void> {
    const client = this.session.client;
    this.myKey = Buffer.concat([this.pfx, Buffer.from(this.session.lease.toString(16))]);
    const resp = await client.txn(
      {
        compare: [{ key: this.myKey, target: "CREATE", result: "=", value: 0 }],
        success: [op.put(this.myKey, "", { lease: this.session.lease }), firstCreated(this.pfx)],
        failure: [op.get(this.myKey), firstCreated(this.pfx)],
      },
      signal ? { signal } : undefined,
    );
    this.myRev = resp.header?.revision ?? 0;
    if (!resp.succeeded) this.myRev = resp.responses[0]?.responseRange?.kvs[0]?.createRevision ?? 0;
    const owner = resp.responses[1]?.responseRange?.kvs ?? [];
    if (owner.length === 0 || owner[0]?.createRevision === this.myRev) {
      this.hdr = resp.header;
      return;
    }
    try {
      this.hdr = await waitDeletes(client, this.pfx, this.myRev - 1, signal);
    } catch (err) {
      await this.unlock().catch(() => undefined);
      throw err;
    }
  }

  async unlock(): Promise<void> {
    await this.session.client.delete(this.myKey);
    this.myKey = Buffer.from([0]);
    this.myRev = -1;
  }
}

/** Leader election: the oldest candidate key under the prefix leads. */
export class Election {
  private readonly pfx: Buffer;
  private leaderKey: Buffer | undefined;
  private leaderRev = 0;

  constructor(
    private readonly session: Session,
    prefix: string,
  ) {
    this.pfx = Buffer.from(`${prefix}/`);
  }

  /** This candidate's key while campaigning or leading. */
  get key(): Buffer {
    return this.leaderKey ?? Buffer.alloc(0);
  }

  /** Waits until elected, then returns; the proposal is the value of the leader key. */
  async campaign(value: string, signal?: AbortSignal): Promise<void> {
    const client = this.session.client;
    const k = Buffer.concat([this.pfx, Buffer.from(this.session.lease.toString(16))]);
    const resp = await client.txn(
      {
        compare: [{ key: k, target: "CREATE", result: "=", value: 0 }],
        success: [op.put(k, value, { lease: this.session.lease })],
        failure: [op.get(k)],
      },
      signal ? { signal } : undefined,
    );
    this.leaderKey = k;
    this.leaderRev = resp.header?.revision ?? 0;
    if (!resp.succeeded) {
      const kv = resp.responses[0]?.responseRange?.kvs[0];
      this.leaderRev = kv?.createRevision ?? 0;
      if (kv && kv.value.toString() !== value) await this.proclaim(value);
    }
    try {
      await waitDeletes(client, this.pfx, this.leaderRev - 1, signal);
    } catch (err) {
      if (signal?.aborted) await this.resign().catch(() => undefined);
      else this.leaderKey = undefined;
      throw err;
    }
  }

  /** Changes the leader's value without a new election. */
  async proclaim(value: string): Promise<void> {
    const k = this.leaderKey;
    if (!k) throw new Error("election: not leader");
    const r = await this.session.client.txn({
      compare: [{ key: k, target: "CREATE", result: "=", value: this.leaderRev }],
      success: [op.put(k, value, { lease: this.session.lease })],
    });
    if (!r.succeeded) {
      this.leaderKey = undefined;
      throw new Error("election: session expired");
    }
  }

  async resign(): Promise<void> {
    const k = this.leaderKey;
    if (!k) return;
    await this.session.client.txn({
      compare: [{ key: k, target: "CREATE", result: "=", value: this.leaderRev }],
      success: [op.delete(k)],
    });
    this.leaderKey = undefined;
  }
}

/**
 * Follows the leadership of an election: yields the leader key's current state each time
 * the leader or its value changes, as clientv3's Election.Observe does.
 */
export async function* observeElection(
  client: Client,
  prefix: string,
  signal?: AbortSignal,
): AsyncGenerator<RangeResponse> {
  const pfx = Buffer.from(`${prefix}/`);
  const end = prefixRangeEnd(pfx);
  while (!signal?.aborted) {
    const resp = await client.get(
      pfx,
      { prefix: true, sortTarget: "CREATE", sortOrder: "ASCEND", limit: 1 },
      signal ? { signal } : undefined,
    );
    let kv = resp.kvs[0];
    let header = resp.header;
    if (!kv) {
      // Wait for the first candidate to appear.
      const w = client.watch(pfx, { rangeEnd: end, startRevision: resp.header?.revision ?? 0 });
      const onAbort = () => w.cancel();
      signal?.addEventListener("abort", onAbort, { once: true });
      try {
        for await (const r of w) {
          const put = r.events.find((e) => e.type === EventType.PUT);
          if (put?.kv && r.header) {
            kv = put.kv;
            header = { ...r.header, revision: put.kv.modRevision };
            break;
          }
        }
      } finally {
        signal?.removeEventListener("abort", onAbort);
        w.cancel();
      }
      if (!kv) return;
    }
    yield { header, kvs: [kv], more: false, count: 0 };
    // Follow this leader until its key is deleted.
    const w = client.watch(kv.key, { startRevision: (header?.revision ?? 0) + 1 });
    const onAbort = () => w.cancel();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      let deleted = false;
      for await (const r of w) {
        for (const e of r.events) {
          if (e.type === EventType.DELETE) {
            deleted = true;
            break;
          }
          if (e.kv) yield { header: r.header, kvs: [e.kv], more: resp.more, count: resp.count };
        }
        if (deleted) break;
      }
      if (!deleted) return;
    } finally {
      signal?.removeEventListener("abort", onAbort);
      w.cancel();
    }
  }
}
