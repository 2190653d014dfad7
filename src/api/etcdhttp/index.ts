// etcd's plain HTTP endpoints on the client port: /health, /version and /metrics
// (etcdserver/api/etcdhttp), with etcd's bodies, status codes and method checks.

import { renderMetrics, serverMetrics } from "../../metrics/index.js";
import { AlarmType, type EtcdServer } from "../../server/index.js";
import type { HttpHandler, HttpRequest, HttpResponse, HttpRouter } from "../http/index.js";
import { sendText } from "../http/index.js";

const HEALTH_CHECK_TIMEOUT_MS = 1000;

function onlyGet(req: HttpRequest, res: HttpResponse): boolean {
  if (req.method === "GET") return true;
  (res as { setHeader(k: string, v: string): void }).setHeader("Allow", "GET");
  sendText(res, 405, "Method Not Allowed");
  return false;
}

function sendJson(res: HttpResponse, status: number, body: string): void {
  const r = res as { writeHead(s: number, h: Record<string, string>): void; end(b: string): void };
  r.writeHead(status, { "content-type": "application/json" });
  r.end(body);
}

/**
 * Healthy when no alarm is raised (except those named in `?exclude=`), there is a
 * leader, and a linearizable read completes within a second (skipped with
 * `?serializable=true`, as etcd 3.5 does).
 */
export async function checkHealth(server: EtcdServer, query: URLSearchParams): Promise<boolean> {
  const excluded = new Set(query.getAll("exclude"));
  if (server.alarms.list().some((a) => !excluded.has(AlarmType[a.alarm] ?? ""))) return false;
  if (server.leaderId === 0n) return false;
  if (query.get("serializable") === "true") return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), HEALTH_CHECK_TIMEOUT_MS);
  });
  const read = server.linearizable().then(
    () => true,
    () => false,
  );
  const healthy = await Promise.race([read, timeout]);
  clearTimeout(timer);
  return healthy;
}

function healthHandler(server: EtcdServer): HttpHandler {
  return (req, res) => {
    if (!onlyGet(req, res)) return;
    const query = new URL(req.url ?? "/", "http://x").searchParams;
    void checkHealth(server, query).then((healthy) => {
      if (healthy) serverMetrics.healthSuccess.inc();
      else serverMetrics.healthFailures.inc();
      // Go's http.Error adds a newline and answers in text/plain; success is a bare body.
      if (healthy) sendJson(res, 200, `{"health":"true"}`);
      else sendText(res, 503, `{"health":"false"}`);
    });
  };
}

function versionHandler(server: EtcdServer): HttpHandler {
  return (req, res) => {
    if (!onlyGet(req, res)) return;
    const cluster = server.membership.clusterVersion ?? "not_decided";
    sendJson(res, 200, JSON.stringify({ etcdserver: server.etcdVersion, etcdcluster: cluster }));
  };
}

const metricsHandler: HttpHandler = (_req, res) => {
  void renderMetrics().then(({ contentType, body }) => {
    const r = res as { writeHead(s: number, h: Record<string, string>): void; end(b: string): void };
    r.writeHead(200, { "content-type": contentType });
    r.end(body);
  });
};

export function registerEtcdHttp(router: HttpRouter, server: EtcdServer): void {
  router.handle("/health", healthHandler(server));
  router.handle("/version", versionHandler(server));
  router.handle("/metrics", metricsHandler);
}

/** The routes a --listen-metrics-urls listener serves. */
export function registerMetricsOnly(router: HttpRouter, server: EtcdServer): void {
  router.handle("/health", healthHandler(server));
  router.handle("/metrics", metricsHandler);
}
