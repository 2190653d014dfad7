// The client library against a real etcd: failover past a dead endpoint, watches that
// resume after the server restarts, the lease keep-alive loop, and token refresh.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  Client,
  CompactedError,
  EventType,
  FutureRevisionError,
  Mutex,
  Session,
  type WatchResponse,
} from "../client/index.js";
import { EtcdServer, freePort, freePorts, type Ports } from "./etcd-server.js";

let ports: Ports;
let server: EtcdServer;

before(async () => {
  ports = await freePorts();
  server = await EtcdServer.start(ports);
});

after(async () => {
  await server.stop();
});

test("client - a dead first endpoint fails over to a live one", async () => {
  const dead = `127.0.0.1:${await freePort()}`;
  const failures: string[] = [];
  const c = new Client({ endpoints: [dead, server.endpoint], onRetryFailure: (f) => failures.push(f.error) });
  try {
    const put = await c.put("failover", "ok", {}, { timeoutMs: 5000 });
    assert.ok((put.header?.revision ?? 0) > 1);
    const got = await c.get("failover", {}, { timeoutMs: 5000 });
    assert.equal(got.kvs[0]?.value.toString(), "ok");
    assert.deepEqual(failures, []);
  } finally {
    c.close();
  }
});

test("client - only dead endpoints end in a deadline error and a retry warning", async () => {
  const failures: string[] = [];
  const c = new Client({
    endpoints: [`127.0.0.1:${await freePort()}`],
    onRetryFailure: (f) => failures.push(f.error),
  });
  try {
    await assert.rejects(c.get("x", {}, { timeoutMs: 300 }), { message: "context deadline exceeded" });
    assert.equal(failures.length, 1);
    assert.match(failures[0] ?? "", /^rpc error: code = DeadlineExceeded desc = /);
  } finally {
    c.close();
  }
});

test("client - server errors keep etcd's messages and classes", async () => {
  const c = new Client({ endpoints: [server.endpoint] });
  try {
    await assert.rejects(c.get("x", { revision: 1_000_000 }), FutureRevisionError);
    const r = await c.put("compact-me", "1");
    await c.put("compact-me", "2");
    await c.compact(r.header?.revision ?? 0);
    await assert.rejects(c.get("compact-me", { revision: 1 }), (err: Error) => {
      assert.ok(err instanceof CompactedError);
      assert.equal(err.message, "etcdserver: mvcc: required revision has been compacted");
      return true;
    });
  } finally {
    c.close();
  }
});

test("client - a watch resumes after the server restarts without losing or repeating events", async () => {
  const c = new Client({ endpoints: [server.endpoint] });
  const w = c.watch("resume/", { prefix: true, createdNotify: true });
  const seen: string[] = [];
  let created: () => void = () => {};
  const isCreated = new Promise<void>((resolve) => {
    created = resolve;
  });
  const done = (async () => {
    for await (const r of w as AsyncIterable<WatchResponse>) {
      if (r.created) created();
      for (const e of r.events) if (e.type === EventType.PUT) seen.push(e.kv?.value.toString() ?? "");
      if (seen.length >= 4) return;
    }
  })();
  try {
    // The watch starts at the current revision: it must exist before the first write.
    await isCreated;
    await c.put("resume/a", "1");
    await c.put("resume/a", "2");
    await server.kill();
    server = await EtcdServer.start(ports, server.dataDir);
    const writer = new Client({ endpoints: [server.endpoint] });
    await writer.put("resume/a", "3", {}, { timeoutMs: 5000 });
    await writer.put("resume/b", "4", {}, { timeoutMs: 5000 });
    writer.close();
    await Promise.race([
      done,
      new Promise((_, rej) => setTimeout(() => rej(new Error("watch did not resume")), 15000)),
    ]);
    assert.deepEqual(seen, ["1", "2", "3", "4"]);
  } finally {
    w.cancel();
    c.close();
  }
});

test("client - the keep-alive loop renews a lease and ends when it is revoked", async () => {
  const c = new Client({ endpoints: [server.endpoint] });
  try {
    // Renewed every TTL/3 s: a TTL of 6 leaves 4 s of slack for a busy machine.
    const g = await c.leaseGrant(6);
    const ka = c.leaseKeepAlive(g.ID);
    const renewals: number[] = [];
    const loop = (async () => {
      for await (const r of ka) {
        renewals.push(r.TTL);
        if (renewals.length === 2) await c.leaseRevoke(g.ID);
      }
    })();
    await Promise.race([
      loop,
      new Promise((_, rej) => setTimeout(() => rej(new Error("keep-alive hung")), 10000)),
    ]);
    assert.equal(renewals.length, 2);
    assert.ok(renewals.every((ttl) => ttl === 6));
    const ttl = await c.leaseTimeToLive(g.ID);
    assert.equal(ttl.TTL, -1);
  } finally {
    c.close();
  }
});

test("client - a mutex admits one holder at a time", async () => {
  const c = new Client({ endpoints: [server.endpoint] });
  try {
    const s1 = await Session.create(c, 10);
    const s2 = await Session.create(c, 10);
    const m1 = new Mutex(s1, "mtx");
    const m2 = new Mutex(s2, "mtx");
    await m1.lock();
    let second = false;
    const p = m2.lock().then(() => {
      second = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(second, false);
    await m1.unlock();
    await p;
    assert.equal(second, true);
    assert.equal(m2.key.toString(), `mtx/${s2.lease.toString(16)}`);
    await m2.unlock();
    await s1.close();
    await s2.close();
  } finally {
    c.close();
  }
});

test("client - with auth on, the token is fetched and fetched again when the server forgets it", async () => {
  const admin = new Client({ endpoints: [server.endpoint] });
  await admin.userAdd("root", "rootpw");
  await admin.userGrantRole("root", "root");
  await admin.authEnable();
  admin.close();
  const c = await Client.connect({ endpoints: [server.endpoint], username: "root", password: "rootpw" });
  const anonymous = new Client({ endpoints: [server.endpoint] });
  try {
    await c.put("authed", "1");
    await assert.rejects(anonymous.get("authed"), { message: "etcdserver: user name is empty" });
    // Simple tokens die with the server: after a restart the old token is invalid.
    await server.kill();
    server = await EtcdServer.start(ports, server.dataDir);
    const r = await c.get("authed", {}, { timeoutMs: 10000 });
    assert.equal(r.kvs[0]?.value.toString(), "1");
    await c.authDisable();
  } finally {
    anonymous.close();
    c.close();
  }
});
