// The Auth service while authentication is not built (it comes with the security issue):
// status says disabled, authentication says so with etcd's error, and management calls
// are refused plainly rather than pretending to succeed.

import type { EtcdServer } from "../../server/index.js";
import { GrpcError, type GrpcServer, Status } from "../grpc/index.js";
import { responseHeader } from "./header.js";

const NOT_ENABLED = "etcdserver: authentication is not enabled";
const NOT_BUILT = "tetcd: authentication and user management are not built yet";

export function registerAuth(grpc: GrpcServer, server: EtcdServer): void {
  const refuse = () => {
    throw new GrpcError(Status.UNIMPLEMENTED, NOT_BUILT);
  };
  grpc.registerService("etcdserverpb.Auth", {
    AuthEnable: refuse,
    AuthDisable: () => ({ header: responseHeader(server) }),
    Authenticate: () => {
      throw new GrpcError(Status.FAILED_PRECONDITION, NOT_ENABLED);
    },
    UserAdd: refuse,
    UserGet: refuse,
    UserList: refuse,
    UserDelete: refuse,
    UserChangePassword: refuse,
    UserGrantRole: refuse,
    UserRevokeRole: refuse,
    RoleAdd: refuse,
    RoleGet: refuse,
    RoleList: refuse,
    RoleDelete: refuse,
    RoleGrantPermission: refuse,
    RoleRevokePermission: refuse,
  });
}
