// The v2 API's metrics: etcd_http_* (v2 HTTP requests) and etcd_debugging_store_* (v2 store).
import { counter, exponentialBuckets, gauge, histogram } from "./define.js";

export const v2Metrics = {
  httpReceived: counter(
    "etcd_http_received_total",
    "Counter of requests received into the system (successfully parsed and authd).",
    ["method"],
  ),
  httpFailed: counter(
    "etcd_http_failed_total",
    "Counter of handle failures of requests (non-watches), by method (GET/PUT etc.) and code (400, 500 etc.).",
    ["method", "code"],
  ),
  httpSuccessfulSeconds: histogram(
    "etcd_http_successful_duration_seconds",
    "Bucketed histogram of processing time (s) of successfully handled requests (non-watches), by method (GET/PUT etc.).",
    exponentialBuckets(0.0005, 2, 13),
    ["method"],
  ),
  storeReads: counter(
    "etcd_debugging_store_reads_total",
    "Total number of reads action by (get/getRecursive), local to this member.",
    ["action"],
  ),
  storeWrites: counter(
    "etcd_debugging_store_writes_total",
    "Total number of writes (e.g. set/compareAndDelete) seen by this member.",
    ["action"],
  ),
  storeReadsFailed: counter(
    "etcd_debugging_store_reads_failed_total",
    "Failed read actions by (get/getRecursive), local to this member.",
    ["action"],
  ),
  storeWritesFailed: counter(
    "etcd_debugging_store_writes_failed_total",
    "Failed write actions (e.g. set/compareAndDelete), seen by this member.",
    ["action"],
  ),
  storeExpires: counter("etcd_debugging_store_expires_total", "Total number of expired keys."),
  storeWatchRequests: counter(
    "etcd_debugging_store_watch_requests_total",
    "Total number of incoming watch requests (new or reestablished).",
  ),
  storeWatchers: gauge("etcd_debugging_store_watchers", "Count of currently active watchers."),
};
