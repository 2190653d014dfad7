// Process metrics: prom-client's process_* and nodejs_* collectors, plus what etcd's Go
// runtime exposes beyond them (os_fd_used, os_fd_limit, process_virtual_memory_max_bytes)
// and the /metrics handler's own counters (promhttp_*).
import { readdirSync, readFileSync } from "node:fs";
import client from "prom-client";
import { counter, gauge } from "./define.js";

client.collectDefaultMetrics();

/** A limit from /proc/self/limits: soft value, Infinity when unlimited, undefined if unknown. */
function procLimit(label: string): number | undefined {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith(label));
    const soft = line?.slice(label.length).trim().split(/\s+/)[0];
    if (soft === undefined) return undefined;
    return soft === "unlimited" ? Number.POSITIVE_INFINITY : Number(soft);
  } catch {
    return undefined;
  }
}

function openFds(): number | undefined {
  try {
    return readdirSync("/proc/self/fd").length;
  } catch {
    return undefined;
  }
}

new client.Gauge({
  name: "process_virtual_memory_max_bytes",
  help: "Maximum amount of virtual memory available in bytes.",
  collect() {
    const limit = procLimit("Max address space");
    // Go reports "unlimited" as the largest uint64, i.e. 2^64 as a float.
    if (limit !== undefined) this.set(limit === Number.POSITIVE_INFINITY ? 2 ** 64 : limit);
  },
});

new client.Gauge({
  name: "os_fd_used",
  help: "The number of used file descriptors.",
  collect() {
    const used = openFds();
    if (used !== undefined) this.set(used);
  },
});

new client.Gauge({
  name: "os_fd_limit",
  help: "The file descriptor limit.",
  collect() {
    const limit = procLimit("Max open files");
    if (limit !== undefined && Number.isFinite(limit)) this.set(limit);
  },
});

export const handlerMetrics = {
  inFlight: gauge("promhttp_metric_handler_requests_in_flight", "Current number of scrapes being served."),
  requests: counter(
    "promhttp_metric_handler_requests_total",
    "Total number of scrapes by HTTP status code.",
    ["code"],
  ),
};
for (const code of ["200", "500", "503"]) handlerMetrics.requests.inc({ code }, 0);
