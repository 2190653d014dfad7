// The "simple" format (etcdctl's default): keys and values as raw lines, one-line
// summaries for everything else.
import {
  type AlarmResponse,
  type AuthRoleGetResponse,
  type AuthRoleListResponse,
  type AuthUserGetResponse,
  type AuthUserListResponse,
  type DeleteRangeResponse,
  type KeyValue,
  type LeaseGrantResponse,
  type LeaseKeepAliveResponse,
  type LeaseLeasesResponse,
  type LeaseTimeToLiveResponse,
  type MemberAddResponse,
  type MemberListResponse,
  type Permission,
  type PutResponse,
  prefixRangeEnd,
  type RangeResponse,
  type ResponseHeader,
  type TxnResponse,
  type WatchResponse,
} from "../../client/index.js";
import { ALARM_TYPES, EVENT_TYPES } from "../go/enums.js";
import { hex64 } from "../go/format.js";
import { compactText } from "../go/json.js";
import type { Io } from "../io.js";
import type { DbStatus, EpHashKV, EpHealth, EpStatus } from "./printer.js";
import { UnsupportedPrinter } from "./printer.js";
import { dbStatusRows, endpointHashKVRows, endpointStatusRows, memberListRows } from "./rows.js";

/** A key or value as etcdctl --hex shows it: \x41\x42... */
export function hexEscaped(b: Uint8Array): string {
  return Buffer.from(b).toString("hex").replace(/(..)/g, "\\x$1");
}

function clusterId(h: ResponseHeader | null): bigint {
  return h?.clusterId ?? 0n;
}

export class SimplePrinter extends UnsupportedPrinter {
  /** Print only values (get --print-value-only). */
  valueOnly = false;

  constructor(
    io: Io,
    private readonly isHex: boolean,
  ) {
    super(io, "simple");
  }

  private line(s: string | Uint8Array): void {
    this.io.out(s);
    this.io.out("\n");
  }

  private kv(kv: KeyValue | null): void {
    const k = kv?.key ?? Buffer.alloc(0);
    const v = kv?.value ?? Buffer.alloc(0);
    if (!this.valueOnly) this.line(this.isHex ? hexEscaped(k) : k);
    this.line(this.isHex ? hexEscaped(v) : v);
  }

  override del(r: DeleteRangeResponse): void {
    this.line(String(r.deleted));
    for (const kv of r.prevKvs) this.kv(kv);
  }

  override get(r: RangeResponse): void {
    for (const kv of r.kvs) this.kv(kv);
  }

  override put(r: PutResponse): void {
    this.line("OK");
    if (r.prevKv) this.kv(r.prevKv);
  }

  override txn(r: TxnResponse): void {
    this.line(r.succeeded ? "SUCCESS" : "FAILURE");
    for (const op of r.responses) {
      this.line("");
      if (op.responseDeleteRange) this.del(op.responseDeleteRange);
      else if (op.responsePut) this.put(op.responsePut);
      else if (op.responseRange) this.get(op.responseRange);
      else this.line("unexpected response");
    }
  }

  override watch(r: WatchResponse): void {
    for (const e of r.events) {
      this.line(EVENT_TYPES.get(e.type) ?? String(e.type));
      if (e.prevKv) this.kv(e.prevKv);
      this.kv(e.kv);
    }
  }

  override grant(r: LeaseGrantResponse): void {
    this.line(`lease ${hex64(r.ID)} granted with TTL(${r.TTL}s)`);
  }

  override revoke(id: bigint): void {
    this.line(`lease ${hex64(id)} revoked`);
  }

  override keepAlive(r: LeaseKeepAliveResponse): void {
    this.line(`lease ${hex64(r.ID)} keepalived with TTL(${r.TTL})`);
  }

  override timeToLive(r: LeaseTimeToLiveResponse, keys: boolean): void {
    if (r.grantedTTL === 0 && r.TTL === -1) {
      this.line(`lease ${hex64(r.ID)} already expired`);
      return;
    }
    const txt = `lease ${hex64(r.ID)} granted with TTL(${r.grantedTTL}s), remaining(${r.TTL}s)`;
    if (keys) {
      this.io.out(txt);
      this.io.out(", attached keys([");
      r.keys.forEach((k, i) => {
        if (i > 0) this.io.out(" ");
        this.io.out(k);
      });
      this.io.out("])\n");
      return;
    }
    this.line(txt);
  }

  override leases(r: LeaseLeasesResponse): void {
    this.line(`found ${r.leases.length} leases`);
    for (const l of r.leases) this.line(hex64(l.ID));
  }

  override alarm(r: AlarmResponse): void {
    for (const a of r.alarms) {
      this.line(compactText("etcdserverpb.AlarmMember", a, (_f, v) => ALARM_TYPES.get(v) ?? String(v)));
    }
  }

  override memberAdd(r: MemberAddResponse): void {
    this.line(
      `Member ${hex64(r.member?.ID ?? 0n, 16, " ")} added to cluster ${hex64(clusterId(r.header), 16, " ")}`,
    );
  }

  override memberRemove(id: bigint, r: { header: ResponseHeader | null }): void {
    this.line(`Member ${hex64(id, 16, " ")} removed from cluster ${hex64(clusterId(r.header), 16, " ")}`);
  }

  override memberUpdate(id: bigint, r: { header: ResponseHeader | null }): void {
    this.line(`Member ${hex64(id, 16, " ")} updated in cluster ${hex64(clusterId(r.header), 16, " ")}`);
  }

  override memberPromote(id: bigint, r: { header: ResponseHeader | null }): void {
    this.line(`Member ${hex64(id, 16, " ")} promoted in cluster ${hex64(clusterId(r.header), 16, " ")}`);
  }

  override memberList(r: MemberListResponse): void {
    for (const row of memberListRows(r)) this.line(row.join(", "));
  }

  override endpointHealth(list: EpHealth[]): void {
    for (const h of list) {
      if (h.error === "")
        this.io.err(`${h.ep} is healthy: successfully committed proposal: took = ${h.took}\n`);
      else this.io.err(`${h.ep} is unhealthy: failed to commit proposal: ${h.error}\n`);
    }
  }

  override endpointStatus(list: EpStatus[]): void {
    for (const row of endpointStatusRows(list)) this.line(row.join(", "));
  }

  override endpointHashKV(list: EpHashKV[]): void {
    for (const row of endpointHashKVRows(list)) this.line(row.join(", "));
  }

  override dbStatus(s: DbStatus): void {
    for (const row of dbStatusRows(s)) this.line(row.join(", "));
  }

  override moveLeader(leader: bigint, target: bigint): void {
    this.line(`Leadership transferred from ${leader.toString(16)} to ${target.toString(16)}`);
  }

  override roleAdd(role: string): void {
    this.line(`Role ${role} created`);
  }

  override roleGet(role: string, r: AuthRoleGetResponse): void {
    this.line(`Role ${role}`);
    this.line("KV Read:");
    for (const p of r.perm) if (p.permType === 0 || p.permType === 2) this.permission(p);
    this.line("KV Write:");
    for (const p of r.perm) if (p.permType === 1 || p.permType === 2) this.permission(p);
  }

  private permission(p: Permission): void {
    if (p.rangeEnd.length === 0) {
      this.io.out("\t");
      this.line(p.key);
      return;
    }
    const openEnded = p.rangeEnd.length === 1 && p.rangeEnd[0] === 0;
    this.io.out("\t[");
    this.io.out(p.key);
    if (!openEnded) {
      this.io.out(", ");
      this.io.out(p.rangeEnd);
      this.io.out(")");
    } else {
      this.io.out(", <open ended>");
    }
    if (prefixRangeEnd(p.key).equals(p.rangeEnd)) {
      this.io.out(" (prefix ");
      this.io.out(p.key);
      this.io.out(")");
    }
    this.io.out("\n");
  }

  override roleList(r: AuthRoleListResponse): void {
    for (const role of r.roles) this.line(role);
  }

  override roleDelete(role: string): void {
    this.line(`Role ${role} deleted`);
  }

  override roleGrantPermission(role: string): void {
    this.line(`Role ${role} updated`);
  }

  override roleRevokePermission(role: string, key: Buffer, end: Buffer): void {
    if (end.length === 0) {
      this.io.out("Permission of key ");
      this.io.out(key);
      this.line(` is revoked from role ${role}`);
      return;
    }
    this.io.out("Permission of range [");
    this.io.out(key);
    if (!(end.length === 1 && end[0] === 0)) {
      this.io.out(", ");
      this.io.out(end);
      this.io.out(")");
    } else {
      this.io.out(", <open ended>");
    }
    this.line(` is revoked from role ${role}`);
  }

  override userAdd(user: string): void {
    this.line(`User ${user} created`);
  }

  override userGet(user: string, r: AuthUserGetResponse): void {
    this.line(`User: ${user}`);
    this.line(`Roles:${r.roles.map((x) => ` ${x}`).join("")}`);
  }

  override userChangePassword(): void {
    this.line("Password updated");
  }

  override userGrantRole(user: string, role: string): void {
    this.line(`Role ${role} is granted to user ${user}`);
  }

  override userRevokeRole(user: string, role: string): void {
    this.line(`Role ${role} is revoked from user ${user}`);
  }

  override userDelete(user: string): void {
    this.line(`User ${user} deleted`);
  }

  override userList(r: AuthUserListResponse): void {
    for (const u of r.users) this.line(u);
  }
}
