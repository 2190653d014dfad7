// Every unary and streaming method of etcd's v3 services, with clientv3's view of which
// calls are safe to resend after a broken connection.
import { method } from "./transport.js";

const KV = "etcdserverpb.KV";
const LEASE = "etcdserverpb.Lease";
const CLUSTER = "etcdserverpb.Cluster";
const MAINT = "etcdserverpb.Maintenance";
const AUTH = "etcdserverpb.Auth";
const ELECTION = "v3electionpb.Election";
const LOCK = "v3lockpb.Lock";

export const M = {
  range: method(KV, "Range", "RangeRequest", "RangeResponse", true),
  put: method(KV, "Put", "PutRequest", "PutResponse", false),
  deleteRange: method(KV, "DeleteRange", "DeleteRangeRequest", "DeleteRangeResponse", false),
  txn: method(KV, "Txn", "TxnRequest", "TxnResponse", false),
  compact: method(KV, "Compact", "CompactionRequest", "CompactionResponse", false),
  watch: method("etcdserverpb.Watch", "Watch", "WatchRequest", "WatchResponse", true),
  leaseGrant: method(LEASE, "LeaseGrant", "LeaseGrantRequest", "LeaseGrantResponse", true),
  leaseRevoke: method(LEASE, "LeaseRevoke", "LeaseRevokeRequest", "LeaseRevokeResponse", true),
  leaseKeepAlive: method(LEASE, "LeaseKeepAlive", "LeaseKeepAliveRequest", "LeaseKeepAliveResponse", true),
  leaseTimeToLive: method(
    LEASE,
    "LeaseTimeToLive",
    "LeaseTimeToLiveRequest",
    "LeaseTimeToLiveResponse",
    true,
  ),
  leaseLeases: method(LEASE, "LeaseLeases", "LeaseLeasesRequest", "LeaseLeasesResponse", true),
  memberAdd: method(CLUSTER, "MemberAdd", "MemberAddRequest", "MemberAddResponse", false),
  memberRemove: method(CLUSTER, "MemberRemove", "MemberRemoveRequest", "MemberRemoveResponse", false),
  memberUpdate: method(CLUSTER, "MemberUpdate", "MemberUpdateRequest", "MemberUpdateResponse", false),
  memberList: method(CLUSTER, "MemberList", "MemberListRequest", "MemberListResponse", true),
  memberPromote: method(CLUSTER, "MemberPromote", "MemberPromoteRequest", "MemberPromoteResponse", false),
  alarm: method(MAINT, "Alarm", "AlarmRequest", "AlarmResponse", false),
  status: method(MAINT, "Status", "StatusRequest", "StatusResponse", true),
  defragment: method(MAINT, "Defragment", "DefragmentRequest", "DefragmentResponse", false),
  hash: method(MAINT, "Hash", "HashRequest", "HashResponse", true),
  hashKV: method(MAINT, "HashKV", "HashKVRequest", "HashKVResponse", true),
  snapshot: method(MAINT, "Snapshot", "SnapshotRequest", "SnapshotResponse", true),
  moveLeader: method(MAINT, "MoveLeader", "MoveLeaderRequest", "MoveLeaderResponse", false),
  authenticate: method(AUTH, "Authenticate", "AuthenticateRequest", "AuthenticateResponse", true),
  authEnable: method(AUTH, "AuthEnable", "AuthEnableRequest", "AuthEnableResponse", false),
  authDisable: method(AUTH, "AuthDisable", "AuthDisableRequest", "AuthDisableResponse", false),
  userAdd: method(AUTH, "UserAdd", "AuthUserAddRequest", "AuthUserAddResponse", false),
  userGet: method(AUTH, "UserGet", "AuthUserGetRequest", "AuthUserGetResponse", true),
  userList: method(AUTH, "UserList", "AuthUserListRequest", "AuthUserListResponse", true),
  userDelete: method(AUTH, "UserDelete", "AuthUserDeleteRequest", "AuthUserDeleteResponse", false),
  userChangePassword: method(
    AUTH,
    "UserChangePassword",
    "AuthUserChangePasswordRequest",
    "AuthUserChangePasswordResponse",
    false,
  ),
  userGrantRole: method(
    AUTH,
    "UserGrantRole",
    "AuthUserGrantRoleRequest",
    "AuthUserGrantRoleResponse",
    false,
  ),
  userRevokeRole: method(
    AUTH,
    "UserRevokeRole",
    "AuthUserRevokeRoleRequest",
    "AuthUserRevokeRoleResponse",
    false,
  ),
  roleAdd: method(AUTH, "RoleAdd", "AuthRoleAddRequest", "AuthRoleAddResponse", false),
  roleGet: method(AUTH, "RoleGet", "AuthRoleGetRequest", "AuthRoleGetResponse", true),
  roleList: method(AUTH, "RoleList", "AuthRoleListRequest", "AuthRoleListResponse", true),
  roleDelete: method(AUTH, "RoleDelete", "AuthRoleDeleteRequest", "AuthRoleDeleteResponse", false),
  roleGrantPermission: method(
    AUTH,
    "RoleGrantPermission",
    "AuthRoleGrantPermissionRequest",
    "AuthRoleGrantPermissionResponse",
    false,
  ),
  roleRevokePermission: method(
    AUTH,
    "RoleRevokePermission",
    "AuthRoleRevokePermissionRequest",
    "AuthRoleRevokePermissionResponse",
    false,
  ),
  campaign: method(ELECTION, "Campaign", "CampaignRequest", "CampaignResponse", false),
  proclaim: method(ELECTION, "Proclaim", "ProclaimRequest", "ProclaimResponse", false),
  leader: method(ELECTION, "Leader", "LeaderRequest", "LeaderResponse", true),
  observe: method(ELECTION, "Observe", "LeaderRequest", "LeaderResponse", true),
  resign: method(ELECTION, "Resign", "ResignRequest", "ResignResponse", false),
  lock: method(LOCK, "Lock", "LockRequest", "LockResponse", false),
  unlock: method(LOCK, "Unlock", "UnlockRequest", "UnlockResponse", false),
} as const;
