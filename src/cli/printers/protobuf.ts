// The "protobuf" format: the response marshalled with etcd's wire encoding, written
// without a trailing newline. As in etcdctl, lease responses marshal only their embedded
// header, and a watch response keeps only header, events, compact revision and flags.
import {
  codecOf,
  type LeaseGrantResponse,
  type LeaseKeepAliveResponse,
  type LeaseLeasesResponse,
  type LeaseRevokeResponse,
  type LeaseTimeToLiveResponse,
  type ResponseHeader,
  toWire,
  type WatchResponse,
} from "../../client/index.js";
import { compactText } from "../go/json.js";
import { ExitCode, type Io } from "../io.js";
import { exitWithError, MessagePrinter } from "./printer.js";

export class ProtobufPrinter extends MessagePrinter {
  constructor(io: Io) {
    super(io, "protobuf");
  }

  protected message(typeName: string, r: unknown): void {
    const codec = codecOf(typeName);
    this.io.out(codec.encode(codec.create(toWire(typeName, r))).finish());
  }

  private header(h: ResponseHeader | null): void {
    this.message("etcdserverpb.ResponseHeader", h ?? {});
  }

  override watch(r: WatchResponse): void {
    this.message("etcdserverpb.WatchResponse", {
      header: r.header,
      events: r.events,
      compactRevision: r.compactRevision,
      canceled: r.canceled,
      created: r.created,
    });
  }

  override grant(r: LeaseGrantResponse): void {
    this.header(r.header);
  }

  override keepAlive(r: LeaseKeepAliveResponse): void {
    this.header(r.header);
  }

  override timeToLive(r: LeaseTimeToLiveResponse): void {
    this.header(r.header);
  }

  override leases(r: LeaseLeasesResponse): void {
    this.header(r.header);
  }

  override revoke(_id: bigint, r: LeaseRevokeResponse): void {
    const text = r.header ? compactText("etcdserverpb.ResponseHeader", r.header) : "<nil>";
    exitWithError(
      this.io,
      ExitCode.BadFeature,
      `marshal unsupported for type clientv3.LeaseRevokeResponse ({${text}})`,
    );
  }
}
