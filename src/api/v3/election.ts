// The Election service (v3election), as etcd serves it with clientv3's election recipe:
// candidates put leased keys `<name>/<lease hex>`; the oldest one leads.

import { etcdserverpb, idToLong, toNumber, toSignedId, type v3electionpb } from "../../proto/index.js";
import type { EtcdServer } from "../../server/index.js";
import { type GrpcServer, type ServerWriter, serviceMethods } from "../grpc/index.js";
import {
  byCreation,
  deleteIfOwner,
  firstKv,
  prefixEnd,
  sessionKey,
  sessionLease,
  waitDeletes,
} from "./concurrency.js";
import { mapErrors } from "./errors.js";
import { withHeader } from "./header.js";

const { CompareResult, CompareTarget } = etcdserverpb.Compare;

/** Errors of etcd's election recipe: plain errors, so clients see code UNKNOWN with this text. */
const ERR_MISSING_LEADER_KEY = '"leader" field must be provided';
const ERR_NOT_LEADER = "election: not leader";
const ERR_NO_LEADER = "election: no leader";

const prefixOf = (name: Uint8Array | null | undefined) =>
  Buffer.concat([Buffer.from(name ?? []), Buffer.from("/")]);

/** Updates the leader's value if it still holds the key it was elected with. */
async function proclaim(server: EtcdServer, leader: v3electionpb.ILeaderKey, value: Uint8Array) {
  const key = Buffer.from(leader.key ?? []);
  const resp = await server.txn({
    compare: [
      { key, target: CompareTarget.CREATE, result: CompareResult.EQUAL, createRevision: leader.rev ?? 0 },
    ],
    success: [{ requestPut: { key, value, lease: leader.lease ?? 0 } }],
    failure: [],
  });
  if (!resp.succeeded) throw new Error(ERR_NOT_LEADER);
  return resp;
}

async function campaign(server: EtcdServer, req: v3electionpb.ICampaignRequest, signal: AbortSignal) {
  const prefix = prefixOf(req.name);
  const lease = await sessionLease(server, toSignedId(req.lease));
  const key = sessionKey(prefix, lease);
  const value = Buffer.from(req.value ?? []);
  const resp = await server.txn({
    compare: [{ key, target: CompareTarget.CREATE, result: CompareResult.EQUAL, createRevision: 0 }],
    success: [{ requestPut: { key, value, lease: idToLong(lease, false) } }],
    failure: [{ requestRange: { key } }],
  });
  let rev = resp.header.revision;
  if (!resp.succeeded) {
    const existing = firstKv(resp.responses?.[0]);
    rev = existing?.createRevision ?? rev;
    if (existing && !existing.value.equals(value)) {
      await proclaim(server, { key, rev, lease: idToLong(lease, false) }, value);
    }
  }
  try {
    await waitDeletes(server, prefix, rev - 1, signal);
  } catch (e) {
    if (signal.aborted) await deleteIfOwner(server, key, rev).catch(() => {});
    throw e;
  }
  return {
    header: resp.header,
    leader: { name: req.name ?? Buffer.alloc(0), key, rev, lease: idToLong(lease, false) },
  };
}

/** Streams the leader's key-value each time leadership or the leader's value changes. */
async function observe(server: EtcdServer, name: Uint8Array, out: ServerWriter<object>, signal: AbortSignal) {
  const prefix = prefixOf(name);
  let lastSent: { key: Buffer; modRevision: number } | undefined;
  while (!signal.aborted) {
    const resp = await byCreation(server, prefix, "first");
    const kv = resp.kvs?.[0];
    if (kv === undefined) {
      await waitForPut(server, prefix, resp.header.revision + 1, signal);
      continue;
    }
    const key = Buffer.from(kv.key ?? []);
    const modRevision = toNumber(kv.modRevision);
    if (!lastSent?.key.equals(key) || lastSent.modRevision !== modRevision) {
      if (!out.write(withHeader(server, { header: resp.header, kv }))) await out.drained();
      lastSent = { key, modRevision };
    }
    await waitForChange(server, key, modRevision + 1, signal);
  }
}

/** Resolves on the next put under `prefix` from `revision` on. */
function waitForPut(
  server: EtcdServer,
  prefix: Buffer,
  revision: number,
  signal: AbortSignal,
): Promise<void> {
  return watchUntil(server, prefix, prefixEnd(prefix), revision, signal, (type) => type === "put");
}

/** Resolves on the next change of `key` from `revision` on. */
function waitForChange(
  server: EtcdServer,
  key: Buffer,
  revision: number,
  signal: AbortSignal,
): Promise<void> {
  return watchUntil(server, key, undefined, revision, signal, () => true);
}

function watchUntil(
  server: EtcdServer,
  key: Buffer,
  rangeEnd: Buffer | undefined,
  revision: number,
  signal: AbortSignal,
  matches: (type: "put" | "delete") => boolean,
): Promise<void> {
  return new Promise((resolve) => {
    const stream = server.watchStream((r) => {
      if (r.events.some((e) => matches(e.type))) queueMicrotask(done);
      return true;
    });
    const done = () => {
      signal.removeEventListener("abort", done);
      stream.close();
      resolve();
    };
    signal.addEventListener("abort", done, { once: true });
    stream.watch({ key, ...(rangeEnd ? { rangeEnd } : {}), startRevision: revision });
  });
}

export function registerElection(grpc: GrpcServer, server: EtcdServer): void {
  const election = serviceMethods("v3electionpb.Election");
  grpc.register(election.Campaign, (req, ctx) =>
    mapErrors(async () => withHeader(server, await campaign(server, req, ctx.signal))),
  );
  grpc.register(election.Proclaim, (req) =>
    mapErrors(async () => {
      if (!req.leader) throw new Error(ERR_MISSING_LEADER_KEY);
      const resp = await proclaim(server, req.leader, req.value ?? Buffer.alloc(0));
      return withHeader(server, { header: resp.header });
    }),
  );
  grpc.register(election.Leader, (req) =>
    mapErrors(async () => {
      const resp = await byCreation(server, prefixOf(req.name), "first");
      const kv = resp.kvs?.[0];
      if (kv === undefined) throw new Error(ERR_NO_LEADER);
      return withHeader(server, { header: resp.header, kv });
    }),
  );
  grpc.register(election.Observe, (req, out, ctx) =>
    mapErrors(() => observe(server, req.name ?? Buffer.alloc(0), out, ctx.signal)),
  );
  grpc.register(election.Resign, (req) =>
    mapErrors(async () => {
      if (!req.leader) throw new Error(ERR_MISSING_LEADER_KEY);
      const resp = await deleteIfOwner(server, Buffer.from(req.leader.key ?? []), toNumber(req.leader.rev));
      return withHeader(server, { header: resp.header });
    }),
  );
}
