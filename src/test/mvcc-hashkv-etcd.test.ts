// The same operations on the real etcd 3.4 and on our MvccStore give the same HashKV: this
// proves our `key` bucket holds exactly etcd's bytes (revision keys, tombstone marks, encoded
// KeyValues) and that compaction removes exactly what etcd's does.
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { type MvccStore, MvccStore as Store } from "../mvcc/index.js";
import { type LmdbBackend, openLmdbBackend } from "../storage/index.js";
import { childEnv } from "./child-env.js";

const run = promisify(execFile);
const ETCD = "/usr/bin/etcd";
const ETCDCTL = "/usr/bin/etcdctl";
const skip = !existsSync(ETCD) || !existsSync(ETCDCTL);

type Op =
  | { put: string; value: string; lease?: true }
  | { del: string; end?: string }
  | { txn: Array<{ put: string; value: string } | { del: string }> }
  | { compact: number };

const OPS: Op[] = [
  { put: "a", value: "1" },
  { put: "b", value: "2" },
  { put: "a", value: "3" },
  { put: "empty", value: "" },
  { del: "b" },
  { put: "leased", value: "x", lease: true },
  { txn: [{ put: "t1", value: "v1" }, { put: "t2", value: "v2" }, { del: "a" }] },
  { put: "b", value: "again" },
  { put: "/registry/pods/ns/p1", value: "spec-1" },
  { put: "/registry/pods/ns/p2", value: "spec-2" },
  { put: "/registry/pods/ns/p1", value: "spec-1b" },
  { del: "/registry/pods/", end: "/registry/pods0" },
  { compact: 9 },
  { put: "t1", value: "v1b" },
  { put: "ünïcødé/键", value: "värde" },
  { compact: 13 },
  { put: "z", value: "last" },
];

let dir = "";
let etcd: ChildProcess | undefined;
let endpoint = "";
let backend: LmdbBackend;
let store: MvccStore;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function ctl(args: string[], input?: string): Promise<string> {
  const env = childEnv({ ETCDCTL_API: "3" });
  if (input === undefined) return (await run(ETCDCTL, ["--endpoints", endpoint, ...args], { env })).stdout;
  return new Promise((resolve, reject) => {
    const p = spawn(ETCDCTL, ["--endpoints", endpoint, ...args], { env });
    let out = "";
    let err = "";
    p.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    p.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    p.on("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`etcdctl ${args.join(" ")}: ${code} ${err}`)),
    );
    p.stdin.end(input);
  });
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), "tetcd-hashkv-"));
  const [client, peer] = [await freePort(), await freePort()];
  endpoint = `http://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  etcd = spawn(
    ETCD,
    [
      "--data-dir",
      join(dir, "etcd"),
      "--listen-client-urls",
      endpoint,
      "--advertise-client-urls",
      endpoint,
      "--listen-peer-urls",
      peerUrl,
      "--initial-advertise-peer-urls",
      peerUrl,
      "--initial-cluster",
      `default=${peerUrl}`,
    ],
    { stdio: "ignore" },
  );
  for (let i = 0; ; i++) {
    try {
      await ctl(["endpoint", "health"]);
      break;
    } catch (err) {
      if (i > 100) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  backend = openLmdbBackend(join(dir, "tetcd.db"));
  store = new Store(backend);
});

after(async () => {
  if (skip) return;
  etcd?.kill("SIGKILL");
  await store.close();
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

async function etcdHashKV(rev: number): Promise<{ hash: number; compactRevision: number }> {
  const out = JSON.parse(await ctl(["endpoint", "hashkv", `--rev=${rev}`, "-w", "json"])) as Array<{
    HashKV: { hash: number; compact_revision?: number };
  }>;
  const h = out[0]!.HashKV;
  return { hash: h.hash, compactRevision: h.compact_revision ?? 0 };
}

function ours(rev: number): { hash: number; compactRevision: number } {
  const h = store.hashKV(rev);
  return { hash: h.hash, compactRevision: h.compactRevision };
}

test("hashkv - the same operations give etcd 3.4's HashKV at every revision", { skip }, async () => {
  let lease = 0n;
  const checked: number[] = [];
  for (const op of OPS) {
    if ("compact" in op) {
      await ctl(["compact", String(op.compact), "--physical"]);
      await store.compact(op.compact).done;
    } else if ("put" in op) {
      if (op.lease === true) {
        const granted = await ctl(["lease", "grant", "600", "-w", "json"]);
        // The lease ID is a 64-bit integer: read it exactly from the JSON text.
        lease = BigInt(/"ID":(\d+)/.exec(granted)![1]!);
        await ctl(["put", op.put, op.value, `--lease=${lease.toString(16)}`]);
      } else {
        await ctl(["put", "--", op.put, op.value]);
      }
      backend.write((tx) => {
        const w = store.write(tx);
        w.put(Buffer.from(op.put), Buffer.from(op.value), op.lease === true ? lease : 0n);
        w.end();
      });
    } else if ("del" in op) {
      await ctl(op.end === undefined ? ["del", op.del] : ["del", op.del, op.end]);
      backend.write((tx) => {
        const w = store.write(tx);
        w.deleteRange(Buffer.from(op.del), op.end === undefined ? undefined : Buffer.from(op.end));
        w.end();
      });
    } else {
      const lines = op.txn.map((o) => ("put" in o ? `put ${o.put} ${o.value}` : `del ${o.del}`));
      await ctl(["txn"], `\n${lines.join("\n")}\n\n\n`);
      backend.write((tx) => {
        const w = store.write(tx);
        for (const o of op.txn) {
          if ("put" in o) w.put(Buffer.from(o.put), Buffer.from(o.value));
          else w.deleteRange(Buffer.from(o.del));
        }
        w.end();
      });
    }
    const status = JSON.parse(await ctl(["endpoint", "status", "-w", "json"])) as Array<{
      Status: { header: { revision: number } };
    }>;
    assert.equal(store.currentRevision(), status[0]!.Status.header.revision);
    // Every revision still readable, including the current one (0).
    for (let rev = store.compactRevision() + 1; rev <= store.currentRevision(); rev++) {
      assert.deepEqual(ours(rev), await etcdHashKV(rev), `HashKV at ${rev} after ${JSON.stringify(op)}`);
      checked.push(rev);
    }
    assert.deepEqual(ours(0), await etcdHashKV(0));
  }
  assert.ok(checked.length > 30);
});
