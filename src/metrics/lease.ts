// etcd_debugging_lease_* and etcd_debugging_auth_revision.
import { counter, exponentialBuckets, GaugeFunc, histogram } from "./define.js";

export const leaseMetrics = {
  granted: counter("etcd_debugging_lease_granted_total", "The total number of granted leases."),
  revoked: counter("etcd_debugging_lease_revoked_total", "The total number of revoked leases."),
  renewed: counter("etcd_debugging_lease_renewed_total", "The number of renewed leases seen by the leader."),
  /** Observe each granted lease's TTL in seconds. */
  ttl: histogram(
    "etcd_debugging_lease_ttl_total",
    "Bucketed histogram of lease TTLs.",
    exponentialBuckets(1, 2, 24),
  ),
};

export const authMetrics = {
  /** Report the auth store's revision once: `revision.report(() => rev)`. */
  revision: new GaugeFunc(["etcd_debugging_auth_revision"], "The current revision of auth store."),
};
