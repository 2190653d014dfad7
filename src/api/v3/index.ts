// etcd's v3 gRPC services over one member.

import type { EtcdServer } from "../../server/index.js";
import type { GrpcServer } from "../grpc/index.js";
import { registerAuth } from "./auth.js";
import { registerCluster } from "./cluster.js";
import { registerElection } from "./election.js";
import { registerHealth } from "./health.js";
import { registerKv } from "./kv.js";
import { registerLease } from "./lease.js";
import { registerLock } from "./lock.js";
import { registerMaintenance } from "./maintenance.js";
import { registerWatch, type WatchServiceOptions } from "./watch.js";

export { toGrpcError } from "./errors.js";
export type { WatchServiceOptions } from "./watch.js";

/** Registers every v3 service (KV, Watch, Lease, Cluster, Maintenance, Auth, Election, Lock, health). */
export function registerV3Services(grpc: GrpcServer, server: EtcdServer, watch: WatchServiceOptions): void {
  registerKv(grpc, server);
  registerWatch(grpc, server, watch);
  registerLease(grpc, server);
  registerCluster(grpc, server);
  registerMaintenance(grpc, server);
  registerAuth(grpc, server);
  registerElection(grpc, server);
  registerLock(grpc, server);
  registerHealth(grpc);
}
