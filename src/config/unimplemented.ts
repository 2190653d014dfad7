// The one list of flags tetcd accepts but does not act on yet. Setting one to anything
// but its default logs a warning naming it. Remove a flag from here when its feature lands.

export const NOT_YET_IMPLEMENTED: ReadonlySet<string> = new Set([
  "discovery",
  "discovery-fallback",
  "discovery-proxy",
  "discovery-srv",
  "discovery-srv-name",
  "proxy",
  "proxy-failure-wait",
  "proxy-refresh-interval",
  "proxy-dial-timeout",
  "proxy-write-timeout",
  "proxy-read-timeout",
  "cors",
  "host-whitelist",
  "enable-pprof",
  "enable-grpc-gateway",
  "experimental-initial-corrupt-check",
  "experimental-corrupt-check-time",
  "experimental-enable-v2v3",
  "experimental-backend-bbolt-freelist-type",
  "experimental-enable-lease-checkpoint",
  "experimental-enable-lease-checkpoint-persist",
  "experimental-compaction-batch-limit",
  "experimental-warning-apply-duration",
  "unsafe-no-fsync",
]);
