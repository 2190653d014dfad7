// What every output format must print (etcdctl's printer interface), and the format
// registry: `-w` names a writer here; a new format (yaml) is one more entry.
import type {
  AlarmResponse,
  AuthRoleGetResponse,
  AuthRoleListResponse,
  AuthUserGetResponse,
  AuthUserListResponse,
  DeleteRangeResponse,
  HashKVResponse,
  HeaderResponse,
  LeaseGrantResponse,
  LeaseKeepAliveResponse,
  LeaseLeasesResponse,
  LeaseRevokeResponse,
  LeaseTimeToLiveResponse,
  MemberAddResponse,
  MemberListResponse,
  MemberPromoteResponse,
  MemberRemoveResponse,
  MemberUpdateResponse,
  MoveLeaderResponse,
  PutResponse,
  RangeResponse,
  StatusResponse,
  TxnResponse,
  WatchResponse,
} from "../../client/index.js";
import { Exit, ExitCode, type Io } from "../io.js";

export interface EpHealth {
  ep: string;
  health: boolean;
  took: string;
  error: string;
}

export interface EpStatus {
  ep: string;
  resp: StatusResponse;
}

export interface EpHashKV {
  ep: string;
  resp: HashKVResponse;
}

/** A backend snapshot's summary (snapshot status). */
export interface DbStatus {
  hash: number;
  revision: number;
  totalKey: number;
  totalSize: number;
}

export interface Printer {
  del(r: DeleteRangeResponse): void;
  get(r: RangeResponse): void;
  put(r: PutResponse): void;
  txn(r: TxnResponse): void;
  watch(r: WatchResponse): void;
  grant(r: LeaseGrantResponse): void;
  revoke(id: bigint, r: LeaseRevokeResponse): void;
  keepAlive(r: LeaseKeepAliveResponse): void;
  timeToLive(r: LeaseTimeToLiveResponse, keys: boolean): void;
  leases(r: LeaseLeasesResponse): void;
  memberAdd(r: MemberAddResponse): void;
  memberRemove(id: bigint, r: MemberRemoveResponse): void;
  memberUpdate(id: bigint, r: MemberUpdateResponse): void;
  memberPromote(id: bigint, r: MemberPromoteResponse): void;
  memberList(r: MemberListResponse): void;
  endpointHealth(list: EpHealth[]): void;
  endpointStatus(list: EpStatus[]): void;
  endpointHashKV(list: EpHashKV[]): void;
  moveLeader(leader: bigint, target: bigint, r: MoveLeaderResponse): void;
  alarm(r: AlarmResponse): void;
  dbStatus(s: DbStatus): void;
  roleAdd(role: string, r: HeaderResponse): void;
  roleGet(role: string, r: AuthRoleGetResponse): void;
  roleDelete(role: string, r: HeaderResponse): void;
  roleList(r: AuthRoleListResponse): void;
  roleGrantPermission(role: string, r: HeaderResponse): void;
  roleRevokePermission(role: string, key: Buffer, end: Buffer, r: HeaderResponse): void;
  userAdd(user: string, r: HeaderResponse): void;
  userGet(user: string, r: AuthUserGetResponse): void;
  userList(r: AuthUserListResponse): void;
  userChangePassword(r: HeaderResponse): void;
  userGrantRole(user: string, role: string, r: HeaderResponse): void;
  userRevokeRole(user: string, role: string, r: HeaderResponse): void;
  userDelete(user: string, r: HeaderResponse): void;
}

/** etcdctl's ExitWithError: "Error: <message>" on stderr, then exit. */
export function exitWithError(io: Io, code: number, err: unknown): never {
  io.err(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
  throw new Exit(code);
}

/** A printer whose every method reports the format as unsupported (etcdctl's printerUnsupported). */
export class UnsupportedPrinter implements Printer {
  constructor(
    protected readonly io: Io,
    private readonly formatName: string,
  ) {}

  protected unsupported(): never {
    return exitWithError(this.io, ExitCode.BadFeature, `${this.formatName} not supported as output format`);
  }

  del(_r: DeleteRangeResponse): void {
    this.unsupported();
  }
  get(_r: RangeResponse): void {
    this.unsupported();
  }
  put(_r: PutResponse): void {
    this.unsupported();
  }
  txn(_r: TxnResponse): void {
    this.unsupported();
  }
  watch(_r: WatchResponse): void {
    this.unsupported();
  }
  grant(_r: LeaseGrantResponse): void {
    this.unsupported();
  }
  revoke(_id: bigint, _r: LeaseRevokeResponse): void {
    this.unsupported();
  }
  keepAlive(_r: LeaseKeepAliveResponse): void {
    this.unsupported();
  }
  timeToLive(_r: LeaseTimeToLiveResponse, _keys: boolean): void {
    this.unsupported();
  }
  leases(_r: LeaseLeasesResponse): void {
    this.unsupported();
  }
  memberAdd(_r: MemberAddResponse): void {
    this.unsupported();
  }
  memberRemove(_id: bigint, _r: MemberRemoveResponse): void {
    this.unsupported();
  }
  memberUpdate(_id: bigint, _r: MemberUpdateResponse): void {
    this.unsupported();
  }
  memberPromote(_id: bigint, _r: MemberPromoteResponse): void {
    this.unsupported();
  }
  memberList(_r: MemberListResponse): void {
    this.unsupported();
  }
  endpointHealth(_list: EpHealth[]): void {
    this.unsupported();
  }
  endpointStatus(_list: EpStatus[]): void {
    this.unsupported();
  }
  endpointHashKV(_list: EpHashKV[]): void {
    this.unsupported();
  }
  moveLeader(_leader: bigint, _target: bigint, _r: MoveLeaderResponse): void {
    this.unsupported();
  }
  alarm(_r: AlarmResponse): void {
    this.unsupported();
  }
  dbStatus(_s: DbStatus): void {
    this.unsupported();
  }
  roleAdd(_role: string, _r: HeaderResponse): void {
    this.unsupported();
  }
  roleGet(_role: string, _r: AuthRoleGetResponse): void {
    this.unsupported();
  }
  roleDelete(_role: string, _r: HeaderResponse): void {
    this.unsupported();
  }
  roleList(_r: AuthRoleListResponse): void {
    this.unsupported();
  }
  roleGrantPermission(_role: string, _r: HeaderResponse): void {
    this.unsupported();
  }
  roleRevokePermission(_role: string, _key: Buffer, _end: Buffer, _r: HeaderResponse): void {
    this.unsupported();
  }
  userAdd(_user: string, _r: HeaderResponse): void {
    this.unsupported();
  }
  userGet(_user: string, _r: AuthUserGetResponse): void {
    this.unsupported();
  }
  userList(_r: AuthUserListResponse): void {
    this.unsupported();
  }
  userChangePassword(_r: HeaderResponse): void {
    this.unsupported();
  }
  userGrantRole(_user: string, _role: string, _r: HeaderResponse): void {
    this.unsupported();
  }
  userRevokeRole(_user: string, _role: string, _r: HeaderResponse): void {
    this.unsupported();
  }
  userDelete(_user: string, _r: HeaderResponse): void {
    this.unsupported();
  }
}

/** Printers that print each response as one serialized message (json, protobuf). */
export abstract class MessagePrinter extends UnsupportedPrinter {
  /** Print a response of etcd's generated type `typeName`. */
  protected abstract message(typeName: string, r: unknown): void;

  override del(r: DeleteRangeResponse): void {
    this.message("etcdserverpb.DeleteRangeResponse", r);
  }
  override get(r: RangeResponse): void {
    this.message("etcdserverpb.RangeResponse", r);
  }
  override put(r: PutResponse): void {
    this.message("etcdserverpb.PutResponse", r);
  }
  override txn(r: TxnResponse): void {
    this.message("etcdserverpb.TxnResponse", r);
  }
  override memberAdd(r: MemberAddResponse): void {
    this.message("etcdserverpb.MemberAddResponse", r);
  }
  override memberRemove(_id: bigint, r: MemberRemoveResponse): void {
    this.message("etcdserverpb.MemberRemoveResponse", r);
  }
  override memberUpdate(_id: bigint, r: MemberUpdateResponse): void {
    this.message("etcdserverpb.MemberUpdateResponse", r);
  }
  override memberPromote(_id: bigint, r: MemberPromoteResponse): void {
    this.message("etcdserverpb.MemberPromoteResponse", r);
  }
  override memberList(r: MemberListResponse): void {
    this.message("etcdserverpb.MemberListResponse", r);
  }
  override alarm(r: AlarmResponse): void {
    this.message("etcdserverpb.AlarmResponse", r);
  }
  override moveLeader(_l: bigint, _t: bigint, r: MoveLeaderResponse): void {
    this.message("etcdserverpb.MoveLeaderResponse", r);
  }
  override roleAdd(_role: string, r: HeaderResponse): void {
    this.message("etcdserverpb.AuthRoleAddResponse", r);
  }
  override roleGet(_role: string, r: AuthRoleGetResponse): void {
    this.message("etcdserverpb.AuthRoleGetResponse", r);
  }
  override roleDelete(_role: string, r: HeaderResponse): void {
    this.message("etcdserverpb.AuthRoleDeleteResponse", r);
  }
  override roleList(r: AuthRoleListResponse): void {
    this.message("etcdserverpb.AuthRoleListResponse", r);
  }
  override roleGrantPermission(_role: string, r: HeaderResponse): void {
    this.message("etcdserverpb.AuthRoleGrantPermissionResponse", r);
  }
  override roleRevokePermission(_role: string, _key: Buffer, _end: Buffer, r: HeaderResponse): void {
    this.message("etcdserverpb.AuthRoleRevokePermissionResponse", r);
  }
  override userAdd(_user: string, r: HeaderResponse): void {
    this.message("etcdserverpb.AuthUserAddResponse", r);
  }
  override userGet(_user: string, r: AuthUserGetResponse): void {
    this.message("etcdserverpb.AuthUserGetResponse", r);
  }
  override userList(r: AuthUserListResponse): void {
    this.message("etcdserverpb.AuthUserListResponse", r);
  }
  override userChangePassword(r: HeaderResponse): void {
    this.message("etcdserverpb.AuthUserChangePasswordResponse", r);
  }
  override userGrantRole(_user: string, _role: string, r: HeaderResponse): void {
    this.message("etcdserverpb.AuthUserGrantRoleResponse", r);
  }
  override userRevokeRole(_user: string, _role: string, r: HeaderResponse): void {
    this.message("etcdserverpb.AuthUserRevokeRoleResponse", r);
  }
  override userDelete(_user: string, r: HeaderResponse): void {
    this.message("etcdserverpb.AuthUserDeleteResponse", r);
  }
}
