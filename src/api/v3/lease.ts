// The Lease service. Grants and revocations go through Raft; keep-alives and
// time-to-live questions are answered by the leader's lessor.

import { ErrLeaseNotFound } from "../../lease/index.js";
import { idToLong, toSignedId } from "../../proto/index.js";
import type { EtcdServer } from "../../server/index.js";
import { type GrpcServer, serviceMethods } from "../grpc/index.js";
import { mapErrors } from "./errors.js";
import { responseHeader, withHeader } from "./header.js";

export function registerLease(grpc: GrpcServer, server: EtcdServer): void {
  const lease = serviceMethods("etcdserverpb.Lease");
  grpc.register(lease.LeaseGrant, (req) =>
    mapErrors(async () => withHeader(server, await server.leaseGrant(req))),
  );
  grpc.register(lease.LeaseRevoke, (req) =>
    mapErrors(async () => withHeader(server, await server.leaseRevoke(req))),
  );
  grpc.register(lease.LeaseTimeToLive, (req) =>
    mapErrors(async () => {
      const id = toSignedId(req.ID);
      try {
        const s = await server.leaseTimeToLive(id, req.keys === true);
        return {
          header: responseHeader(server),
          ID: idToLong(id, false),
          TTL: s.remainingSeconds,
          grantedTTL: s.grantedTtlSeconds,
          keys: s.keys,
        };
      } catch (e) {
        // etcd answers an unknown lease with TTL -1, not an error.
        if (e instanceof ErrLeaseNotFound)
          return { header: responseHeader(server), ID: idToLong(id, false), TTL: -1 };
        throw e;
      }
    }),
  );
  grpc.register(lease.LeaseLeases, () =>
    mapErrors(async () => ({
      header: responseHeader(server),
      leases: (await server.leaseLeases()).map((id) => ({ ID: idToLong(id, false) })),
    })),
  );
  grpc.register(lease.LeaseKeepAlive, (call) =>
    mapErrors(async () => {
      for await (const req of call) {
        const id = toSignedId(req.ID);
        const ttl = await server.leaseRenew(id);
        if (!call.write({ header: responseHeader(server), ID: idToLong(id, false), TTL: ttl }))
          await call.drained();
      }
    }),
  );
}
