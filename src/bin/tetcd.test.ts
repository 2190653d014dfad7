import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { ServerConfig } from "../config/index.js";
import type { Logger } from "../log/index.js";
import { childEnv } from "../test/child-env.js";
import { runTetcd } from "./main.js";

const bin = fileURLToPath(new URL("./tetcd.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "tetcd-bin-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function tetcd(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    env: childEnv(env),
    cwd: dir,
  });
}

test("tetcd - --version prints etcd's version block and exits 0", () => {
  const run = tetcd(["--version"], { ETCD_EMULATED_ETCD_VERSION: "3.4.23" });
  assert.equal(run.status, 0);
  assert.match(run.stdout, /^etcd Version: 3\.4\.23\n/);
  assert.match(run.stdout, /tetcd Version: /);
});

test("tetcd - --help prints usage to stderr, the flags to stdout, exits 0", () => {
  const run = tetcd(["--help"]);
  assert.equal(run.status, 0);
  assert.match(run.stderr, /^Usage:/);
  assert.match(run.stdout, /\n {2}--initial-cluster-token 'etcd-cluster'\n/);
});

test("tetcd - an unknown flag is named, the usage follows, exit 2", () => {
  const run = tetcd(["--foo"]);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /^flag provided but not defined: -foo\nUsage:/);
  assert.equal(run.stdout, "");
});

test("tetcd - an invalid configuration is logged as etcd logs it, exit 1", () => {
  const zap = tetcd(["--election-timeout", "300"]);
  assert.equal(zap.status, 1);
  const line = JSON.parse(zap.stderr.trim().split("\n").at(-1)!) as Record<string, unknown>;
  assert.equal(line.level, "warn");
  assert.equal(line.msg, "failed to verify flags");
  assert.equal(
    line.error,
    "--election-timeout[300ms] should be at least as 5 times as --heartbeat-interval[100ms]",
  );

  const capnslog = tetcd(["--logger", "capnslog", "--election-timeout", "300"]);
  assert.equal(capnslog.status, 1);
  assert.match(
    capnslog.stderr,
    / E \| etcdmain: error verifying flags, --election-timeout\[300ms\] should be at least as 5 times as --heartbeat-interval\[100ms\]\. See 'tetcd --help'\.\n$/,
  );
});

test("tetcd - a variable shadowed by a flag is fatal, exit 1", () => {
  const run = tetcd(["--name", "a"], { ETCD_NAME: "b" });
  assert.equal(run.status, 1);
  assert.match(run.stderr, / C \| pkg\/flags: conflicting environment variable "ETCD_NAME" is shadowed/);
});

test("tetcd - etcd's gateway and grpc-proxy commands are refused, exit 1", () => {
  const run = tetcd(["grpc-proxy", "start"]);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /grpc-proxy/);
});

test("tetcd - a valid configuration reaches startMember with the logger, after the early notices", async () => {
  const log = join(dir, "etcd.log");
  let seen: { config: ServerConfig; logger: Logger } | undefined;
  const status = await runTetcd(
    ["--name", "m1", "--data-dir", join(dir, "m1"), "--log-outputs", log, "--enable-pprof"],
    async (config, logger) => {
      seen = { config, logger };
      logger.info("member started");
    },
    { env: { ETCD_FOO: "1" }, defaultHost: () => ({ error: "could not find default route" }) },
  );
  assert.equal(status, 0);
  assert.equal(seen?.config.name, "m1");
  assert.equal(seen?.logger.format, "zap");
  const msgs = readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .map((l) => (JSON.parse(l) as { msg: string }).msg);
  assert.deepEqual(msgs, [
    "unrecognized environment variable",
    "failed to detect default host",
    "flag is accepted but not implemented by tetcd yet; ignoring it",
    "member started",
  ]);
});

test("tetcd - a member that fails to start exits 1", async () => {
  const log = join(dir, "fail.log");
  const status = await runTetcd(
    ["--data-dir", join(dir, "m2"), "--log-outputs", log],
    async () => {
      throw new Error("cannot bind");
    },
    { env: {}, defaultHost: () => ({ host: "10.0.0.1" }) },
  );
  assert.equal(status, 1);
  const last = JSON.parse(readFileSync(log, "utf8").trim().split("\n").at(-1)!) as Record<string, unknown>;
  assert.equal(last.level, "fatal");
  assert.equal(last.error, "cannot bind");
});
