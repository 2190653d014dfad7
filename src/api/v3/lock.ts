// The Lock service (v3lock), as etcd serves it with clientv3's mutex recipe: waiters put
// leased keys `<name>/<lease hex>`; the oldest holds the lock.

import { toSignedId } from "../../proto/index.js";
import type { EtcdServer } from "../../server/index.js";
import { type GrpcServer, serviceMethods } from "../grpc/index.js";
import { createOrGet, deleteIfOwner, firstKv, sessionKey, sessionLease, waitDeletes } from "./concurrency.js";
import { mapErrors } from "./errors.js";
import { withHeader } from "./header.js";

export function registerLock(grpc: GrpcServer, server: EtcdServer): void {
  const lock = serviceMethods("v3lockpb.Lock");
  grpc.register(lock.Lock, (req, ctx) =>
    mapErrors(async () => {
      const prefix = Buffer.concat([Buffer.from(req.name ?? []), Buffer.from("/")]);
      const lease = await sessionLease(server, toSignedId(req.lease));
      const key = sessionKey(prefix, lease);
      const resp = await createOrGet(server, key, Buffer.alloc(0), lease, prefix);
      const myRev = resp.succeeded
        ? resp.header.revision
        : (firstKv(resp.responses?.[0])?.createRevision ?? 0);
      const owner = firstKv(resp.responses?.[1]);
      if (owner === undefined || owner.createRevision === myRev)
        return withHeader(server, { header: resp.header, key });
      try {
        return withHeader(server, { header: await waitDeletes(server, prefix, myRev - 1, ctx.signal), key });
      } catch (e) {
        await deleteIfOwner(server, key, myRev).catch(() => {}); // give up our place in line
        throw e;
      }
    }),
  );
  grpc.register(lock.Unlock, (req) =>
    mapErrors(async () => {
      const resp = await server.deleteRange({ key: req.key ?? Buffer.alloc(0) });
      return withHeader(server, { header: resp.header });
    }),
  );
}
