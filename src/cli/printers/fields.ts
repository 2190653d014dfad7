// The "fields" format: one `"Name" : value` line per field, strings quoted as Go's %q.
import type {
  AlarmResponse,
  AuthRoleGetResponse,
  AuthRoleListResponse,
  DeleteRangeResponse,
  HeaderResponse,
  KeyValue,
  LeaseGrantResponse,
  LeaseKeepAliveResponse,
  LeaseLeasesResponse,
  LeaseRevokeResponse,
  LeaseTimeToLiveResponse,
  MemberListResponse,
  PutResponse,
  RangeResponse,
  ResponseHeader,
  TxnResponse,
  WatchResponse,
} from "../../client/index.js";
import { ALARM_TYPES, EVENT_TYPES, PERM_TYPES } from "../go/enums.js";
import { goQuote } from "../go/format.js";
import type { Io } from "../io.js";
import { type DbStatus, type EpHashKV, type EpHealth, type EpStatus, UnsupportedPrinter } from "./printer.js";

export class FieldsPrinter extends UnsupportedPrinter {
  constructor(io: Io) {
    super(io, "fields");
  }

  private line(s: string): void {
    this.io.out(`${s}\n`);
  }

  private kv(pfx: string, kv: KeyValue | null): void {
    this.line(`"${pfx}Key" : ${goQuote(kv?.key ?? Buffer.alloc(0))}`);
    this.line(`"${pfx}CreateRevision" : ${kv?.createRevision ?? 0}`);
    this.line(`"${pfx}ModRevision" : ${kv?.modRevision ?? 0}`);
    this.line(`"${pfx}Version" : ${kv?.version ?? 0}`);
    this.line(`"${pfx}Value" : ${goQuote(kv?.value ?? Buffer.alloc(0))}`);
    this.line(`"${pfx}Lease" : ${kv?.lease ?? 0n}`);
  }

  private hdr(h: ResponseHeader | null): void {
    this.line(`"ClusterID" : ${h?.clusterId ?? 0n}`);
    this.line(`"MemberID" : ${h?.memberId ?? 0n}`);
    this.line(`"Revision" : ${h?.revision ?? 0}`);
    this.line(`"RaftTerm" : ${h?.raftTerm ?? 0}`);
  }

  override del(r: DeleteRangeResponse): void {
    this.hdr(r.header);
    this.line(`"Deleted" : ${r.deleted}`);
    for (const kv of r.prevKvs) this.kv("Prev", kv);
  }

  override get(r: RangeResponse): void {
    this.hdr(r.header);
    for (const kv of r.kvs) this.kv("", kv);
    this.line(`"More" : ${r.more}`);
    this.line(`"Count" : ${r.count}`);
  }

  override put(r: PutResponse): void {
    this.hdr(r.header);
    if (r.prevKv) this.kv("Prev", r.prevKv);
  }

  override txn(r: TxnResponse): void {
    this.hdr(r.header);
    this.line(`"Succeeded" : ${r.succeeded}`);
    for (const op of r.responses) {
      if (op.responseDeleteRange) this.del(op.responseDeleteRange);
      else if (op.responsePut) this.put(op.responsePut);
      else if (op.responseRange) this.get(op.responseRange);
      else this.line(`"Unknown" : ${goQuote("")}`);
    }
  }

  override watch(r: WatchResponse): void {
    this.hdr(r.header);
    for (const e of r.events) {
      this.line(`"Type" : ${EVENT_TYPES.get(e.type) ?? e.type}`);
      if (e.prevKv) this.kv("Prev", e.prevKv);
      this.kv("", e.kv);
    }
  }

  override grant(r: LeaseGrantResponse): void {
    this.hdr(r.header);
    this.line(`"ID" : ${r.ID}`);
    this.line(`"TTL" : ${r.TTL}`);
  }

  override revoke(_id: bigint, r: LeaseRevokeResponse): void {
    this.hdr(r.header);
  }

  override keepAlive(r: LeaseKeepAliveResponse): void {
    this.hdr(r.header);
    this.line(`"ID" : ${r.ID}`);
    this.line(`"TTL" : ${r.TTL}`);
  }

  override timeToLive(r: LeaseTimeToLiveResponse): void {
    this.hdr(r.header);
    this.line(`"ID" : ${r.ID}`);
    this.line(`"TTL" : ${r.TTL}`);
    this.line(`"GrantedTTL" : ${r.grantedTTL}`);
    for (const k of r.keys) this.line(`"Key" : ${goQuote(k)}`);
  }

  override leases(r: LeaseLeasesResponse): void {
    this.hdr(r.header);
    for (const l of r.leases) this.line(`"ID" : ${l.ID}`);
  }

  override memberList(r: MemberListResponse): void {
    this.hdr(r.header);
    for (const m of r.members) {
      this.line(`"ID" : ${m.ID}`);
      this.line(`"Name" : ${goQuote(m.name)}`);
      for (const u of m.peerURLs) this.line(`"PeerURL" : ${goQuote(u)}`);
      for (const u of m.clientURLs) this.line(`"ClientURL" : ${goQuote(u)}`);
      this.line(`"IsLearner" : ${m.isLearner}`);
      this.line("");
    }
  }

  override endpointHealth(list: EpHealth[]): void {
    for (const h of list) {
      this.line(`"Endpoint" : ${goQuote(h.ep)}`);
      this.line(`"Health" : ${h.health}`);
      this.line(`"Took" : ${h.took}`);
      this.line(`"Error" : ${h.error}`);
      this.line("");
    }
  }

  override endpointStatus(list: EpStatus[]): void {
    for (const { ep, resp } of list) {
      this.hdr(resp.header);
      this.line(`"Version" : ${goQuote(resp.version)}`);
      this.line(`"DBSize" : ${resp.dbSize}`);
      this.line(`"Leader" : ${resp.leader}`);
      this.line(`"IsLearner" : ${resp.isLearner}`);
      this.line(`"RaftIndex" : ${resp.raftIndex}`);
      this.line(`"RaftTerm" : ${resp.raftTerm}`);
      this.line(`"RaftAppliedIndex" : ${resp.raftAppliedIndex}`);
      this.line(`"Errors" : [${resp.errors.join(" ")}]`);
      this.line(`"Endpoint" : ${goQuote(ep)}`);
      this.line("");
    }
  }

  override endpointHashKV(list: EpHashKV[]): void {
    for (const { ep, resp } of list) {
      this.hdr(resp.header);
      this.line(`"Endpoint" : ${goQuote(ep)}`);
      this.line(`"Hash" : ${resp.hash}`);
      this.line("");
    }
  }

  override alarm(r: AlarmResponse): void {
    this.hdr(r.header);
    for (const a of r.alarms) {
      this.line(`"MemberID" : ${a.memberID}`);
      this.line(`"AlarmType" : ${ALARM_TYPES.get(a.alarm) ?? a.alarm}`);
      this.line("");
    }
  }

  override dbStatus(s: DbStatus): void {
    this.line(`"Hash" : ${s.hash}`);
    this.line(`"Revision" : ${s.revision}`);
    this.line(`"Keys" : ${s.totalKey}`);
    this.line(`"Size" : ${s.totalSize}`);
  }

  override roleAdd(_role: string, r: HeaderResponse): void {
    this.hdr(r.header);
  }

  override roleGet(_role: string, r: AuthRoleGetResponse): void {
    this.hdr(r.header);
    for (const p of r.perm) {
      this.line(`"PermType" :  ${PERM_TYPES.get(p.permType) ?? p.permType}`);
      this.line(`"Key" : ${goQuote(p.key)}`);
      this.line(`"RangeEnd" : ${goQuote(p.rangeEnd)}`);
    }
  }

  override roleDelete(_role: string, r: HeaderResponse): void {
    this.hdr(r.header);
  }

  override roleList(r: AuthRoleListResponse): void {
    this.hdr(r.header);
    this.line(`"Roles" :${r.roles.map((x) => ` ${goQuote(x)}`).join("")}`);
  }

  override roleGrantPermission(_role: string, r: HeaderResponse): void {
    this.hdr(r.header);
  }

  override roleRevokePermission(_role: string, _key: Buffer, _end: Buffer, r: HeaderResponse): void {
    this.hdr(r.header);
  }

  override userAdd(_user: string, r: HeaderResponse): void {
    this.hdr(r.header);
  }

  override userChangePassword(r: HeaderResponse): void {
    this.hdr(r.header);
  }

  override userGrantRole(_user: string, _role: string, r: HeaderResponse): void {
    this.hdr(r.header);
  }

  override userRevokeRole(_user: string, _role: string, r: HeaderResponse): void {
    this.hdr(r.header);
  }

  override userDelete(_user: string, r: HeaderResponse): void {
    this.hdr(r.header);
  }
}
