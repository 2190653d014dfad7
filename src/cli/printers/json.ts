// The "json" format: Go's json.Marshal of the value etcdctl holds, one line each. Most
// are etcd's generated structs; lease responses embed the header (its fields appear at
// the top level) and the watch response is clientv3's own struct with Go field names.
import type {
  LeaseGrantResponse,
  LeaseKeepAliveResponse,
  LeaseLeasesResponse,
  LeaseRevokeResponse,
  LeaseTimeToLiveResponse,
  ResponseHeader,
  WatchResponse,
} from "../../client/index.js";
import { jsonString, protoJson, protoJsonMembers } from "../go/json.js";
import type { Io } from "../io.js";
import { type DbStatus, type EpHashKV, type EpHealth, type EpStatus, MessagePrinter } from "./printer.js";

function headerMembers(h: ResponseHeader | null): string[] {
  return h ? protoJsonMembers("etcdserverpb.ResponseHeader", h as unknown as Record<string, unknown>) : [];
}

export class JsonPrinter extends MessagePrinter {
  constructor(io: Io) {
    super(io, "json");
  }

  private print(json: string): void {
    this.io.out(`${json}\n`);
  }

  protected message(typeName: string, r: unknown): void {
    this.print(protoJson(typeName, r));
  }

  override watch(r: WatchResponse): void {
    const header = protoJson("etcdserverpb.ResponseHeader", r.header ?? {});
    const events = `[${r.events.map((e) => protoJson("mvccpb.Event", e)).join(",")}]`;
    this.print(
      `{"Header":${header},"Events":${events},"CompactRevision":${r.compactRevision},"Canceled":${r.canceled},"Created":${r.created}}`,
    );
  }

  override grant(r: LeaseGrantResponse): void {
    const m = [
      ...headerMembers(r.header),
      `"ID":${r.ID}`,
      `"TTL":${r.TTL}`,
      `"Error":${jsonString(r.error)}`,
    ];
    this.print(`{${m.join(",")}}`);
  }

  override revoke(_id: bigint, r: LeaseRevokeResponse): void {
    this.message("etcdserverpb.LeaseRevokeResponse", r);
  }

  override keepAlive(r: LeaseKeepAliveResponse): void {
    this.print(`{${[...headerMembers(r.header), `"ID":${r.ID}`, `"TTL":${r.TTL}`].join(",")}}`);
  }

  override timeToLive(r: LeaseTimeToLiveResponse): void {
    const keys =
      r.keys.length === 0 ? "null" : `[${r.keys.map((k) => `"${k.toString("base64")}"`).join(",")}]`;
    const m = [
      ...headerMembers(r.header),
      `"id":${r.ID}`,
      `"ttl":${r.TTL}`,
      `"granted-ttl":${r.grantedTTL}`,
      `"keys":${keys}`,
    ];
    this.print(`{${m.join(",")}}`);
  }

  override leases(r: LeaseLeasesResponse): void {
    const leases = `[${r.leases.map((l) => `{"id":${l.ID}}`).join(",")}]`;
    this.print(`{${[...headerMembers(r.header), `"leases":${leases}`].join(",")}}`);
  }

  override endpointHealth(list: EpHealth[]): void {
    const items = list.map((h) => {
      const m = [`"endpoint":${jsonString(h.ep)}`, `"health":${h.health}`, `"took":${jsonString(h.took)}`];
      if (h.error !== "") m.push(`"error":${jsonString(h.error)}`);
      return `{${m.join(",")}}`;
    });
    this.print(`[${items.join(",")}]`);
  }

  override endpointStatus(list: EpStatus[]): void {
    const items = list.map(
      (s) => `{"Endpoint":${jsonString(s.ep)},"Status":${protoJson("etcdserverpb.StatusResponse", s.resp)}}`,
    );
    this.print(`[${items.join(",")}]`);
  }

  override endpointHashKV(list: EpHashKV[]): void {
    const items = list.map(
      (s) => `{"Endpoint":${jsonString(s.ep)},"HashKV":${protoJson("etcdserverpb.HashKVResponse", s.resp)}}`,
    );
    this.print(`[${items.join(",")}]`);
  }

  override dbStatus(s: DbStatus): void {
    this.print(
      `{"hash":${s.hash},"revision":${s.revision},"totalKey":${s.totalKey},"totalSize":${s.totalSize}}`,
    );
  }
}
