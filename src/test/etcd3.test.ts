// The npm etcd3 client (Microsoft's, on grpc-js) against tetcd, embedded in-process
// through the public startServer() API: KV, txns, leases, watches, locks, elections.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Etcd3 } from "etcd3";
import { type EmbeddedServer, startServer } from "../embed/index.js";

describe("npm etcd3 client against tetcd", () => {
  let server: EmbeddedServer;
  let client: Etcd3;

  before(async () => {
    server = await startServer();
    client = new Etcd3({ hosts: [...server.endpoints] });
  });
  after(async () => {
    client.close();
    await server.close();
  });

  test("etcd3 - put, get, prefix listing and delete", async () => {
    await client.put("app/a").value("1");
    await client.put("app/b").value("2");
    assert.equal(await client.get("app/a").string(), "1");
    assert.deepEqual(await client.getAll().prefix("app/").strings(), { "app/a": "1", "app/b": "2" });
    assert.equal(await client.getAll().prefix("app/").count(), 2);
    await client.delete().key("app/a");
    assert.equal(await client.get("app/a").string(), null);
  });

  test("etcd3 - binary keys and values round-trip", async () => {
    const key = Buffer.from([0x00, 0xff, 0x10, 0x80]);
    const value = Buffer.from([0xde, 0xad, 0x00, 0xbe, 0xef]);
    await client.put(key).value(value);
    assert.deepEqual(await client.get(key).buffer(), value);
  });

  test("etcd3 - compare-and-swap transactions", async () => {
    await client.put("cas").value("old");
    const won = await client
      .if("cas", "Value", "==", "old")
      .then(client.put("cas").value("new"))
      .else(client.get("cas"))
      .commit();
    assert.equal(won.succeeded, true);
    const lost = await client.if("cas", "Value", "==", "old").then(client.put("cas").value("x")).commit();
    assert.equal(lost.succeeded, false);
    assert.equal(await client.get("cas").string(), "new");
  });

  test("etcd3 - a lease's keys vanish when it is revoked", async () => {
    const lease = client.lease(30);
    await lease.put("leased").value("v");
    assert.equal(await client.get("leased").string(), "v");
    await lease.revoke();
    assert.equal(await client.get("leased").string(), null);
  });

  test("etcd3 - watch delivers puts and deletes in order", async () => {
    const watcher = await client.watch().key("watched").create();
    const seen: string[] = [];
    const done = new Promise<void>((resolve) => {
      watcher.on("put", (kv) => seen.push(`put:${kv.value.toString()}`));
      watcher.on("delete", () => {
        seen.push("delete");
        resolve();
      });
    });
    await client.put("watched").value("1");
    await client.put("watched").value("2");
    await client.delete().key("watched");
    await done;
    await watcher.cancel();
    assert.deepEqual(seen, ["put:1", "put:2", "delete"]);
  });

  test("etcd3 - a lock refuses a second holder until released", async () => {
    // etcd3's lock is a try-lock: it fails at once while someone else holds it.
    const first = await client.lock("resource").acquire();
    await assert.rejects(client.lock("resource").acquire(), /Failed to acquire a lock on resource/);
    await first.release();
    const second = await client.lock("resource").acquire();
    await second.release();
  });

  test("etcd3 - an election names the first campaigner leader", async () => {
    const election = client.election("leader-test");
    const campaign = election.campaign("candidate-1");
    await new Promise<void>((resolve, reject) => {
      campaign.on("elected", () => resolve());
      campaign.on("error", reject);
    });
    assert.equal(await election.leader(), "candidate-1");
    await campaign.resign();
  });
});
