// etcd_grpc_proxy_*: registered by etcd 3.4 even when no proxy runs, so dashboards find them.
import { counter, gauge } from "./define.js";

export const grpcProxyMetrics = {
  watchersCoalescing: gauge(
    "etcd_grpc_proxy_watchers_coalescing_total",
    "Total number of current watchers coalescing",
  ),
  eventsCoalescing: counter("etcd_grpc_proxy_events_coalescing_total", "Total number of events coalescing"),
  cacheKeys: gauge("etcd_grpc_proxy_cache_keys_total", "Total number of keys/ranges cached"),
  cacheHits: gauge("etcd_grpc_proxy_cache_hits_total", "Total number of cache hits"),
  cacheMisses: gauge("etcd_grpc_proxy_cache_misses_total", "Total number of cache misses"),
};
