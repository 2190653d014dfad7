// The friendly shapes of etcd's responses: etcd's field names camelCased (as protobufjs
// names them), revisions/counts/TTLs as number, 64-bit IDs as bigint, bytes as Buffer,
// absent sub-messages as null. `fromWire`/`toWire` convert generically from the
// descriptor, so these declarations must match etcd's .proto files field for field.

export interface ResponseHeader {
  clusterId: bigint;
  memberId: bigint;
  revision: number;
  raftTerm: number;
}

export interface KeyValue {
  key: Buffer;
  createRevision: number;
  modRevision: number;
  version: number;
  value: Buffer;
  lease: bigint;
}

export interface RangeResponse {
  header: ResponseHeader | null;
  kvs: KeyValue[];
  more: boolean;
  count: number;
}

export interface PutResponse {
  header: ResponseHeader | null;
  prevKv: KeyValue | null;
}

export interface DeleteRangeResponse {
  header: ResponseHeader | null;
  deleted: number;
  prevKvs: KeyValue[];
}

export interface ResponseOp {
  responseRange: RangeResponse | null;
  responsePut: PutResponse | null;
  responseDeleteRange: DeleteRangeResponse | null;
  responseTxn: TxnResponse | null;
}

export interface TxnResponse {
  header: ResponseHeader | null;
  succeeded: boolean;
  responses: ResponseOp[];
}

export interface CompactionResponse {
  header: ResponseHeader | null;
}

/** mvccpb.Event.EventType */
export const EventType = { PUT: 0, DELETE: 1 } as const;

export interface Event {
  type: number;
  kv: KeyValue | null;
  prevKv: KeyValue | null;
}

export interface WatchResponse {
  header: ResponseHeader | null;
  watchId: number;
  created: boolean;
  canceled: boolean;
  compactRevision: number;
  cancelReason: string;
  fragment: boolean;
  events: Event[];
}

export interface LeaseGrantResponse {
  header: ResponseHeader | null;
  ID: bigint;
  TTL: number;
  error: string;
}

export interface LeaseRevokeResponse {
  header: ResponseHeader | null;
}

export interface LeaseKeepAliveResponse {
  header: ResponseHeader | null;
  ID: bigint;
  TTL: number;
}

export interface LeaseTimeToLiveResponse {
  header: ResponseHeader | null;
  ID: bigint;
  TTL: number;
  grantedTTL: number;
  keys: Buffer[];
}

export interface LeaseStatus {
  ID: bigint;
}

export interface LeaseLeasesResponse {
  header: ResponseHeader | null;
  leases: LeaseStatus[];
}

export interface Member {
  ID: bigint;
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
}

export interface MemberAddResponse {
  header: ResponseHeader | null;
  member: Member | null;
  members: Member[];
}

export interface MemberRemoveResponse {
  header: ResponseHeader | null;
  members: Member[];
}

export interface MemberUpdateResponse {
  header: ResponseHeader | null;
  members: Member[];
}

export interface MemberListResponse {
  header: ResponseHeader | null;
  members: Member[];
}

export interface MemberPromoteResponse {
  header: ResponseHeader | null;
  members: Member[];
}

/** etcdserverpb.AlarmType */
export const AlarmType = { NONE: 0, NOSPACE: 1, CORRUPT: 2 } as const;

export interface AlarmMember {
  memberID: bigint;
  alarm: number;
}

export interface AlarmResponse {
  header: ResponseHeader | null;
  alarms: AlarmMember[];
}

export interface StatusResponse {
  header: ResponseHeader | null;
  version: string;
  dbSize: number;
  leader: bigint;
  raftIndex: number;
  raftTerm: number;
  raftAppliedIndex: number;
  errors: string[];
  dbSizeInUse: number;
  isLearner: boolean;
}

export interface DefragmentResponse {
  header: ResponseHeader | null;
}

export interface HashKVResponse {
  header: ResponseHeader | null;
  hash: number;
  compactRevision: number;
}

export interface MoveLeaderResponse {
  header: ResponseHeader | null;
}

export interface SnapshotResponse {
  header: ResponseHeader | null;
  remainingBytes: number;
  blob: Buffer;
}

/** A response that carries nothing but the header (most auth calls). */
export interface HeaderResponse {
  header: ResponseHeader | null;
}

export interface AuthenticateResponse {
  header: ResponseHeader | null;
  token: string;
}

export interface AuthUserGetResponse {
  header: ResponseHeader | null;
  roles: string[];
}

export interface AuthUserListResponse {
  header: ResponseHeader | null;
  users: string[];
}

export interface AuthRoleListResponse {
  header: ResponseHeader | null;
  roles: string[];
}

/** authpb.Permission.Type */
export const PermissionType = { READ: 0, WRITE: 1, READWRITE: 2 } as const;

export interface Permission {
  permType: number;
  key: Buffer;
  rangeEnd: Buffer;
}

export interface AuthRoleGetResponse {
  header: ResponseHeader | null;
  perm: Permission[];
}

export interface LeaderKey {
  name: Buffer;
  key: Buffer;
  rev: number;
  lease: bigint;
}

export interface CampaignResponse {
  header: ResponseHeader | null;
  leader: LeaderKey | null;
}

export interface LeaderResponse {
  header: ResponseHeader | null;
  kv: KeyValue | null;
}

export interface LockResponse {
  header: ResponseHeader | null;
  key: Buffer;
}
