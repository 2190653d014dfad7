import assert from "node:assert/strict";
import { test } from "node:test";
import {
  authMetrics,
  diskMetrics,
  leaseMetrics,
  METRICS_CONTENT_TYPE,
  mvccMetrics,
  networkMetrics,
  renderMetrics,
  serverMetrics,
  setClusterVersion,
  setServerId,
  setServerVersion,
} from "./index.js";

async function page(): Promise<string> {
  return (await renderMetrics()).body;
}

test("metrics - the lines etcd's e2e metrics test looks for", async () => {
  setServerVersion("3.4.23");
  setClusterVersion("3.4");
  mvccMetrics.put.inc();
  mvccMetrics.put.inc();
  mvccMetrics.delete.inc(3);
  mvccMetrics.keys.set(1);
  const body = await page();
  for (const line of [
    "etcd_mvcc_put_total 2",
    "etcd_debugging_mvcc_put_total 2",
    "etcd_debugging_mvcc_keys_total 1",
    "etcd_mvcc_delete_total 3",
    'etcd_server_version{server_version="3.4.23"} 1',
    'etcd_cluster_version{cluster_version="3.4"} 1',
  ]) {
    assert.ok(body.split("\n").includes(line), line);
  }
});

test("metrics - version and ID gauges keep one series each", async () => {
  setServerVersion("3.4.30");
  setServerVersion("3.4.31");
  setServerId(0x00ec1314ea52838568n);
  const body = await page();
  assert.ok(!body.includes('server_version="3.4.30"'));
  assert.ok(body.includes('etcd_server_version{server_version="3.4.31"} 1'));
  assert.ok(body.includes('etcd_server_id{server_id="ec1314ea52838568"} 1'));
});

test("metrics - reported gauges read their source at scrape time", async () => {
  let size = 4096;
  mvccMetrics.dbTotalSizeInBytes.report(() => size);
  authMetrics.revision.report(() => 7);
  assert.ok((await page()).includes("etcd_mvcc_db_total_size_in_bytes 4096\n"));
  size = 8192;
  const body = await page();
  assert.ok(body.includes("etcd_mvcc_db_total_size_in_bytes 8192\n"));
  assert.ok(body.includes("etcd_debugging_mvcc_db_total_size_in_bytes 8192\n"));
  assert.ok(body.includes("etcd_debugging_auth_revision 7\n"));
});

test("metrics - reported counters read their running total at scrape time", async () => {
  let sent = 0;
  networkMetrics.clientGrpcSentBytes.report(() => sent);
  assert.ok((await page()).includes("etcd_network_client_grpc_sent_bytes_total 0\n"));
  sent = 1234;
  const body = await page();
  assert.ok(body.includes("# TYPE etcd_network_client_grpc_sent_bytes_total counter\n"));
  assert.ok(body.includes("etcd_network_client_grpc_sent_bytes_total 1234\n"));
  assert.ok(body.includes("etcd_network_client_grpc_received_bytes_total 0\n"));
});

test("metrics - histograms use etcd's buckets", async () => {
  diskMetrics.walFsyncSeconds.observe(0.0015);
  leaseMetrics.ttl.observe(60);
  serverMetrics.proposalsCommitted.set(12);
  const body = await page();
  assert.ok(body.includes('etcd_disk_wal_fsync_duration_seconds_bucket{le="0.001"} 0\n'));
  assert.ok(body.includes('etcd_disk_wal_fsync_duration_seconds_bucket{le="0.002"} 1\n'));
  assert.ok(body.includes('etcd_disk_wal_fsync_duration_seconds_bucket{le="8.192"} 1\n'));
  assert.ok(body.includes('etcd_debugging_lease_ttl_total_bucket{le="8.388608e+06"} 1\n'));
  assert.ok(body.includes("etcd_server_proposals_committed_total 12\n"));
});

test("metrics - the page includes process metrics and counts its own scrapes", async () => {
  const first = await renderMetrics();
  assert.equal(first.contentType, METRICS_CONTENT_TYPE);
  const before = Number(/promhttp_metric_handler_requests_total\{code="200"\} (\d+)/.exec(first.body)![1]);
  const second = await page();
  assert.ok(second.includes(`promhttp_metric_handler_requests_total{code="200"} ${before + 1}\n`));
  assert.ok(second.includes("promhttp_metric_handler_requests_in_flight 1\n"));
  for (const name of [
    "process_cpu_seconds_total",
    "process_start_time_seconds",
    "process_resident_memory_bytes",
    "os_fd_used",
  ]) {
    assert.match(second, new RegExp(`\\n${name} \\S+\\n`), name);
  }
});
