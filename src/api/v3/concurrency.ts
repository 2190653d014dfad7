// The recipes etcd's election and lock services are built from (clientv3/concurrency),
// run against the member directly instead of through a client: leased keys under a
// prefix, ordered by creation revision; whoever created first holds the lock or leads,
// the rest wait for the keys created before theirs to go away.

import type { KeyValue, WatchStream } from "../../mvcc/index.js";
import { etcdserverpb, idToLong, toNumber } from "../../proto/index.js";
import type { EtcdServer, RangeResponse, TxnResponse } from "../../server/index.js";

const { SortOrder, SortTarget } = etcdserverpb.RangeRequest;
const { CompareResult, CompareTarget } = etcdserverpb.Compare;

/** concurrency.NewSession's default TTL for a lease it grants itself. */
export const SESSION_TTL_SECONDS = 60;

export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]! += 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/** The lease a session runs on: the one given, or a fresh one it grants. */
export async function sessionLease(server: EtcdServer, lease: bigint): Promise<bigint> {
  if (lease !== 0n) return lease;
  const granted = (await server.leaseGrant({ TTL: SESSION_TTL_SECONDS })) as {
    ID: number | { toString(): string };
  };
  return BigInt.asIntN(64, BigInt(granted.ID.toString()));
}

/** `<prefix><lease in hex>`, the key a session owns under a prefix. */
export function sessionKey(prefix: Buffer, lease: bigint): Buffer {
  return Buffer.concat([prefix, Buffer.from(BigInt.asUintN(64, lease).toString(16))]);
}

/** The key created first (or last) under a prefix, optionally only those created up to a revision. */
export async function byCreation(
  server: EtcdServer,
  prefix: Buffer,
  order: "first" | "last",
  maxCreateRevision = 0,
): Promise<RangeResponse> {
  return server.range({
    key: prefix,
    rangeEnd: prefixEnd(prefix),
    sortTarget: SortTarget.CREATE,
    sortOrder: order === "first" ? SortOrder.ASCEND : SortOrder.DESCEND,
    limit: 1,
    maxCreateRevision,
  });
}

/** Creates `key` with the lease unless it exists; either way reports the owner of the prefix. */
export async function createOrGet(
  server: EtcdServer,
  key: Buffer,
  value: Buffer,
  lease: bigint,
  prefix: Buffer,
): Promise<TxnResponse> {
  const owner: etcdserverpb.IRequestOp = {
    requestRange: {
      key: prefix,
      rangeEnd: prefixEnd(prefix),
      sortTarget: SortTarget.CREATE,
      sortOrder: SortOrder.ASCEND,
      limit: 1,
    },
  };
  return server.txn({
    compare: [{ key, target: CompareTarget.CREATE, result: CompareResult.EQUAL, createRevision: 0 }],
    success: [{ requestPut: { key, value, lease: idToLong(lease, false) } }, owner],
    failure: [{ requestRange: { key } }, owner],
  });
}

/** Resolves when `key` is deleted at or after `revision`; rejects when `signal` aborts. */
export function waitDelete(
  server: EtcdServer,
  key: Buffer,
  revision: number,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let stream: WatchStream | undefined;
    const finish = (error?: Error) => {
      signal.removeEventListener("abort", onAbort);
      stream?.close();
      if (error) reject(error);
      else resolve();
    };
    const onAbort = () => finish(new Error("context canceled"));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    stream = server.watchStream((r) => {
      if (r.events.some((e) => e.type === "delete")) queueMicrotask(() => finish());
      return true;
    });
    stream.watch({ key, startRevision: revision });
  });
}

/** Waits until every key under `prefix` created at or before `maxCreateRevision` is gone. */
export async function waitDeletes(
  server: EtcdServer,
  prefix: Buffer,
  maxCreateRevision: number,
  signal: AbortSignal,
): Promise<etcdserverpb.IResponseHeader> {
  for (;;) {
    const resp = await byCreation(server, prefix, "last", maxCreateRevision);
    const last = resp.kvs?.[0];
    if (last === undefined) return resp.header;
    await waitDelete(server, Buffer.from(last.key ?? []), resp.header.revision, signal);
  }
}

/** Deletes `key` if it is still the one created at `createRevision`. */
export async function deleteIfOwner(
  server: EtcdServer,
  key: Buffer,
  createRevision: number,
): Promise<TxnResponse> {
  return server.txn({
    compare: [{ key, target: CompareTarget.CREATE, result: CompareResult.EQUAL, createRevision }],
    success: [{ requestDeleteRange: { key } }],
    failure: [],
  });
}

/** The first key-value a txn's range response holds, if any. */
export function firstKv(kv: etcdserverpb.IResponseOp | undefined): KeyValue | undefined {
  const first = kv?.responseRange?.kvs?.[0];
  if (!first) return undefined;
  return {
    key: Buffer.from(first.key ?? []),
    value: Buffer.from(first.value ?? []),
    createRevision: toNumber(first.createRevision),
    modRevision: toNumber(first.modRevision),
    version: toNumber(first.version),
    lease: 0n,
  };
}
