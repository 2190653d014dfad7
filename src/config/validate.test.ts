import assert from "node:assert/strict";
import { test } from "node:test";
import { configOf, errorOf, noticesOf, outcome, texts } from "./testkit.js";

test("validate - every check fails with etcd's message", () => {
  // Each message was taken from etcd 3.4.23 given the same arguments.
  const cases: [string[], string][] = [
    [
      ["--election-timeout", "300"],
      "--election-timeout[300ms] should be at least as 5 times as --heartbeat-interval[100ms]",
    ],
    [
      ["--election-timeout", "60000"],
      "--election-timeout[60000ms] is too long, and should be set less than 50000ms",
    ],
    [["--heartbeat-interval", "0"], "--heartbeat-interval must be >0 (set to 0ms)"],
    [["--election-timeout", "0"], "--election-timeout must be >0 (set to 0ms)"],
    [
      ["--listen-client-urls", "http://127.0.0.1:41379"],
      "--advertise-client-urls is required when --listen-client-urls is set explicitly",
    ],
    [
      ["--discovery", "http://x", "--initial-cluster", "a=http://localhost:2380"],
      'multiple discovery or bootstrap flags are set. Choose one of "initial-cluster", "discovery" or "discovery-srv"',
    ],
    [["--logger", "foo"], 'unknown logger option "foo"'],
    [["--auto-compaction-mode", "foo"], 'unknown auto-compaction-mode "foo"'],
    [
      ["--auto-compaction-retention", "abc"],
      'error parsing CompactionRetention: time: invalid duration "abc"',
    ],
    [
      ["--listen-client-urls", "http://example.com:41379", "--advertise-client-urls", "http://127.0.0.1:1"],
      "expected IP in URL for binding (http://example.com:41379)",
    ],
    [
      ["--listen-peer-urls", "http://example.com:2380"],
      "expected IP in URL for binding (http://example.com:2380)",
    ],
    [
      ["--listen-metrics-urls", "http://example.com:2381"],
      "expected IP in URL for binding (http://example.com:2381)",
    ],
    [
      ["--advertise-client-urls", "http://:41379"],
      '--advertise-client-urls "http://:41379" must be "host:port" (unexpected empty host (http://:41379))',
    ],
    [
      ["--initial-advertise-peer-urls", "http://:2380"],
      '--initial-advertise-peer-urls "http://:2380" must be "host:port" (unexpected empty host (http://:2380))',
    ],
    [
      ["--log-outputs", "stdout,stderr", "--logger", "capnslog"],
      `--logger=capnslog supports only 1 value in '--log-outputs', got ["stderr" "stdout"]`,
    ],
    [
      ["--log-outputs", "/tmp/x.log", "--logger", "capnslog"],
      'unknown log-output "/tmp/x.log" (only supports "default", "stderr", "stdout")',
    ],
    [["--log-outputs", "stdout,default"], 'multi logoutput for "default" is not supported yet'],
    [
      ["--log-output", "stderr", "--log-outputs", "stderr"],
      `'--log-output=["stderr"]' and '--log-outputs=["stderr"]' are incompatible; only set --log-outputs`,
    ],
    [
      ["--log-output", "a,b", "--log-outputs", "c,d"],
      "both '--log-output' and '--log-outputs' are set; only set '--log-outputs'",
    ],
    [
      ["--experimental-enable-lease-checkpoint-persist"],
      "setting experimental-enable-lease-checkpoint-persist requires experimental-enable-lease-checkpoint",
    ],
    [["--log-level", "foo"], 'unknown level "foo"'],
    [["--initial-cluster", "a"], "URL scheme must be http, https, unix, or unixs: "],
  ];
  for (const [args, message] of cases) assert.equal(errorOf(args), message, args.join(" "));
});

test("validate - a member that may become a v2 proxy needs no advertise URLs", () => {
  const c = configOf(["--listen-client-urls", "http://127.0.0.1:1", "--proxy", "on"]);
  assert.deepEqual(
    c.advertiseClientUrls.map((u) => u.href),
    ["http://localhost:2379"],
  );
});

test("validate - discovery replaces the default initial cluster", () => {
  assert.equal(configOf(["--discovery", "https://d/x"]).initialCluster, "");
  assert.equal(configOf(["--discovery-srv", "example.com"]).initialCluster, "");
  assert.equal(configOf(["--discovery-srv", "example.com"]).initialClusterMembers.size, 0);
});

test("validate - the unset-advertise error reports etcd's hint", () => {
  const o = outcome(["--listen-client-urls", "http://127.0.0.1:1"]);
  assert.equal(o.kind, "invalid");
});

test("validate - deprecated logging flags print etcd's raw warnings", () => {
  const t = texts(noticesOf(["--logger", "capnslog", "--debug", "--log-package-levels", "etcdserver=DEBUG"]));
  assert.ok(
    t.includes("[WARNING] Deprecated '--logger=capnslog' flag is set; use '--logger=zap' flag instead"),
  );
  assert.ok(
    t.includes("[WARNING] Deprecated '--debug' flag is set to true (use '--log-level=debug' instead"),
  );
  assert.ok(
    t.includes(
      "[WARNING] Deprecated '--debug' flag is set to true with inconsistent '--log-level=info' flag",
    ),
  );
  assert.ok(
    t.includes(
      "[WARNING] Deprecated '--log-package-levels=etcdserver=DEBUG' flag is set; use '--logger=zap' flag instead",
    ),
  );
});

test("validate - --log-output alone is taken over by --log-outputs with a warning", () => {
  assert.deepEqual(configOf(["--log-output", "stderr,stdout"]).logOutputs, ["stderr", "stdout"]);
  const c = configOf(["--log-output", "stderr,/tmp/x.log"]);
  assert.deepEqual(c.logOutputs, ["/tmp/x.log", "stderr"]);
  assert.ok(
    texts(noticesOf(["--log-output", "stderr,/tmp/x.log"])).includes(
      "'--log-output' flag has been deprecated! Please use '--log-outputs'!",
    ),
  );
  const single = texts(noticesOf(["--log-output", "stderr"]));
  assert.ok(single.includes(`[WARNING] Deprecated '--log-output' flag is set to ["stderr"]`));
  assert.ok(single.includes("Please use '--log-outputs' flag"));
});

test("validate - malformed package levels warn and leave levels alone", () => {
  const t = texts(noticesOf(["--logger", "capnslog", "--log-package-levels", "bad"]));
  assert.ok(
    t.includes(
      "couldn't parse log level string: oddly structured `pkg=level` option: bad, continuing with default levels",
    ),
  );
});

test("validate - lease checkpointing without persistence warns", () => {
  assert.ok(
    texts(noticesOf(["--experimental-enable-lease-checkpoint"])).includes(
      "Detected that checkpointing is enabled without persistence. Consider enabling experimental-enable-lease-checkpoint-persist",
    ),
  );
});

test("validate - errors before logging is set up are reported through capnslog", () => {
  const early = outcome(["--logger", "zap", "--log-outputs", "stdout,default"]);
  assert.ok(early.kind === "invalid" && early.log.logger === "capnslog");
  const late = outcome(["--logger", "zap", "--election-timeout", "300"]);
  assert.ok(late.kind === "invalid" && late.log.logger === "zap");
});
