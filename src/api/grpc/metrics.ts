// gRPC server metrics named and labelled as go-grpc-prometheus (which etcd uses) names them,
// on prom-client's global registry. Calls only bump plain numbers; the prom-client series
// are filled in when the registry is scraped, so the hot path pays no label hashing.
import { Counter, Histogram } from "prom-client";
import type { AnyMethod, MethodKind } from "./method.js";
import { allStatuses, type Status, statusName } from "./status.js";

const grpcTypes: Record<MethodKind, string> = {
  unary: "unary",
  clientStream: "client_stream",
  serverStream: "server_stream",
  bidi: "bidi_stream",
};

/** One method's counts. */
export class MethodStats {
  readonly labels: { grpc_type: string; grpc_service: string; grpc_method: string };
  started = 0;
  received = 0;
  sent = 0;
  /** Bytes of the messages received and sent, without gRPC's 5-byte frame prefix. */
  receivedBytes = 0;
  sentBytes = 0;
  readonly handled: number[] = allStatuses.map(() => 0);

  constructor(method: AnyMethod) {
    this.labels = {
      grpc_type: grpcTypes[method.kind],
      grpc_service: method.service,
      grpc_method: method.name,
    };
  }

  handledWith(code: Status, startedAtMs: number): void {
    this.handled[code] = (this.handled[code] ?? 0) + 1;
    if (handlingSeconds !== undefined)
      handlingSeconds.observe(this.labels, (performance.now() - startedAtMs) / 1000);
  }
}

const stats = new Map<string, MethodStats>();

/** The counts of a method, created (and its series exported at zero) on first use. */
export function methodStats(method: AnyMethod): MethodStats {
  let s = stats.get(method.path);
  if (s === undefined) {
    s = new MethodStats(method);
    stats.set(method.path, s);
  }
  return s;
}

/** Message bytes received and sent over every method so far (what etcd's codec counts). */
export function messageBytes(): { received: number; sent: number } {
  let received = 0;
  let sent = 0;
  for (const s of stats.values()) {
    received += s.receivedBytes;
    sent += s.sentBytes;
  }
  return { received, sent };
}

const methodLabels = ["grpc_type", "grpc_service", "grpc_method"] as const;

new Counter({
  name: "grpc_server_started_total",
  help: "Total number of RPCs started on the server.",
  labelNames: methodLabels,
  collect() {
    this.reset();
    for (const s of stats.values()) this.inc(s.labels, s.started);
  },
});
new Counter({
  name: "grpc_server_handled_total",
  help: "Total number of RPCs completed on the server, regardless of success or failure.",
  labelNames: [...methodLabels, "grpc_code"],
  collect() {
    this.reset();
    for (const s of stats.values()) {
      for (const code of allStatuses)
        this.inc({ ...s.labels, grpc_code: statusName(code) }, s.handled[code] ?? 0);
    }
  },
});
new Counter({
  name: "grpc_server_msg_received_total",
  help: "Total number of RPC stream messages received on the server.",
  labelNames: methodLabels,
  collect() {
    this.reset();
    for (const s of stats.values()) this.inc(s.labels, s.received);
  },
});
new Counter({
  name: "grpc_server_msg_sent_total",
  help: "Total number of gRPC stream messages sent by the server.",
  labelNames: methodLabels,
  collect() {
    this.reset();
    for (const s of stats.values()) this.inc(s.labels, s.sent);
  },
});

let handlingSeconds: Histogram<(typeof methodLabels)[number]> | undefined;

/** Adds grpc_server_handling_seconds (etcd's --metrics=extensive). Idempotent. */
export function enableHandlingTimeHistogram(): void {
  handlingSeconds ??= new Histogram({
    name: "grpc_server_handling_seconds",
    help: "Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.",
    labelNames: methodLabels,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
}

export function handlingTimeEnabled(): boolean {
  return handlingSeconds !== undefined;
}
