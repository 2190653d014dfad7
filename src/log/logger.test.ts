import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createLogger, type LogSettings } from "./logger.js";
import { memoryWriter } from "./memory.js";
import { LogOutputError } from "./outputs.js";

const clock = () => Date.UTC(2020, 5, 8, 10, 17, 22, 553) + 0.208;

function capture(settings: Partial<LogSettings> = {}) {
  const writer = memoryWriter();
  const log = createLogger(
    { logger: "zap", logLevel: "info", logOutputs: ["default"], ...settings },
    { writer, now: clock },
  );
  return { log, lines: writer.lines };
}

const thisFile = "log/logger.test.js";

test("zap - a line has level, ts, caller, msg, then the fields in order", () => {
  const { log, lines } = capture();
  log.info("configuring peer listeners", { "listen-peer-urls": ["http://127.0.0.1:2380"], n: 3 });
  assert.equal(lines.length, 1);
  const parsed = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.deepEqual(Object.keys(parsed), ["level", "ts", "caller", "msg", "listen-peer-urls", "n"]);
  assert.equal(parsed.level, "info");
  assert.match(parsed.ts as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d{4})$/);
  assert.match(parsed.caller as string, new RegExp(`^${thisFile.replace(".", "\\.")}:\\d+$`));
  assert.equal(parsed.msg, "configuring peer listeners");
  assert.deepEqual(parsed["listen-peer-urls"], ["http://127.0.0.1:2380"]);
});

test("zap - the caller is the line that logged, also through child loggers", () => {
  const { log, lines } = capture();
  const child = log.child("etcdserver");
  const line = Number(new Error().stack!.split("\n")[1]!.split(":").at(-2)) + 1;
  child.warn("slow");
  assert.equal((JSON.parse(lines[0]!) as { caller: string }).caller, `${thisFile}:${line}`);
});

test("zap - level names follow zap and notice is info", () => {
  const { log, lines } = capture({ logLevel: "debug" });
  log.debug("d");
  log.info("i");
  log.notice("n");
  log.warn("w");
  log.error("e");
  log.log("dpanic", "dp");
  assert.deepEqual(
    lines.map((l) => (JSON.parse(l) as { level: string }).level),
    ["debug", "info", "info", "warn", "error", "dpanic"],
  );
});

test("zap - errors, bigints and URLs are encoded as zap would", () => {
  const { log, lines } = capture();
  log.info("x", { error: new Error("boom"), id: 12345n, big: 2n ** 64n - 1n, url: new URL("http://a:1") });
  const parsed = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.equal(parsed.error, "boom");
  assert.equal(parsed.id, 12345);
  assert.equal(parsed.big, "18446744073709551615");
  assert.equal(parsed.url, "http://a:1/");
});

test("zap - nested bigints and cycles do not break a line", () => {
  const { log, lines } = capture();
  const cyclic: Record<string, unknown> = { n: 1n };
  cyclic.self = cyclic;
  log.info("x", { cyclic });
  assert.deepEqual((JSON.parse(lines[0]!) as { cyclic: unknown }).cyclic, { n: 1, self: "[Circular]" });
});

test("zap - error and above carry a stacktrace as the last key", () => {
  const { log, lines } = capture();
  log.error("failed", { a: 1 });
  const parsed = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.equal(Object.keys(parsed).at(-1), "stacktrace");
  assert.match(parsed.stacktrace as string, new RegExp(thisFile.replace(".", "\\.")));
});

test("zap - the level threshold drops lower lines and enabled() agrees", () => {
  const { log, lines } = capture({ logLevel: "warn" });
  log.debug("d");
  log.info("i");
  log.notice("n");
  log.warn("w");
  assert.deepEqual(
    lines.map((l) => (JSON.parse(l) as { msg: string }).msg),
    ["w"],
  );
  assert.equal(log.enabled("info"), false);
  assert.equal(log.enabled("warn"), true);
});

test("zap - --debug does not lower zap's level, as in etcd 3.4", () => {
  const { log, lines } = capture({ debug: true });
  log.debug("d");
  assert.equal(lines.length, 0);
});

test("zap - sampling keeps the first 100 repeats per second, then every 100th", () => {
  const { log, lines } = capture();
  for (let i = 0; i < 250; i++) log.info("same");
  log.info("other");
  assert.equal(lines.filter((l) => l.includes('"msg":"same"')).length, 101);
  assert.equal(lines.filter((l) => l.includes('"msg":"other"')).length, 1);
});

test("zap - sampling starts over each second", () => {
  let now = 1_000_000;
  const writer = memoryWriter();
  const log = createLogger({ logger: "zap", logLevel: "info", logOutputs: [] }, { writer, now: () => now });
  for (let i = 0; i < 150; i++) log.info("same");
  now += 1000;
  for (let i = 0; i < 150; i++) log.info("same");
  assert.equal(writer.lines.length, 200);
});

test("zap - panic writes the line then throws", () => {
  const { log, lines } = capture();
  assert.throws(() => log.panic("cannot go on", { why: "x" }), /cannot go on/);
  assert.equal((JSON.parse(lines[0]!) as { level: string }).level, "panic");
});

test("capnslog - a line is date time.micro, level letter, package and message", () => {
  const { log, lines } = capture({ logger: "capnslog" });
  log.child("etcdmain").info("etcd Version: 3.4.23");
  assert.match(lines[0]!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} I \| etcdmain: etcd Version: 3\.4\.23$/);
});

test("capnslog - level letters are capnslog's", () => {
  const { log, lines } = capture({ logger: "capnslog", logLevel: "debug" });
  const p = log.child("p");
  p.debug("m");
  p.info("m");
  p.notice("m");
  p.warn("m");
  p.error("m");
  p.log("dpanic", "m");
  assert.deepEqual(
    lines.map((l) => l.split(" ")[2]),
    ["D", "I", "N", "W", "E", "C"],
  );
});

test("capnslog - the capnslog text replaces msg and fields when given", () => {
  const { log, lines } = capture({ logger: "capnslog" });
  log
    .child("etcdserver")
    .info("starting etcd server", { "local-member-id": "ab" }, "starting server... [version: 3.4.23]");
  log.child("etcdserver").info("plain", { id: "ab", n: 2, words: "two words", list: ["a"] });
  assert.ok(lines[0]!.endsWith("I | etcdserver: starting server... [version: 3.4.23]"));
  assert.ok(lines[1]!.endsWith('I | etcdserver: plain id=ab n=2 words="two words" list=["a"]'));
});

test("capnslog - warn level hides notice and info", () => {
  const { log, lines } = capture({ logger: "capnslog", logLevel: "warn" });
  log.info("i");
  log.notice("n");
  log.warn("w");
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, / W \| w$/);
});

test("capnslog - package levels override the global level, * first", () => {
  const { log, lines } = capture({
    logger: "capnslog",
    logPackageLevels: "*=ERROR,etcdserver=DEBUG",
  });
  log.child("etcdmain").warn("hidden");
  log.child("etcdmain").error("shown");
  log.child("etcdserver").debug("shown too");
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /E \| etcdmain: shown$/);
  assert.match(lines[1]!, /D \| etcdserver: shown too$/);
});

test("capnslog - --debug turns on debug lines with the caller's file", () => {
  const { log, lines } = capture({ logger: "capnslog", debug: true });
  log.child("x").debug("d");
  assert.match(lines[0]!, /^\S+ \S+ \[logger\.test\.js:\d+\] D \| x: d$/);
});

test("capnslog - raft's lines look like Go's standard logger with the raft prefix", () => {
  const { log, lines } = capture({ logger: "capnslog" });
  log.child("raft").info("ec1314ea52838568 became leader at term 2");
  assert.match(
    lines[0]!,
    /^raft\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d INFO: ec1314ea52838568 became leader at term 2$/,
  );
});

test("outputs - a file output is created and appended to", () => {
  const dir = mkdtempSync(join(tmpdir(), "tetcd-log-"));
  try {
    const path = join(dir, "etcd.log");
    for (const word of ["one", "two"]) {
      const log = createLogger({ logger: "zap", logLevel: "info", logOutputs: [path] });
      log.info(word);
      log.flush();
    }
    const msgs = readFileSync(path, "utf8")
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { msg: string }).msg);
    assert.deepEqual(msgs, ["one", "two"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("outputs - an output that cannot be opened fails with zap's message", () => {
  assert.throws(
    () => createLogger({ logger: "zap", logLevel: "info", logOutputs: ["/nonexistent-dir/x.log"] }),
    (e: unknown) =>
      e instanceof LogOutputError &&
      e.message ===
        'open sink "/nonexistent-dir/x.log": open /nonexistent-dir/x.log: no such file or directory',
  );
});

test("outputs - several outputs each get every line", () => {
  const dir = mkdtempSync(join(tmpdir(), "tetcd-log-"));
  try {
    const a = join(dir, "a.log");
    const b = join(dir, "b.log");
    const log = createLogger({ logger: "zap", logLevel: "info", logOutputs: [a, b] });
    log.info("both");
    log.flush();
    assert.match(readFileSync(a, "utf8"), /"msg":"both"/);
    assert.match(readFileSync(b, "utf8"), /"msg":"both"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("fatal - writes the line to stderr and exits with status 1", () => {
  const script = `
    import { createLogger } from ${JSON.stringify(new URL("./logger.js", import.meta.url).href)};
    createLogger({ logger: "zap", logLevel: "info", logOutputs: ["stderr"] }).fatal("discovery failed", { error: "x" });
    console.log("not reached");`;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(run.status, 1);
  assert.equal(run.stdout, "");
  const parsed = JSON.parse(run.stderr.trim()) as Record<string, unknown>;
  assert.equal(parsed.level, "fatal");
  assert.equal(parsed.msg, "discovery failed");
});
