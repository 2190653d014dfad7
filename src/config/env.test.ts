import assert from "node:assert/strict";
import { test } from "node:test";
import { flagToEnv } from "./env.js";
import { FLAGS } from "./flags.js";
import { configOf, errorOf, noticesOf, outcome, texts } from "./testkit.js";

test("env - every flag maps to ETCD_ and its name in upper case with underscores", () => {
  assert.equal(flagToEnv("initial-cluster-token"), "ETCD_INITIAL_CLUSTER_TOKEN");
  assert.equal(
    flagToEnv("experimental-watch-progress-notify-interval"),
    "ETCD_EXPERIMENTAL_WATCH_PROGRESS_NOTIFY_INTERVAL",
  );
  const names = new Set(FLAGS.map((f) => flagToEnv(f.name)));
  assert.equal(names.size, FLAGS.length, "no two flags share a variable");
});

test("env - variables set flags the command line left alone", () => {
  const c = configOf([], {
    ETCD_INITIAL_CLUSTER_TOKEN: "tok",
    ETCD_ENABLE_V2: "true",
    ETCD_HEARTBEAT_INTERVAL: "200",
    ETCD_ELECTION_TIMEOUT: "2000",
    ETCD_LISTEN_CLIENT_URLS: "http://127.0.0.1:1",
    ETCD_ADVERTISE_CLIENT_URLS: "http://127.0.0.1:1",
  });
  assert.equal(c.initialClusterToken, "tok");
  assert.equal(c.enableV2, true);
  assert.equal(c.electionTicks, 10);
  assert.equal(c.listenClientUrls[0]!.href, "http://127.0.0.1:1");
});

test("env - each variable used is noted as etcd notes it", () => {
  assert.ok(
    texts(noticesOf([], { ETCD_NAME: "n1" })).includes(
      "recognized and used environment variable ETCD_NAME=n1",
    ),
  );
});

test("env - an empty variable is not used", () => {
  assert.equal(configOf([], { ETCD_NAME: "" }).name, "default");
});

test("env - a variable shadowed by a command-line flag is fatal, as in etcd", () => {
  const o = outcome(["--name", "a"], { ETCD_NAME: "b" });
  assert.equal(o.kind, "invalid");
  if (o.kind !== "invalid") return;
  const report = o.error.report;
  assert.ok(report?.kind === "log");
  assert.equal(report.level, "fatal");
  assert.equal(
    report.text,
    'conflicting environment variable "ETCD_NAME" is shadowed by corresponding command-line flag (either unset environment variable or disable flag)',
  );
  assert.equal(report.msg.startsWith("conflicting environment variable is shadowed"), true);
});

test("env - an ETCD_ variable no flag claims is warned about", () => {
  assert.ok(texts(noticesOf([], { ETCD_FOO: "1" })).includes("unrecognized environment variable ETCD_FOO=1"));
  assert.ok(!texts(noticesOf([], { OTHER: "1", ETCDCTL_API: "3" })).some((t) => t.includes("unrecognized")));
});

test("env - tetcd's ETCD_EMULATED_ETCD_VERSION is a recognized variable", () => {
  const notices = texts(noticesOf([], { ETCD_EMULATED_ETCD_VERSION: "3.4.23" }));
  assert.ok(!notices.some((t) => t.includes("unrecognized")));
  assert.equal(configOf([], { ETCD_EMULATED_ETCD_VERSION: "3.4.23" }).emulatedEtcdVersion, "3.4.23");
});

test("env - a bad value names the variable", () => {
  assert.equal(
    errorOf([], { ETCD_ELECTION_TIMEOUT: "abc" }),
    'invalid value "abc" for ETCD_ELECTION_TIMEOUT: parse error',
  );
  assert.equal(
    errorOf([], { ETCD_ENABLE_V2: "maybe" }),
    'invalid value "maybe" for ETCD_ENABLE_V2: parse error',
  );
});

test("env - variables count as set flags for etcd's checks", () => {
  assert.equal(
    errorOf([], { ETCD_LISTEN_CLIENT_URLS: "http://127.0.0.1:1" }),
    "--advertise-client-urls is required when --listen-client-urls is set explicitly",
  );
});

test("env - ETCD_CONFIG_FILE names the config file", () => {
  const o = outcome([], { ETCD_CONFIG_FILE: "/nonexistent/etcd.yml" });
  assert.equal(o.kind, "invalid");
  if (o.kind === "invalid")
    assert.equal(o.error.message, "open /nonexistent/etcd.yml: no such file or directory");
});
