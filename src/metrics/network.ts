// etcd_network_*: client gRPC traffic, and peer traffic and snapshots between members.
import { CounterFunc, counter, exponentialBuckets, gauge, histogram } from "./define.js";

export const networkMetrics = {
  /** Message bytes, as etcd's gRPC codec counts them: report the gRPC server's total once. */
  clientGrpcSentBytes: new CounterFunc(
    "etcd_network_client_grpc_sent_bytes_total",
    "The total number of bytes sent to grpc clients.",
  ),
  clientGrpcReceivedBytes: new CounterFunc(
    "etcd_network_client_grpc_received_bytes_total",
    "The total number of bytes received from grpc clients.",
  ),
  /** Labels Type ("receive"/"send") and API ("watch"/"lease-keepalive"). */
  serverStreamFailures: counter(
    "etcd_network_server_stream_failures_total",
    "The total number of stream failures from the local server.",
    ["Type", "API"],
  ),
  activePeers: gauge("etcd_network_active_peers", "The current number of active peer connections.", [
    "Local",
    "Remote",
  ]),
  disconnectedPeers: counter(
    "etcd_network_disconnected_peers_total",
    "The total number of disconnected peers.",
    ["Local", "Remote"],
  ),
  peerSentBytes: counter("etcd_network_peer_sent_bytes_total", "The total number of bytes sent to peers.", [
    "To",
  ]),
  peerReceivedBytes: counter(
    "etcd_network_peer_received_bytes_total",
    "The total number of bytes received from peers.",
    ["From"],
  ),
  peerSentFailures: counter(
    "etcd_network_peer_sent_failures_total",
    "The total number of send failures from peers.",
    ["To"],
  ),
  peerReceivedFailures: counter(
    "etcd_network_peer_received_failures_total",
    "The total number of receive failures from peers.",
    ["From"],
  ),
  snapshotSend: counter("etcd_network_snapshot_send_success", "Total number of successful snapshot sends", [
    "To",
  ]),
  snapshotSendInflights: gauge(
    "etcd_network_snapshot_send_inflights_total",
    "Total number of inflight snapshot sends",
    ["To"],
  ),
  snapshotSendFailures: counter(
    "etcd_network_snapshot_send_failures",
    "Total number of snapshot send failures",
    ["To"],
  ),
  snapshotSendSeconds: histogram(
    "etcd_network_snapshot_send_total_duration_seconds",
    "Total latency distributions of v3 snapshot sends",
    exponentialBuckets(0.1, 2, 10),
    ["To"],
  ),
  snapshotReceive: counter(
    "etcd_network_snapshot_receive_success",
    "Total number of successful snapshot receives",
    ["From"],
  ),
  snapshotReceiveInflights: gauge(
    "etcd_network_snapshot_receive_inflights_total",
    "Total number of inflight snapshot receives",
    ["From"],
  ),
  snapshotReceiveFailures: counter(
    "etcd_network_snapshot_receive_failures",
    "Total number of snapshot receive failures",
    ["From"],
  ),
  snapshotReceiveSeconds: histogram(
    "etcd_network_snapshot_receive_total_duration_seconds",
    "Total latency distributions of v3 snapshot receives",
    exponentialBuckets(0.1, 2, 10),
    ["From"],
  ),
  peerRoundTripSeconds: histogram(
    "etcd_network_peer_round_trip_time_seconds",
    "Round-Trip-Time histogram between peers",
    exponentialBuckets(0.0001, 2, 16),
    ["To"],
  ),
};
