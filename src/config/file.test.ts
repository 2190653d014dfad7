import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { configOf, errorOf, noticesOf, outcome, texts } from "./testkit.js";

const SAMPLE = "/usr/share/gocode/src/go.etcd.io/etcd/etcd.conf.yml.sample";
const dir = mkdtempSync(join(tmpdir(), "tetcd-config-"));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(yaml: string): string {
  const path = join(dir, `etcd-${n++}.yml`);
  writeFileSync(path, yaml);
  return path;
}

test("file - etcd's sample configuration loads", () => {
  const c = configOf(["--config-file", SAMPLE]);
  assert.equal(c.configFile, SAMPLE);
  assert.equal(c.name, "default");
  assert.equal(c.dataDir, "default.tetcd");
  assert.equal(c.snapshotCount, 10000);
  assert.equal(c.heartbeatIntervalMs, 100);
  assert.equal(c.electionTimeoutMs, 1000);
  assert.equal(c.initialCluster, "default=http://localhost:2380");
  assert.equal(c.strictReconfigCheck, false);
  assert.equal(c.enableV2, true);
  assert.equal(c.enablePprof, true);
  assert.equal(c.logger, "zap");
  assert.deepEqual(c.logOutputs, ["stderr"]);
  assert.deepEqual(c.autoCompaction, { mode: "periodic", retentionMs: 3_600_000 });
  assert.deepEqual(c.cors, ["*"]);
  assert.equal(c.proxy, "off");
  assert.equal(c.clientTls.configured, false);
});

test("file - loading is announced and flags and variables are ignored", () => {
  const path = file("name: from-file\n");
  const o = outcome(["--config-file", path, "--name", "from-flag"], { ETCD_INITIAL_CLUSTER_TOKEN: "env" });
  assert.equal(o.kind, "run");
  if (o.kind !== "run") return;
  assert.equal(o.config.name, "from-file");
  assert.equal(o.config.initialClusterToken, "etcd-cluster");
  assert.ok(
    texts(o.notices).includes(
      `Loading server configuration from "${path}". Other configuration command line flags and environment variables will be ignored if provided.`,
    ),
  );
  assert.ok(!texts(o.notices).some((t) => t.includes("recognized")));
});

test("file - ETCD_EMULATED_ETCD_VERSION still applies with a config file", () => {
  const path = file("name: a\n");
  assert.equal(
    configOf(["--config-file", path], { ETCD_EMULATED_ETCD_VERSION: "3.4.23" }).emulatedEtcdVersion,
    "3.4.23",
  );
  assert.equal(
    configOf(["--config-file", file("emulated-etcd-version: 3.4.22\n")]).emulatedEtcdVersion,
    "3.4.22",
  );
});

test("file - keys are flag names, matched regardless of case", () => {
  const c = configOf([
    "--config-file",
    file(
      [
        "Name: n1",
        "data-dir: /data",
        "listen-client-urls: http://127.0.0.1:1,http://127.0.0.2:1",
        "advertise-client-urls: http://127.0.0.1:1",
        "initial-cluster: n1=http://localhost:2380",
        "max-request-bytes: 100",
        "quota-backend-bytes: -1",
        "unknown-key: ignored",
        "log-level: debug",
        "cipher-suites: [TLS_A, TLS_B]",
        "host-whitelist: a.com,b.com",
      ].join("\n"),
    ),
  ]);
  assert.equal(c.name, "n1");
  assert.equal(c.dataDir, "/data");
  assert.deepEqual(
    c.listenClientUrls.map((u) => u.href),
    ["http://127.0.0.1:1", "http://127.0.0.2:1"],
  );
  assert.equal(c.maxRequestBytes, 100);
  assert.equal(c.quotaBackendBytes, -1);
  assert.equal(c.logLevel, "debug");
  assert.deepEqual(c.cipherSuites, ["TLS_A", "TLS_B"]);
  assert.deepEqual(c.hostWhitelist, ["a.com", "b.com"]);
});

test("file - durations are Go's nanoseconds, and duration text is accepted too", () => {
  const c = configOf([
    "--config-file",
    file(
      "grpc-keepalive-min-time: 10000000000\ngrpc-keepalive-interval: 1h\nexperimental-warning-apply-duration: 200ms\n",
    ),
  ]);
  assert.equal(c.grpcKeepAliveMinTimeMs, 10_000);
  assert.equal(c.grpcKeepAliveIntervalMs, 3_600_000);
  assert.equal(c.experimentalWarningApplyDurationMs, 200);
});

test("file - TLS settings come from the transport-security blocks", () => {
  const c = configOf([
    "--config-file",
    file(
      [
        "cert-file: ignored-at-top-level",
        "client-transport-security:",
        "  cert-file: c.pem",
        "  key-file: k.pem",
        "  client-cert-auth: true",
        "  trusted-ca-file: ca.pem",
        "peer-transport-security:",
        "  auto-tls: true",
      ].join("\n"),
    ),
  ]);
  assert.equal(c.clientTls.certFile, "c.pem");
  assert.equal(c.clientTls.keyFile, "k.pem");
  assert.equal(c.clientTls.clientCertAuth, true);
  assert.equal(c.clientTls.trustedCaFile, "ca.pem");
  assert.equal(c.peerTls.autoTls, true);
  assert.equal(c.peerTls.certFile, "");
});

test("file - etcd 3.4's embed defaults: no gateway, empty compaction mode", () => {
  const c = configOf(["--config-file", file("name: a\n")]);
  assert.equal(c.enableGrpcGateway, false);
  assert.equal(c.autoCompactionMode, "");
  assert.deepEqual(c.autoCompaction, { mode: "periodic", retentionMs: 0 });
  assert.ok(
    !texts(noticesOf(["--config-file", file("name: a\n")])).some((t) => t.includes("--enable-grpc-gateway")),
  );
  assert.equal(configOf(["--config-file", file("enable-grpc-gateway: true\n")]).enableGrpcGateway, true);
});

test("file - discovery clears the default initial cluster", () => {
  const c = configOf(["--config-file", file("discovery: https://discovery.etcd.io/x\n")]);
  assert.equal(c.initialCluster, "");
  assert.equal(c.discovery, "https://discovery.etcd.io/x");
});

test("file - errors carry etcd's messages", () => {
  // Each message was taken from etcd 3.4.23 given the same file.
  assert.equal(
    errorOf(["--config-file", file("heartbeat-interval: abc\n")]),
    "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field configYAML.heartbeat-interval of type uint",
  );
  assert.equal(
    errorOf(["--config-file", file("name: [a]\n")]),
    "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field configYAML.name of type string",
  );
  assert.match(errorOf(["--config-file", file("a: b: c\n")]), /^error converting YAML to JSON: yaml: /);
  assert.equal(
    errorOf(["--config-file", join(dir, "missing.yml")]),
    `open ${join(dir, "missing.yml")}: no such file or directory`,
  );
  assert.equal(
    errorOf(["--config-file", file("listen-client-urls: foo\n")]),
    "unexpected error setting up listen-client-urls: URL scheme must be http, https, unix, or unixs: foo",
  );
  assert.equal(
    errorOf(["--config-file", file("advertise-client-urls: foo\n")]),
    "unexpected error setting up advertise-peer-urls: URL scheme must be http, https, unix, or unixs: foo",
  );
  assert.equal(
    errorOf(["--config-file", file("proxy: foo\n")]),
    "unexpected error setting up proxyFlag: invalid value",
  );
  assert.equal(
    errorOf(["--config-file", file("initial-cluster-state: foo\n")]),
    'unexpected clusterState "foo"',
  );
  assert.equal(
    errorOf(["--config-file", file("heartbeat-interval: 500\n")]),
    "--election-timeout[1000ms] should be at least as 5 times as --heartbeat-interval[500ms]",
  );
});

test("file - a bad URL is reported raw on stderr, as etcd prints it", () => {
  const o = outcome(["--config-file", file("listen-peer-urls: foo\n")]);
  assert.ok(o.kind === "invalid" && o.error.report?.kind === "stderr");
});

test("file - logging and compaction checks that only a file can reach", () => {
  assert.equal(
    errorOf(["--config-file", file("log-outputs: []\nlog-output: []\n")]),
    "either '--log-output' or '--log-outputs' flag must be set",
  );
  assert.equal(
    errorOf(["--config-file", file("log-outputs: [systemd/journal, stderr]\n")]),
    `running with systemd/journal but other '--log-outputs' values (["systemd/journal" "stderr"]) are configured with 'default'; override 'default' value with something else`,
  );
  assert.equal(
    errorOf(["--config-file", file("auto-compaction-retention: 5m\n")]),
    "unsupported compaction mode ",
  );
});
