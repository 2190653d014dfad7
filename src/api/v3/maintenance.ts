// The Maintenance service: alarms, status, hashes, defragmentation, snapshots, leadership.
import { createHash } from "node:crypto";
import { idToLong, toId, toNumber } from "../../proto/index.js";
import { type EtcdServer, ServerError } from "../../server/index.js";
import { type GrpcServer, serviceMethods } from "../grpc/index.js";
import { mapErrors } from "./errors.js";
import { responseHeader, withHeader } from "./header.js";

/** etcd streams snapshots in 32 KiB pieces, then the SHA-256 of everything sent. */
const SNAPSHOT_CHUNK_BYTES = 32 * 1024;

export function registerMaintenance(grpc: GrpcServer, server: EtcdServer): void {
  const m = serviceMethods("etcdserverpb.Maintenance");
  grpc.register(m.Alarm, (req) => mapErrors(async () => withHeader(server, await server.alarm(req))));
  grpc.register(m.Status, () => {
    const s = server.status();
    return {
      header: responseHeader(server),
      version: s.version,
      dbSize: s.dbSizeBytes,
      leader: idToLong(s.leader),
      raftIndex: s.raftIndex,
      raftTerm: s.raftTerm,
      raftAppliedIndex: s.raftAppliedIndex,
      errors: s.errors,
      dbSizeInUse: s.dbSizeInUseBytes,
      isLearner: s.isLearner,
    };
  });
  grpc.register(m.Defragment, () =>
    mapErrors(async () => {
      await server.defragment();
      return { header: responseHeader(server) };
    }),
  );
  grpc.register(m.Hash, () =>
    mapErrors(async () => {
      const h = server.mvcc.hash();
      return { header: responseHeader(server, h.revision), hash: h.hash };
    }),
  );
  grpc.register(m.HashKV, (req) =>
    mapErrors(async () => {
      const h = server.mvcc.hashKV(toNumber(req.revision));
      return { header: responseHeader(server, h.revision), hash: h.hash, compactRevision: h.compactRevision };
    }),
  );
  grpc.register(m.MoveLeader, (req) =>
    mapErrors(async () => {
      if (!server.isLeader) throw new ServerError("notLeader");
      const target = server.members().find((x) => x.id === toId(req.targetID));
      if (target === undefined || target.isLearner) throw new ServerError("badLeaderTransferee");
      // The only voter of a lone member is itself: leadership is already there.
      return { header: responseHeader(server) };
    }),
  );
  grpc.register(m.Snapshot, (_req, out) =>
    mapErrors(async () => {
      const { sizeBytes, stream } = await server.snapshotStream();
      const sha = createHash("sha256");
      let remaining = sizeBytes;
      let pending: Buffer = Buffer.alloc(0);
      const send = async (blob: Buffer) => {
        remaining -= blob.length;
        sha.update(blob);
        if (!out.write({ header: responseHeader(server), remainingBytes: remaining, blob }))
          await out.drained();
      };
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        while (pending.length >= SNAPSHOT_CHUNK_BYTES) {
          await send(pending.subarray(0, SNAPSHOT_CHUNK_BYTES));
          pending = pending.subarray(SNAPSHOT_CHUNK_BYTES);
        }
      }
      if (pending.length > 0) await send(pending);
      out.write({ header: responseHeader(server), remainingBytes: 0, blob: sha.digest() });
    }),
  );
}
