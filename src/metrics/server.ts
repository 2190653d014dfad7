// etcd_server_* and etcd_cluster_version: etcd 3.4's etcdserver, membership and health
// metrics, with etcd's names, help texts and label names.
import { counter, gauge } from "./define.js";

const versionGauge = gauge(
  "etcd_server_version",
  "Which version is running. 1 for 'server_version' label with current version.",
  ["server_version"],
);
const clusterVersionGauge = gauge(
  "etcd_cluster_version",
  "Which version is running. 1 for 'cluster_version' label with current cluster version",
  ["cluster_version"],
);
const idGauge = gauge(
  "etcd_server_id",
  "Server or member ID in hexadecimal format. 1 for 'server_id' label with current ID.",
  ["server_id"],
);

export const serverMetrics = {
  hasLeader: gauge("etcd_server_has_leader", "Whether or not a leader exists. 1 is existence, 0 is not."),
  isLeader: gauge("etcd_server_is_leader", "Whether or not this member is a leader. 1 if is, 0 otherwise."),
  leaderChanges: counter("etcd_server_leader_changes_seen_total", "The number of leader changes seen."),
  isLearner: gauge(
    "etcd_server_is_learner",
    "Whether or not this member is a learner. 1 if is, 0 otherwise.",
  ),
  learnerPromoteFailed: counter(
    "etcd_server_learner_promote_failures",
    "The total number of failed learner promotions (likely learner not ready) while this member is leader.",
    ["Reason"],
  ),
  learnerPromoteSucceed: counter(
    "etcd_server_learner_promote_successes",
    "The total number of successful learner promotions while this member is leader.",
  ),
  heartbeatSendFailures: counter(
    "etcd_server_heartbeat_send_failures_total",
    "The total number of leader heartbeat send failures (likely overloaded from slow disk).",
  ),
  slowApplies: counter(
    "etcd_server_slow_apply_total",
    "The total number of slow apply requests (likely overloaded from slow disk).",
  ),
  applySnapshotInProgress: gauge(
    "etcd_server_snapshot_apply_in_progress_total",
    "1 if the server is applying the incoming snapshot. 0 if none.",
  ),
  /** A gauge in etcd despite its name: set it to the committed index. */
  proposalsCommitted: gauge(
    "etcd_server_proposals_committed_total",
    "The total number of consensus proposals committed.",
  ),
  /** A gauge in etcd despite its name: set it to the applied index. */
  proposalsApplied: gauge(
    "etcd_server_proposals_applied_total",
    "The total number of consensus proposals applied.",
  ),
  proposalsPending: gauge(
    "etcd_server_proposals_pending",
    "The current number of pending proposals to commit.",
  ),
  proposalsFailed: counter(
    "etcd_server_proposals_failed_total",
    "The total number of failed proposals seen.",
  ),
  slowReadIndex: counter(
    "etcd_server_slow_read_indexes_total",
    "The total number of pending read indexes not in sync with leader's or timed out read index requests.",
  ),
  readIndexFailed: counter(
    "etcd_server_read_indexes_failed_total",
    "The total number of failed read indexes seen.",
  ),
  leaseExpired: counter("etcd_debugging_server_lease_expired_total", "The total number of expired leases."),
  quotaBackendBytes: gauge("etcd_server_quota_backend_bytes", "Current backend storage quota size in bytes."),
  healthSuccess: counter("etcd_server_health_success", "The total number of successful health checks"),
  healthFailures: counter("etcd_server_health_failures", "The total number of failed health checks"),
  clientRequests: counter(
    "etcd_server_client_requests_total",
    "The total number of client requests per client version.",
    ["type", "client_api_version"],
  ),
};

/** etcd_server_version{server_version}: the (emulated) etcd version, e.g. "3.4.31". */
export function setServerVersion(version: string): void {
  versionGauge.reset();
  versionGauge.set({ server_version: version }, 1);
}

/** etcd_cluster_version{cluster_version}: the cluster version once decided, e.g. "3.4". */
export function setClusterVersion(version: string): void {
  clusterVersionGauge.reset();
  clusterVersionGauge.set({ cluster_version: version }, 1);
}

/** etcd_server_id{server_id}: this member's ID in etcd's hexadecimal form. */
export function setServerId(id: bigint): void {
  idGauge.reset();
  idGauge.set({ server_id: id.toString(16) }, 1);
}
