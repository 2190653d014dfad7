// etcd's response header: which cluster and member answered, at which revision and term.
import { type etcdserverpb, idToLong } from "../../proto/index.js";
import type { EtcdServer, ResponseHeader } from "../../server/index.js";

/** The header for a response at `revision` (default: the store's current revision). */
export function responseHeader(server: EtcdServer, revision?: number): etcdserverpb.IResponseHeader {
  return wireHeader(server.header(revision));
}

/** A server's header as the wire has it. */
export function wireHeader(h: ResponseHeader): etcdserverpb.IResponseHeader {
  return {
    clusterId: idToLong(h.clusterId),
    memberId: idToLong(h.memberId),
    revision: h.revision,
    raftTerm: h.raftTerm,
  };
}

/** Completes a response's header as etcd's `hdr.fill` does: the revision stays if already set. */
export function withHeader<T extends { header?: etcdserverpb.IResponseHeader | null }>(
  server: EtcdServer,
  response: T,
): T {
  const revision = response.header?.revision;
  response.header = responseHeader(
    server,
    typeof revision === "number" && revision !== 0 ? revision : undefined,
  );
  return response;
}
