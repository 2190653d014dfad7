// Both directions with the real etcd 3.4: tetcd reads the WAL and snap files etcd wrote,
// etcd's own Go reader accepts what tetcd writes, and etcd boots from and applies a WAL
// that tetcd wrote. Skipped where /usr/bin/etcd, etcdctl or go are missing.
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rename } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { etcdserverpb, toId } from "../proto/index.js";
import { childEnv } from "../test/child-env.js";
import { dumpWal } from "./dump.js";
import { WalLockedError } from "./errors.js";
import { walName } from "./names.js";
import { Snapshotter } from "./snapshotter.js";
import { makeEntries, withTempDir } from "./testkit.js";
import type { WalEntry, WalHardState, WalSnapshot } from "./types.js";
import { validSnapshotEntries } from "./verify.js";
import { Wal } from "./wal.js";

const run = promisify(execFile);
const ETCD = "/usr/bin/etcd";
const ETCDCTL = "/usr/bin/etcdctl";
const haveEtcd = existsSync(ETCD) && existsSync(ETCDCTL);
const haveGo = spawnSync("go", ["version"]).status === 0;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

interface Etcd {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts a real etcd on `dataDir` and waits until it serves. */
async function startEtcd(dataDir: string): Promise<Etcd> {
  const [client, peer] = [await freePort(), await freePort()];
  const endpoint = `http://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  const child: ChildProcess = spawn(
    ETCD,
    [
      "--name=default",
      `--data-dir=${dataDir}`,
      `--listen-client-urls=${endpoint}`,
      `--advertise-client-urls=${endpoint}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=default=${peerUrl}`,
      "--snapshot-count=5",
    ],
    { stdio: "ignore" },
  );
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const stop = async () => {
    child.kill("SIGTERM");
    await exited;
  };
  for (let i = 0; ; i++) {
    const ok = await etcdctl(endpoint, "endpoint", "health").then(
      () => true,
      () => false,
    );
    if (ok) return { endpoint, stop };
    if (i === 150 || child.exitCode !== null) {
      await stop();
      throw new Error("etcd did not come up");
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function etcdctl(endpoint: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(ETCDCTL, [`--endpoints=${endpoint}`, "--dial-timeout=2s", ...args], {
    env: childEnv({ ETCDCTL_API: "3" }),
  });
  return stdout;
}

/** The puts among entries, as key -> value, in log order. */
function puts(entries: readonly WalEntry[]): [string, string][] {
  const out: [string, string][] = [];
  for (const e of entries) {
    if (e.type !== 0 || e.data.length === 0) continue;
    let req: etcdserverpb.InternalRaftRequest;
    try {
      req = etcdserverpb.InternalRaftRequest.decode(e.data);
    } catch {
      continue; // a v2 Request (etcd publishes its attributes that way)
    }
    if (req.put) out.push([Buffer.from(req.put.key!).toString(), Buffer.from(req.put.value!).toString()]);
  }
  return out;
}

const KEYS = Array.from({ length: 12 }, (_, i) => [`k${i}`, `value ${i} ✓`] as [string, string]);

test("interop - tetcd reads the WAL and snap files a real etcd wrote, and etcd applies what tetcd appends", {
  skip: !haveEtcd && "needs /usr/bin/etcd and /usr/bin/etcdctl",
}, async () => {
  await withTempDir(async (root) => {
    const data = join(root, "etcd");
    const walDir = join(data, "member", "wal");
    const snapDir = join(data, "member", "snap");
    const etcd = await startEtcd(data);
    try {
      for (const [k, v] of KEYS) await etcdctl(etcd.endpoint, "put", k, v);
      // etcd holds OFD locks on its segments: tetcd must not open them underneath it.
      await assert.rejects(Wal.open(walDir, { index: 0, term: 0 }), WalLockedError);
    } finally {
      await etcd.stop();
    }

    // The whole log from the start: metadata names the member, the puts are all there.
    const w0 = await Wal.open(walDir, { index: 0, term: 0 });
    const all = await w0.readAll();
    await w0.close();
    const md = etcdserverpb.Metadata.decode(all.metadata);
    const memberId = toId(md.NodeID);
    assert.notEqual(memberId, 0n);
    assert.deepEqual(puts(all.entries), KEYS);
    assert.equal(all.entries[0]!.index, 1);
    assert.equal(all.entries[0]!.type, 1, "etcd's log opens with its ConfChangeAddNode");
    assert.ok(all.hardState.commit >= all.entries.at(-1)!.index);
    assert.equal(all.hardState.vote, memberId);

    // The snapshots: etcd took some (--snapshot-count 5); boot as etcd does from the newest
    // one the WAL also recorded, and read only the entries after it.
    const snaps = await validSnapshotEntries(walDir);
    const snap = await new Snapshotter(snapDir).loadNewestAvailable(snaps);
    assert.ok(snap.metadata.index >= 5);
    assert.deepEqual(snap.metadata.confState.voters, [memberId]);
    assert.ok((await readdir(snapDir)).some((n) => n.endsWith(`${snap.metadata.index.toString(16)}.snap`)));
    assert.match(
      Buffer.from(snap.data).toString(),
      /"Root"/,
      "etcd 3.4's snapshot data is its v2 store as JSON",
    );
    const w = await Wal.open(walDir, snap.metadata);
    const after = await w.readAll();
    assert.deepEqual(
      after.entries.map((e) => e.index),
      all.entries.filter((e) => e.index > snap.metadata.index).map((e) => e.index),
    );

    // Append a committed put of our own and let the real etcd apply it on restart.
    const next = all.entries.at(-1)!.index + 1;
    const req = etcdserverpb.InternalRaftRequest.encode({
      header: { ID: 0x7e7cd },
      put: { key: Buffer.from("from-tetcd"), value: Buffer.from("written by tetcd's WAL") },
    }).finish();
    w.save({ ...all.hardState, commit: next }, [
      { term: all.hardState.term, index: next, type: 0, data: req },
    ]);
    await w.close();
    const again = await startEtcd(data);
    try {
      const got = await etcdctl(again.endpoint, "get", "--prefix", "");
      const lines = got.trimEnd().split("\n");
      const pairs = new Map<string, string>();
      for (let i = 0; i < lines.length; i += 2) pairs.set(lines[i]!, lines[i + 1]!);
      assert.equal(pairs.get("from-tetcd"), "written by tetcd's WAL");
      for (const [k, v] of KEYS) assert.equal(pairs.get(k), v);
    } finally {
      await again.stop();
    }
  });
});

test("interop - tetcd writes etcd's WAL byte for byte, and a real etcd boots from it", {
  skip: !haveEtcd && "needs /usr/bin/etcd and /usr/bin/etcdctl",
}, async () => {
  await withTempDir(async (root) => {
    const src = join(root, "etcd");
    const etcd = await startEtcd(src);
    try {
      for (const [k, v] of KEYS.slice(0, 3)) await etcdctl(etcd.endpoint, "put", k, v);
    } finally {
      await etcd.stop();
    }
    // Replay etcd's records, save for save, into a WAL of our own in a fresh data dir.
    const srcWal = join(src, "member", "wal");
    const etcdRecords = (await dumpWal(srcWal)).records;
    const r = await Wal.open(srcWal, { index: 0, term: 0 });
    const log = await r.readAll();
    await r.close();
    const dst = join(root, "tetcd");
    const dstWal = join(dst, "member", "wal");
    await mkdir(join(dst, "member"), { recursive: true });
    const w = await Wal.create(dstWal, log.metadata);
    assert.deepEqual(
      etcdRecords.slice(0, 3).map((x) => x.type),
      ["crc", "metadata", "snapshot"],
    );
    for (const rec of etcdRecords.slice(3)) {
      if (rec.type === "entry") w.save(undefined, [rec.value as WalEntry]);
      else if (rec.type === "state") w.save(rec.value as WalHardState, []);
      else if (rec.type === "snapshot") await w.saveSnapshot(rec.value as WalSnapshot);
      else assert.fail(`unexpected ${rec.type} record`);
    }
    await w.close();

    // Byte for byte: the same records make the same segment, CRC chain and padding included.
    const ours = await readFile(join(dstWal, walName(0, 0)));
    const theirs = await readFile(join(srcWal, walName(0, 0)));
    const last = etcdRecords.at(-1)!;
    const end = last.offset + 8 + theirs.readUInt32LE(last.offset) + (theirs[last.offset + 7]! & 7);
    assert.ok(etcdRecords.length > 10);
    assert.ok(ours.subarray(0, end).equals(theirs.subarray(0, end)));
    assert.equal(ours.length, theirs.length, "both preallocated to 64 MB");
    assert.ok(ours.subarray(end, end + 4096).every((b) => b === 0));

    // etcd boots from the data dir that holds nothing but tetcd's WAL, replaying it all.
    const booted = await startEtcd(dst);
    try {
      for (const [k, v] of KEYS.slice(0, 3)) {
        assert.equal(await etcdctl(booted.endpoint, "get", "--print-value-only", k), `${v}\n`);
      }
      assert.match(await etcdctl(booted.endpoint, "member", "list"), /started, default/);
    } finally {
      await booted.stop();
    }
  });
});

/** Builds testdata/verify.go (etcd's own wal and snap packages) once per source version. */
async function goVerifier(): Promise<string> {
  const source = new URL("../../src/wal/testdata/verify.go", import.meta.url).pathname;
  const hash = createHash("sha256").update(readFileSync(source)).digest("hex").slice(0, 12);
  const bin = join(tmpdir(), `tetcd-wal-verify-${hash}`);
  if (!existsSync(bin)) {
    // Built under a name of its own and renamed: a concurrent run never sees half a binary.
    const building = `${bin}.${process.pid}`;
    await run("go", ["build", "-o", building, source], {
      env: {
        ...process.env,
        GO111MODULE: "off",
        GOPATH: "/usr/share/gocode",
        GOCACHE: join(tmpdir(), "tetcd-wal-gocache"),
      },
    });
    await rename(building, bin);
  }
  return bin;
}

interface GoView {
  metadata: string;
  hardState: { term: number; vote: number; commit: number };
  entries: { term: number; index: number; type: number; data: string }[];
  walSnapshots: { index: number; term: number }[];
  snap?: { term: number; index: number; voters: number[]; learners: number[]; data: string };
}

test("interop - etcd's Go wal and snap packages read what tetcd writes", {
  skip:
    (!haveGo && "needs go") ||
    (!existsSync("/usr/share/gocode/src/go.etcd.io/etcd/wal") && "needs etcd's source"),
}, async () => {
  const bin = await goVerifier();
  await withTempDir(async (root) => {
    const dir = join(root, "wal");
    const meta = Buffer.from("tetcd metadata");
    const w = await Wal.create(dir, meta, { segmentSizeBytes: 16 * 1024 });
    const expected: WalEntry[] = [];
    for (let i = 1; i <= 600; i += 20) {
      const batch = makeEntries(i, i + 19, 1, 90);
      w.save({ term: 1, vote: 0xfedcba9876543210n, commit: i }, batch);
      expected.push(...batch);
    }
    await w.saveSnapshot({ index: 300, term: 1 });
    // A new leader rewrites the tail from 590 in term 2.
    const rewritten = makeEntries(590, 640, 2, 0);
    w.save({ term: 2, vote: 5n, commit: 620 }, rewritten);
    expected.splice(589, expected.length, ...rewritten);
    await w.close();
    const segments = (await readdir(dir)).filter((n) => n.endsWith(".wal"));
    assert.ok(segments.length > 3, "the WAL spans several segments");

    const snapDir = join(root, "snap");
    await mkdir(snapDir);
    const snapshot = {
      data: Buffer.from("applied state"),
      metadata: {
        confState: {
          voters: [1n, 2n],
          learners: [3n],
          votersOutgoing: [],
          learnersNext: [],
          autoLeave: false,
        },
        index: 300,
        term: 1,
      },
    };
    await new Snapshotter(snapDir).save(snapshot);

    for (const mode of [[], ["-write"]]) {
      const { stdout } = await run(bin, [
        "-wal",
        dir,
        "-index",
        "300",
        "-term",
        "1",
        "-snap",
        join(snapDir, (await readdir(snapDir))[0]!),
        ...mode,
      ]);
      const go = JSON.parse(stdout) as GoView;
      assert.equal(go.metadata, meta.toString("hex"));
      assert.deepEqual(go.hardState, { term: 2, vote: 5, commit: 620 });
      assert.deepEqual(
        go.entries,
        expected
          .filter((e) => e.index > 300)
          .map((e) => ({
            term: e.term,
            index: e.index,
            type: e.type,
            data: Buffer.from(e.data).toString("hex"),
          })),
      );
      assert.deepEqual(go.walSnapshots, [
        { index: 0, term: 0 },
        { index: 300, term: 1 },
      ]);
      assert.deepEqual(go.snap, {
        term: 1,
        index: 300,
        voters: [1, 2],
        learners: [3],
        data: Buffer.from("applied state").toString("hex"),
      });
    }
  });
});
