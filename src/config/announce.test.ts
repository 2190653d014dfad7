import assert from "node:assert/strict";
import { test } from "node:test";
import { createLogger, type LogFormat, memoryWriter } from "../log/index.js";
import { logServerStarting } from "./announce.js";
import { emitNotices } from "./notices.js";
import { configOf, noticesOf } from "./testkit.js";

function capture(format: LogFormat) {
  const writer = memoryWriter();
  return {
    log: createLogger({ logger: format, logLevel: "info", logOutputs: [] }, { writer }),
    lines: writer.lines,
  };
}

const tail = (line: string) => line.split(" ").slice(2).join(" ");

test("announce - capnslog start lines are etcd 3.4's embed lines", () => {
  const { log, lines } = capture("capnslog");
  const config = configOf(["--data-dir", "/d", "--wal-dir", "/w", "--election-timeout", "1050"]);
  logServerStarting(log, config, true);
  assert.deepEqual(lines.map(tail), [
    "I | embed: name = default",
    "I | embed: data dir = /d",
    "I | embed: member dir = /d/member",
    "I | embed: dedicated WAL dir = /w",
    "I | embed: heartbeat = 100ms",
    "I | embed: election = 1000ms",
    "I | embed: snapshot count = 100000",
    "I | embed: advertise client URLs = http://localhost:2379",
    "I | embed: initial advertise peer URLs = http://localhost:2380",
    "I | embed: initial cluster = default=http://localhost:2380",
  ]);
});

test("announce - the zap start line carries etcd's fields", () => {
  const { log, lines } = capture("zap");
  logServerStarting(log, configOf(["--data-dir", "/d"]), false);
  assert.equal(lines.length, 1);
  const line = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.equal(line.msg, "starting an etcd server");
  assert.match(line.caller as string, /^config\/announce\.test\.js:\d+$/);
  assert.equal(line["etcd-version"], "3.4.31");
  assert.equal(line["member-initialized"], false);
  assert.equal(line["data-dir"], "/d");
  assert.equal(line["wal-dir"], "");
  assert.equal(line["member-dir"], "/d/member");
  assert.equal(line["heartbeat-interval"], "100ms");
  assert.equal(line["election-timeout"], "1s");
  assert.deepEqual(line["listen-client-urls"], ["http://localhost:2379"]);
  assert.equal(line["initial-cluster"], "default=http://localhost:2380");
  assert.equal(line["quota-backend-bytes"], 2147483648);
  assert.equal(line["max-concurrent-streams"], 4294967295);
  assert.equal(line["auto-compaction-retention"], "0s");
});

test("announce - the version banner is logged in capnslog only, as etcd 3.4 does", () => {
  const notices = noticesOf(["--data-dir", "/d"]);
  const zap = capture("zap");
  emitNotices(notices, zap.log);
  assert.ok(!zap.lines.some((l) => l.includes("etcd Version")));
  const capnslog = capture("capnslog");
  emitNotices(notices, capnslog.log);
  const shown = capnslog.lines.map(tail);
  assert.ok(shown.includes("I | etcdmain: etcd Version: 3.4.31"));
  assert.ok(shown.some((l) => /^I \| etcdmain: setting maximum number of CPUs to \d+/.test(l)));
  assert.ok(
    shown.indexOf("I | etcdmain: etcd Version: 3.4.31") <
      shown.indexOf("N | etcdmain: failed to detect default host (could not find default route)"),
  );
});
