// etcdctl compatibility: every step runs through the real etcdctl 3.4 and through
// tetcdctl, each against a fresh server with the same ports and the same history, and
// must give the same stdout, stderr and exit code. Select the server with
// TETCD_COMPAT_SERVER (see etcd-server.ts) and the reference with TETCD_COMPAT_ETCDCTL.
//
// Normalized, because they differ by nature between two runs (and only these):
// - timestamps in clientv3/zap and capnslog log lines, and clientv3's random client UUID;
// - "took" durations (endpoint health, snapshot save) and snapshot sizes in logs;
// - lease IDs (time-based) and new member IDs (random): captured per run, replaced by a name;
//   the session leases behind `lock` and `elect` keys (`name/<lease hex>`) likewise;
// - remaining lease TTLs, which depend on the second the command ran in;
// - the database's sizes (endpoint status), which move with background commits (bbolt's
//   file grows when its 100 ms commit timer fires, so two fresh runs can differ);
// - the order of members (sorted by ID, and a new member's ID is random).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { EtcdServer, freePort, freePorts, type Ports } from "./etcd-server.js";

const ETCDCTL = process.env.TETCD_COMPAT_ETCDCTL ?? "/usr/bin/etcdctl";
const TETCDCTL = new URL("../bin/tetcdctl.js", import.meta.url).pathname;

interface Step {
  args: string[];
  stdin?: string;
  env?: Record<string, string>;
  /**
   * Commands that run until stopped get SIGTERM once stdout holds this many lines (stdin,
   * if any, then stays open), so a slow machine cannot cut their output short.
   */
  stopAfterLines?: number;
  /** Or, for a command that prints nothing while it runs, after this many ms. */
  stopAfterMs?: number;
  /** Remember a value from stdout for later steps ({NAME} in arguments). */
  capture?: { name: string; re: RegExp; kind: "lease" | "member"; decimal?: boolean };
  /** Output that depends on the clock (lease TTLs) is compared without it. */
  ttl?: boolean;
  /** Keys named after a session lease (lock, elect) are compared without the lease ID. */
  sessionKeys?: boolean;
  /** Members are listed by ID, and a new member's ID is random: compare them in name order. */
  memberOrder?: boolean;
  /** The table's "took" column width depends on the duration. */
  tookTable?: boolean;
}

interface Result {
  stdout: Buffer;
  stderr: string;
  code: number | null;
}

function runCli(bin: string, step: Step, vars: Map<string, string>): Promise<Result> {
  const sub = (s: string) => s.replace(/\{([A-Z]+)\}/g, (m, k: string) => vars.get(k) ?? m);
  const args = step.args.map(sub);
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", ETCDCTL_API: "3" };
  for (const [k, v] of Object.entries(step.env ?? {})) env[k] = sub(v);
  const [cmd, argv] = bin.endsWith(".js") ? [process.execPath, [bin, ...args]] : [bin, args];
  return new Promise((resolve) => {
    const p = spawn(cmd, argv, { env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let lines = 0;
    p.stdout.on("data", (d: Buffer) => {
      out.push(d);
      for (const byte of d) if (byte === 0x0a) lines++;
      if (step.stopAfterLines !== undefined && lines >= step.stopAfterLines) p.kill("SIGTERM");
    });
    p.stderr.on("data", (d: Buffer) => err.push(d));
    p.stdin.on("error", () => undefined);
    if (step.stopAfterLines === undefined) p.stdin.end(step.stdin ?? "");
    else p.stdin.write(step.stdin ?? "");
    const timers = [
      step.stopAfterMs !== undefined ? setTimeout(() => p.kill("SIGTERM"), step.stopAfterMs) : undefined,
      setTimeout(() => p.kill("SIGKILL"), 30_000),
    ];
    p.on("close", (code) => {
      for (const t of timers) if (t) clearTimeout(t);
      resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8"), code });
    });
  });
}

/** Sorts the objects of a JSON "members" array (they hold no nested objects). */
function sortMembers(s: string): string {
  const start = s.indexOf('"members":[');
  if (start === -1) return s;
  let depth = 0;
  let end = start + '"members":'.length;
  for (; end < s.length; end++) {
    if (s[end] === "[") depth++;
    else if (s[end] === "]" && --depth === 0) break;
  }
  const inner = s.slice(start + '"members":['.length, end);
  const items = inner.match(/\{[^{}]*\}/g) ?? [];
  return `${s.slice(0, start)}"members":[${items.sort().join(",")}]${s.slice(end + 1)}`;
}

/**
 * A Go duration as etcdctl prints it. Stdout is decoded as latin1 (values are bytes), so
 * there the UTF-8 "µ" of microseconds reads as "Âµ"; stderr is decoded as UTF-8.
 */
const DURATION = "[0-9.]+(?:ns|Âµs|µs|ms|s|m[0-9.]+s|h[0-9]+m[0-9.]+s)";

/** Replaces what differs by nature between two runs (see the header comment). */
function normalize(r: Result, vars: Map<string, string>, kinds: Map<string, string>, step: Step) {
  let stdout = r.stdout.toString("latin1");
  let stderr = r.stderr;
  const both = (f: (s: string) => string) => {
    stdout = f(stdout);
    stderr = f(stderr);
  };
  both((s) =>
    s
      .replace(/"ts":"[^"]*"/g, '"ts":"T"')
      .replace(/"ts":[0-9.e+]+/g, '"ts":T')
      .replace(/client-[0-9a-f-]{36}/g, "client-U")
      .replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} /gm, "TS ")
      .replace(/"took":[0-9.e-]+/g, '"took":D')
      .replace(/"size":"[^"]*"/g, '"size":"S"')
      .replace(/"dbSizeInUse":\d+/g, '"dbSizeInUse":N')
      .replace(/"dbSize":\d+/g, '"dbSize":N')
      .replace(/^(mylock|e1)\/[0-9a-f]{1,16}$/gm, "$1/<SESSION-LEASE>")
      .replace(/"DBSize" : \d+/g, '"DBSize" : N')
      .replace(/(, |\| +)\d+(\.\d+)? (B|kB|MB|GB)( \||,)/g, "$1S$4")
      .replace(new RegExp(`took = ${DURATION}`, "g"), "took = D")
      .replace(new RegExp(`("took":"|"Took" : |\\| +)${DURATION}( \\||"|$)`, "gm"), "$1D$2"),
  );
  for (const [name, value] of vars) {
    const kind = kinds.get(name);
    if (!kind) continue;
    const id = BigInt(`0x${value}`);
    // etcdctl prints IDs as %16x too: space-padded when the random ID is shorter.
    const forms = [id.toString(16).padStart(16, " "), value, id.toString(), id.toString(16)];
    both((s) => {
      for (const f of forms) s = s.split(f).join(`<${name}>`);
      return s;
    });
  }
  if (step.ttl) {
    both((s) =>
      s
        .replace(/remaining\(\d+s\)/g, "remaining(Ns)")
        .replace(/"ttl":\d+/g, '"ttl":N')
        .replace(/"TTL" : \d+/g, '"TTL" : N')
        .replace(/TTL\(\d+\)/g, "TTL(N)")
        .replace(/"TTL":\d+/g, '"TTL":N'),
    );
  }
  if (step.sessionKeys) both((s) => s.replace(/\/[0-9a-f]{16}/g, "/<SESSION>"));
  if (step.memberOrder) {
    stdout = sortMembers(stdout).replace(
      /ETCD_INITIAL_CLUSTER="([^"]*)"/,
      (_m, list: string) => `ETCD_INITIAL_CLUSTER="${list.split(",").sort().join(",")}"`,
    );
    if (!stdout.includes("ETCD_INITIAL_CLUSTER") && !stdout.startsWith("{")) {
      stdout = `${stdout.trimEnd().split("\n").sort().join("\n")}\n`;
    }
  }
  if (step.tookTable) {
    both((s) => s.replace(/-+/g, "-").replace(/ +/g, " "));
  }
  return { stdout, stderr, code: r.code };
}

interface Scenario {
  name: string;
  steps: Step[];
}

async function runScenario(bin: string, ports: Ports, steps: Step[], dir: string) {
  const server = await EtcdServer.start(ports);
  const vars = new Map<string, string>([
    ["EP", server.endpoint],
    ["DIR", dir],
  ]);
  const kinds = new Map<string, string>();
  const results = [];
  try {
    for (const step of steps) {
      const r = await runCli(bin, step, vars);
      if (step.capture) {
        const m = step.capture.re.exec(r.stdout.toString());
        if (m?.[1]) {
          vars.set(
            step.capture.name,
            step.capture.decimal ? BigInt(m[1]).toString(16).padStart(16, "0") : m[1],
          );
          kinds.set(step.capture.name, step.capture.kind);
        }
      }
      results.push(normalize(r, vars, kinds, step));
    }
  } finally {
    await server.stop();
  }
  return results;
}

const FORMATS = ["simple", "json", "fields", "protobuf", "table"];
const each = (args: string[], formats = FORMATS): Step[] =>
  formats.map((w) => ({ args: [...args, "-w", w] }));
const E = ["--endpoints", "{EP}"];
const TXN =
  'value("foo") = "bar"\nmod("foo") > "0"\n\nget foo\nput txnkey v1 --prev-kv\ndel nokey\n\nput other x\n\n';

const scenarios: Scenario[] = [
  {
    name: "kv",
    steps: [
      ...each([...E, "put", "foo", "bar"]),
      { args: [...E, "put", "foo", "bar", "--prev-kv", "-w", "json"] },
      { args: [...E, "put", "foo2", "-w", "fields"], stdin: "from stdin" },
      { args: [...E, "put", "bin"], stdin: '\u0000\u00ff\n\t"x' },
      { args: [...E, "put", "ünï", "çødé"] },
      ...each([...E, "get", "foo"]),
      ...each([...E, "get", "--prefix", ""]),
      ...each([...E, "get", "bin"], ["simple", "json", "fields", "protobuf"]),
      { args: [...E, "get", "bin", "--hex"] },
      { args: [...E, "get", "ünï", "-w", "fields"] },
      { args: [...E, "get", "f", "--prefix", "--keys-only"] },
      { args: [...E, "get", "f", "--prefix", "--print-value-only"] },
      { args: [...E, "get", "f", "--prefix", "--print-value-only", "-w", "json"] },
      { args: [...E, "get", "", "--from-key", "--limit", "2", "-w", "json"] },
      { args: [...E, "get", "a", "z", "--sort-by", "value", "--order", "descend"] },
      { args: [...E, "get", "--prefix", "f", "--sort-by=CREATE", "--order=DESCEND", "--limit=0x2"] },
      { args: [...E, "get", "foo", "--rev", "2", "-w", "json"] },
      { args: [...E, "get", "foo", "--consistency", "s"] },
      { args: [...E, "get", "foo", "--consistency", "x"] },
      { args: [...E, "get", "foo", "--order", "sideways"] },
      { args: [...E, "get", "foo", "--sort-by", "color"] },
      { args: [...E, "get"] },
      { args: [...E, "get", "a", "b", "--prefix"] },
      { args: [...E, "get", "a", "--prefix", "--from-key"] },
      { args: [...E, "get", "foo", "--rev", "1000"] },
      { args: [...E, "get", "foo", "--rev", "x"] },
      { args: [...E, "get", "foo", "--rev"] },
      { args: [...E, "get", "foo", "--bogus"] },
      { args: [...E, "get", "foo", "-x"] },
      { args: [...E, "get", "foo", "-w", "xml"] }, // (yaml and jsonl are the lens's decoded forms)
      { args: [...E, "g", "foo", "-wjson"] },
      { args: [...E, "put"] },
      { args: [...E, "put", "k"] },
      { args: [...E, "put", "k", "v", "--lease", "zz"] },
      { args: [...E, "put", "k", "--ignore-value", "v"] },
      { args: [...E, "put", "k", "v", "--lease", "1234"] },
      ...each([...E, "del", "foo2", "--prev-kv"]),
      { args: [...E, "del", "f", "--prefix", "-w", "json"] },
      { args: [...E, "del"] },
      { args: [...E, "del", "a", "b", "c"] },
      { args: [...E, "del", "", "--from-key", "--prev-kv", "-w", "fields"] },
      ...each([...E, "txn"]).map((s) => ({ ...s, stdin: TXN })),
      { args: [...E, "put", "foo", "bar"] },
      { args: [...E, "txn", "-w", "json"], stdin: TXN },
      { args: [...E, "txn", "-i"], stdin: TXN },
      { args: [...E, "txn"], stdin: "value(foo) = bar\n\n\n\n" },
      { args: [...E, "txn"], stdin: 'bogus("foo") = "1"\n\n\n\n' },
      { args: [...E, "txn"], stdin: 'ver("foo") = "x"\n\n\n\n' },
      { args: [...E, "txn"], stdin: "\nfrobnicate foo\n\n\n" },
      { args: [...E, "txn"], stdin: "\nget\n\n\n" },
      { args: [...E, "txn"], stdin: 'ver("foo") > "0"\n' },
      { args: [...E, "txn", "extra"] },
      { args: [...E, "compaction", "x"] },
      { args: [...E, "compaction"] },
      { args: [...E, "compaction", "4", "--physical"] },
      { args: [...E, "get", "foo", "--rev", "2"] },
      { args: [...E, "compaction", "3"] },
      { args: [...E, "watch", "foo", "--rev", "2"] },
    ],
  },
  {
    name: "watch",
    steps: [
      { args: [...E, "put", "w1", "a"] },
      { args: [...E, "put", "w2", "b"] },
      { args: [...E, "del", "w1"] },
      { args: [...E, "watch", "w", "--prefix", "--rev", "1"], stopAfterLines: 9 },
      { args: [...E, "watch", "w", "--prefix", "--rev", "1", "--prev-kv", "-w", "json"], stopAfterLines: 1 },
      { args: [...E, "watch", "w", "--prefix", "--rev", "1", "-w", "fields"], stopAfterLines: 25 },
      { args: [...E, "watch", "w1", "w3", "--rev", "1", "--hex"], stopAfterLines: 9 },
      {
        args: [
          ...E,
          "watch",
          "w2",
          "--rev",
          "1",
          "--",
          "sh",
          "-c",
          'echo "$ETCD_WATCH_EVENT_TYPE $ETCD_WATCH_KEY $ETCD_WATCH_VALUE $ETCD_WATCH_REVISION"',
        ],
        stopAfterLines: 4,
      },
      { args: [...E, "watch", "--rev", "1"], env: { ETCDCTL_WATCH_KEY: "w2" }, stopAfterLines: 3 },
      // At the end of its input, watch -i exits: whether a watch started just before prints
      // its events first is a race, so the one that watches keeps its input open.
      { args: [...E, "watch", "-i"], stdin: "bogus\n\n" },
      { args: [...E, "watch", "-i"], stdin: "bogus\n\nwatch w2 --rev 1\n", stopAfterLines: 3 },
      { args: [...E, "watch"] },
      { args: [...E, "watch", "a", "b", "--prefix"] },
      { args: [...E, "watch", "foo", "--"] },
      { args: [...E, "watch", "foo"], env: { ETCDCTL_WATCH_KEY: "bar" } },
      { args: [...E, "watch"], env: { ETCDCTL_WATCH_RANGE_END: "z" } },
    ],
  },
  {
    name: "lease",
    steps: [
      {
        args: [...E, "lease", "grant", "100"],
        capture: { name: "LEASE", re: /lease ([0-9a-f]{16}) granted/, kind: "lease" },
      },
      {
        args: [...E, "lease", "grant", "100", "-w", "json"],
        capture: { name: "LEASETWO", re: /"ID":(\d+)/, kind: "lease", decimal: true },
      },
      { args: [...E, "lease", "grant", "100", "-w", "protobuf"] },
      { args: [...E, "put", "lk", "v", "--lease", "{LEASE}"] },
      { args: [...E, "get", "lk", "-w", "json"] },
      ...each(
        [...E, "lease", "timetolive", "{LEASE}", "--keys"],
        ["simple", "json", "fields", "protobuf"],
      ).map((s) => ({
        ...s,
        ttl: true,
      })),
      { args: [...E, "lease", "timetolive", "{LEASE}"], ttl: true },
      { args: [...E, "lease", "keep-alive", "--once", "{LEASE}"], ttl: true },
      { args: [...E, "lease", "keep-alive", "--once", "{LEASE}", "-w", "json"], ttl: true },
      { args: [...E, "lease", "keep-alive", "{LEASE}"], ttl: true, stopAfterLines: 1 },
      { args: [...E, "lease", "revoke", "{LEASE}"] },
      { args: [...E, "lease", "revoke", "{LEASE}"] },
      { args: [...E, "lease", "timetolive", "{LEASE}"] },
      { args: [...E, "lease", "grant", "x"] },
      { args: [...E, "lease", "grant"] },
      { args: [...E, "lease", "revoke", "zz"] },
      { args: [...E, "lease", "keep-alive"] },
      { args: [...E, "lease", "bogus"] },
    ],
  },
  {
    name: "cluster and maintenance",
    steps: [
      { args: [...E, "put", "a", "1"] },
      ...each([...E, "member", "list"]),
      ...each([...E, "endpoint", "status"], ["simple", "json", "fields", "table"]),
      ...each([...E, "endpoint", "status", "--cluster"], ["simple", "json", "fields", "table"]),
      ...each([...E, "endpoint", "hashkv"]),
      { args: [...E, "endpoint", "hashkv", "--rev", "1", "-w", "json"] },
      ...each([...E, "endpoint", "health"]).map((s) => ({ ...s, tookTable: true })),
      ...each([...E, "alarm", "list"], ["simple", "json", "protobuf", "table"]),
      ...each([...E, "alarm", "disarm"], ["simple", "json", "protobuf", "table"]),
      { args: [...E, "alarm", "list", "extra"] },
      { args: [...E, "defrag"] },
      { args: [...E, "defrag", "--cluster"] },
      {
        args: [...E, "member", "add", "newbie", "--learner", "--peer-urls", "http://127.0.0.1:1"],
        capture: { name: "NEW", re: /Member\s+([0-9a-f]+) added/, kind: "member" },
        memberOrder: true,
      },
      { args: [...E, "member", "list", "-w", "json"], memberOrder: true },
      { args: [...E, "member", "promote", "{NEW}"] },
      { args: [...E, "member", "update", "{NEW}", "--peer-urls", "http://127.0.0.1:2"] },
      { args: [...E, "member", "list"], memberOrder: true },
      { args: [...E, "member", "remove", "{NEW}", "-w", "json"] },
      { args: [...E, "member", "remove", "{NEW}"] },
      { args: [...E, "member", "add"] },
      { args: [...E, "member", "add", "x", "http://127.0.0.1:9"] },
      { args: [...E, "member", "add", "x"] },
      { args: [...E, "member", "remove", "zz"] },
      { args: [...E, "member", "update", "1"] },
      { args: [...E, "move-leader", "zz"] },
      { args: [...E, "move-leader", "1"] },
      { args: [...E, "snapshot", "save", "{DIR}/snap.db"] },
      { args: [...E, "snapshot", "save"] },
      { args: ["--endpoints", "{EP},{EP}", "snapshot", "save", "{DIR}/x.db"] },
      { args: [...E, "version"] },
    ],
  },
  {
    name: "auth",
    steps: [
      ...each([...E, "role", "add", "r1"], ["simple", "json", "fields", "protobuf"]).map((s, i) => ({
        ...s,
        args: s.args.map((a) => (a === "r1" ? `r${i + 1}` : a)),
      })),
      { args: [...E, "role", "grant-permission", "r1", "readwrite", "foo", "--prefix"] },
      { args: [...E, "role", "grant-permission", "r1", "read", "a", "c"] },
      { args: [...E, "role", "grant-permission", "r1", "write", "k", "--from-key"] },
      { args: [...E, "role", "grant-permission", "r1", "write", "single", "-w", "json"] },
      { args: [...E, "role", "grant-permission", "r1", "bogus", "x"] },
      { args: [...E, "role", "grant-permission", "r1"] },
      { args: [...E, "role", "grant-permission", "r1", "read", "a", "b", "--prefix"] },
      ...each([...E, "role", "get", "r1"], ["simple", "json", "fields", "protobuf"]),
      ...each([...E, "role", "list"], ["simple", "json", "fields", "protobuf"]),
      { args: [...E, "role", "revoke-permission", "r1", "a", "c"] },
      { args: [...E, "role", "revoke-permission", "r1", "k", "--from-key"] },
      { args: [...E, "role", "revoke-permission", "r1", "single"] },
      { args: [...E, "role", "revoke-permission", "r1", "nothing"] },
      { args: [...E, "role", "get", "nope"] },
      { args: [...E, "user", "add", "u1", "--new-user-password", "pw1"] },
      { args: [...E, "user", "add", "u2:pw2", "-w", "json"] },
      { args: [...E, "user", "add", "u3", "--interactive=false"], stdin: "pw3\n" },
      { args: [...E, "user", "add", ":pw"] },
      { args: [...E, "user", "add", "u1", "--new-user-password", "again"] },
      { args: [...E, "user", "grant-role", "u1", "r1"] },
      { args: [...E, "user", "grant-role", "u1", "r2", "-w", "fields"] },
      ...each([...E, "user", "get", "u1"], ["simple", "json", "protobuf"]),
      { args: [...E, "user", "get", "u1", "--detail"] },
      ...each([...E, "user", "list"], ["simple", "json", "protobuf"]),
      { args: [...E, "user", "revoke-role", "u1", "r2"] },
      { args: [...E, "user", "passwd", "u1", "--interactive=false"], stdin: "newpw\n" },
      { args: [...E, "user", "delete", "u3"] },
      { args: [...E, "user", "delete", "u3"] },
      { args: [...E, "role", "delete", "r4"] },
      { args: [...E, "auth", "enable"] },
      { args: [...E, "user", "add", "root:rootpw"] },
      { args: [...E, "auth", "enable"] },
      { args: [...E, "get", "foo"] },
      { args: [...E, "put", "foo", "x", "--user", "root:rootpw"] },
      { args: [...E, "get", "foo", "--user", "root", "--password", "rootpw"] },
      { args: [...E, "get", "foo", "--user", "u1:newpw"] },
      { args: [...E, "get", "foo", "--user", "root:wrong"] },
      { args: [...E, "endpoint", "health", "--user", "u1:newpw"] },
      { args: [...E, "auth", "disable", "--user", "root:rootpw"] },
      { args: [...E, "auth", "disable", "extra"] },
    ],
  },
  {
    name: "concurrency",
    steps: [
      { args: [...E, "lock", "mylock", "echo", "got it"] },
      { args: [...E, "lock", "mylock", "--", "sh", "-c", "echo $ETCD_LOCK_KEY | cut -d/ -f1; exit 3"] },
      { args: [...E, "lock", "mylock"], stopAfterLines: 2, sessionKeys: true },
      { args: [...E, "lock"] },
      { args: [...E, "elect", "e1", "proposal"], stopAfterLines: 2, sessionKeys: true },
      { args: [...E, "elect", "-l", "e1"], stopAfterMs: 1500 },
      { args: [...E, "elect", "e1"] },
      { args: [...E, "elect", "-l", "e1", "p"] },
      { args: [...E, "elect"] },
    ],
  },
  {
    name: "globals and errors",
    steps: [
      { args: [] },
      { args: ["--help"] },
      { args: ["help", "get"] },
      { args: ["help", "bogus"] },
      { args: ["bogus"] },
      { args: ["c"] },
      { args: ["--bogus", "get", "foo"] },
      { args: ["get", "--help"] },
      { args: ["endpoint", "hashkv", "--help"] },
      { args: ["auth", "st"] },
      { args: ["completion"] },
      { args: ["get", "foo"], env: { ETCDCTL_ENDPOINTS: "{EP}" } },
      { args: [...E, "get", "foo"], env: { ETCDCTL_ENDPOINTS: "{EP}" } },
      { args: [...E, "get", "foo"], env: { ETCDCTL_BOGUS: "1" } },
      { args: [...E, "get", "foo"], env: { ETCDCTL_WRITE_OUT: "json" } },
      { args: [...E, "get", "foo", "--dial-timeout", "x"] },
      { args: ["--endpoints", "{DEAD}", "--command-timeout", "1s", "get", "foo"] },
      { args: ["--endpoints", "{DEAD},{EP}", "put", "foo", "failover"] },
      { args: ["--endpoints", "{DEAD}", "--command-timeout", "1s", "endpoint", "health"] },
      { args: [...E, "get", "foo", "--cert", ""] },
      { args: [...E, "--write-out", "fields", "get", "foo", "--hex"] },
    ],
  },
];

let ports: Ports;
let dead: number;
const dirs: string[] = [];

before(async () => {
  ports = await freePorts();
  dead = await freePort();
});

after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

for (const sc of scenarios) {
  test(`compat - ${sc.name}`, async (t) => {
    const steps = sc.steps.map((s) => ({
      ...s,
      args: s.args.map((a) => a.replace("{DEAD}", `127.0.0.1:${dead}`)),
    }));
    const d1 = mkdtempSync(join(tmpdir(), "tetcd-compat-"));
    const d2 = mkdtempSync(join(tmpdir(), "tetcd-compat-"));
    dirs.push(d1, d2);
    // Same directory name in both runs' output: the reference run's paths are rewritten.
    const ref = await runScenario(ETCDCTL, ports, steps, d1);
    const ours = await runScenario(TETCDCTL, ports, steps, d2);
    for (const [i, step] of steps.entries()) {
      await t.test(`${step.args.join(" ")}${step.stdin ? " <stdin" : ""}`, () => {
        const a = ref[i];
        const b = ours[i];
        assert.ok(a && b);
        const fix = (s: string) => s.split(d1).join("{DIR}");
        const fix2 = (s: string) => s.split(d2).join("{DIR}");
        assert.equal(fix2(b.stdout), fix(a.stdout), "stdout");
        assert.equal(fix2(b.stderr), fix(a.stderr), "stderr");
        assert.equal(b.code, a.code, "exit code");
      });
    }
  });
}
