// etcd's gRPC services as typed method tables, checked against the generated descriptor when
// this module loads (a method missing, renamed, of another kind or with other message types
// than the .proto files say is a bug and stops the program).
import assert from "node:assert";
import type { INamespace, IService } from "protobufjs";
import { descriptor, grpc, etcdserverpb as pb, v3electionpb, v3lockpb } from "../../proto/index.js";
import {
  type AnyMethod,
  defineMethod,
  type MessageDecoder,
  type MessageEncoder,
  type Method,
  type MethodKind,
} from "./method.js";

interface Spec<Req, Res, K extends MethodKind> {
  kind: K;
  request: MessageDecoder<Req> & { name: string };
  response: MessageEncoder<Res> & { name: string };
}

const spec =
  <K extends MethodKind>(kind: K) =>
  <Req, Res>(
    request: MessageDecoder<Req> & { name: string },
    response: MessageEncoder<Res> & { name: string },
  ): Spec<Req, Res, K> => ({ kind, request, response });
const unary = spec("unary");
const serverStream = spec("serverStream");
const bidi = spec("bidi");

const specs = {
  "etcdserverpb.KV": {
    Range: unary(pb.RangeRequest, pb.RangeResponse),
    Put: unary(pb.PutRequest, pb.PutResponse),
    DeleteRange: unary(pb.DeleteRangeRequest, pb.DeleteRangeResponse),
    Txn: unary(pb.TxnRequest, pb.TxnResponse),
    Compact: unary(pb.CompactionRequest, pb.CompactionResponse),
  },
  "etcdserverpb.Watch": {
    Watch: bidi(pb.WatchRequest, pb.WatchResponse),
  },
  "etcdserverpb.Lease": {
    LeaseGrant: unary(pb.LeaseGrantRequest, pb.LeaseGrantResponse),
    LeaseRevoke: unary(pb.LeaseRevokeRequest, pb.LeaseRevokeResponse),
    LeaseKeepAlive: bidi(pb.LeaseKeepAliveRequest, pb.LeaseKeepAliveResponse),
    LeaseTimeToLive: unary(pb.LeaseTimeToLiveRequest, pb.LeaseTimeToLiveResponse),
    LeaseLeases: unary(pb.LeaseLeasesRequest, pb.LeaseLeasesResponse),
  },
  "etcdserverpb.Cluster": {
    MemberAdd: unary(pb.MemberAddRequest, pb.MemberAddResponse),
    MemberRemove: unary(pb.MemberRemoveRequest, pb.MemberRemoveResponse),
    MemberUpdate: unary(pb.MemberUpdateRequest, pb.MemberUpdateResponse),
    MemberList: unary(pb.MemberListRequest, pb.MemberListResponse),
    MemberPromote: unary(pb.MemberPromoteRequest, pb.MemberPromoteResponse),
  },
  "etcdserverpb.Maintenance": {
    Alarm: unary(pb.AlarmRequest, pb.AlarmResponse),
    Status: unary(pb.StatusRequest, pb.StatusResponse),
    Defragment: unary(pb.DefragmentRequest, pb.DefragmentResponse),
    Hash: unary(pb.HashRequest, pb.HashResponse),
    HashKV: unary(pb.HashKVRequest, pb.HashKVResponse),
    Snapshot: serverStream(pb.SnapshotRequest, pb.SnapshotResponse),
    MoveLeader: unary(pb.MoveLeaderRequest, pb.MoveLeaderResponse),
  },
  "etcdserverpb.Auth": {
    AuthEnable: unary(pb.AuthEnableRequest, pb.AuthEnableResponse),
    AuthDisable: unary(pb.AuthDisableRequest, pb.AuthDisableResponse),
    Authenticate: unary(pb.AuthenticateRequest, pb.AuthenticateResponse),
    UserAdd: unary(pb.AuthUserAddRequest, pb.AuthUserAddResponse),
    UserGet: unary(pb.AuthUserGetRequest, pb.AuthUserGetResponse),
    UserList: unary(pb.AuthUserListRequest, pb.AuthUserListResponse),
    UserDelete: unary(pb.AuthUserDeleteRequest, pb.AuthUserDeleteResponse),
    UserChangePassword: unary(pb.AuthUserChangePasswordRequest, pb.AuthUserChangePasswordResponse),
    UserGrantRole: unary(pb.AuthUserGrantRoleRequest, pb.AuthUserGrantRoleResponse),
    UserRevokeRole: unary(pb.AuthUserRevokeRoleRequest, pb.AuthUserRevokeRoleResponse),
    RoleAdd: unary(pb.AuthRoleAddRequest, pb.AuthRoleAddResponse),
    RoleGet: unary(pb.AuthRoleGetRequest, pb.AuthRoleGetResponse),
    RoleList: unary(pb.AuthRoleListRequest, pb.AuthRoleListResponse),
    RoleDelete: unary(pb.AuthRoleDeleteRequest, pb.AuthRoleDeleteResponse),
    RoleGrantPermission: unary(pb.AuthRoleGrantPermissionRequest, pb.AuthRoleGrantPermissionResponse),
    RoleRevokePermission: unary(pb.AuthRoleRevokePermissionRequest, pb.AuthRoleRevokePermissionResponse),
  },
  "v3electionpb.Election": {
    Campaign: unary(v3electionpb.CampaignRequest, v3electionpb.CampaignResponse),
    Proclaim: unary(v3electionpb.ProclaimRequest, v3electionpb.ProclaimResponse),
    Leader: unary(v3electionpb.LeaderRequest, v3electionpb.LeaderResponse),
    Observe: serverStream(v3electionpb.LeaderRequest, v3electionpb.LeaderResponse),
    Resign: unary(v3electionpb.ResignRequest, v3electionpb.ResignResponse),
  },
  "v3lockpb.Lock": {
    Lock: unary(v3lockpb.LockRequest, v3lockpb.LockResponse),
    Unlock: unary(v3lockpb.UnlockRequest, v3lockpb.UnlockResponse),
  },
  "grpc.health.v1.Health": {
    Check: unary(grpc.health.v1.HealthCheckRequest, grpc.health.v1.HealthCheckResponse),
    Watch: serverStream(grpc.health.v1.HealthCheckRequest, grpc.health.v1.HealthCheckResponse),
  },
};

type Specs = typeof specs;
/** The name of a gRPC service tetcd serves ("etcdserverpb.KV"). */
export type ServiceName = keyof Specs;
type MethodsOf<S extends Record<string, Spec<unknown, unknown, MethodKind>>> = {
  readonly [M in keyof S]: S[M] extends Spec<infer Req, infer Res, infer K> ? Method<Req, Res, K> : never;
};
/** The typed methods of a service: `ServiceMethods<"etcdserverpb.KV">["Range"]`. */
export type ServiceMethods<S extends ServiceName> = MethodsOf<Specs[S]>;

/** Looks up a service in the descriptor by its full name. */
export function describeService(fullName: string): IService | undefined {
  let ns: INamespace | undefined = descriptor;
  for (const part of fullName.split(".")) ns = ns?.nested?.[part] as INamespace | undefined;
  return ns && "methods" in ns ? (ns as IService) : undefined;
}

function build(service: ServiceName): Record<string, AnyMethod> {
  const described = describeService(service);
  assert(described, `service ${service} is not in the descriptor`);
  const table: Record<string, Spec<unknown, unknown, MethodKind>> = specs[service];
  assert.deepEqual(Object.keys(table).sort(), Object.keys(described.methods).sort(), service);
  const out: Record<string, AnyMethod> = {};
  for (const [name, { kind, request, response }] of Object.entries(table)) {
    const m = described.methods[name]!;
    const expected: MethodKind = m.requestStream
      ? m.responseStream
        ? "bidi"
        : "clientStream"
      : m.responseStream
        ? "serverStream"
        : "unary";
    assert.equal(kind, expected, `${service}/${name} kind`);
    assert.equal(request.name, m.requestType.split(".").pop(), `${service}/${name} request type`);
    assert.equal(response.name, m.responseType.split(".").pop(), `${service}/${name} response type`);
    out[name] = defineMethod(`/${service}/${name}`, kind, request, response);
  }
  return out;
}

const built = new Map<string, Record<string, AnyMethod>>();
for (const name of Object.keys(specs) as ServiceName[]) built.set(name, build(name));

/** The methods of one of etcd's services, typed: `serviceMethods("etcdserverpb.KV").Range`. */
export function serviceMethods<S extends ServiceName>(service: S): ServiceMethods<S>;
export function serviceMethods(service: string): Readonly<Record<string, AnyMethod>> | undefined;
export function serviceMethods(service: string): Readonly<Record<string, AnyMethod>> | undefined {
  return built.get(service);
}

/** Every service tetcd serves and its methods. */
export function allServices(): ReadonlyMap<string, Readonly<Record<string, AnyMethod>>> {
  return built;
}
