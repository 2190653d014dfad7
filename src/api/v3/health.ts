// The standard gRPC health service: etcd reports SERVING for the empty service name.

import { grpc as healthpb } from "../../proto/index.js";
import { type GrpcServer, serviceMethods } from "../grpc/index.js";

const { SERVING } = healthpb.health.v1.HealthCheckResponse.ServingStatus;

export function registerHealth(grpc: GrpcServer): void {
  const health = serviceMethods("grpc.health.v1.Health");
  grpc.register(health.Check, () => ({ status: SERVING }));
  grpc.register(health.Watch, async (_req, out, ctx) => {
    out.write({ status: SERVING });
    await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
  });
}
