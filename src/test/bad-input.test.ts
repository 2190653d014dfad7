// Bad input against a real tetcd process: each bad request gets a clear error, the
// member keeps serving everyone else, and nothing stored is lost.
import assert from "node:assert/strict";
import http2 from "node:http2";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import { Client } from "../client/index.js";
import { etcdserverpb } from "../proto/index.js";
import { type Member, startMember } from "./harness.js";

interface RawResult {
  readonly status: number | undefined;
  readonly message: string;
}

/** One gRPC call over a bare HTTP/2 stream, so the bytes can be anything at all. */
function rawCall(endpoint: string, path: string, body: Buffer): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://${endpoint}`);
    session.on("error", reject);
    const stream = session.request({
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc",
      te: "trailers",
    });
    let headers: http2.IncomingHttpHeaders = {};
    stream.on("response", (h) => {
      headers = h;
    });
    stream.on("trailers", (t) => {
      headers = { ...headers, ...t };
    });
    stream.on("data", () => {});
    stream.on("close", () => {
      session.close();
      const status = headers["grpc-status"];
      resolve({
        status: status === undefined ? undefined : Number(status),
        message: decodeURIComponent(String(headers["grpc-message"] ?? "")),
      });
    });
    stream.on("error", reject);
    stream.end(body);
  });
}

/** A gRPC length-prefixed message. */
function frame(message: Uint8Array, declaredLength = message.length): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(declaredLength, 1);
  return Buffer.concat([prefix, message]);
}

describe("bad input", () => {
  let member: Member;
  let client: Client;

  before(async () => {
    member = await startMember();
    client = await Client.connect({ endpoints: [member.endpoint], requestTimeoutMs: 10_000 });
    await client.put("precious", "kept");
  });
  after(async () => {
    // Whatever happened above, what was stored is still there.
    assert.equal((await client.get("precious")).kvs[0]?.value.toString(), "kept");
    client.close();
    await member.destroy();
  });

  test("bad input - malformed protobuf gets INTERNAL and the member serves on", async () => {
    const garbage = Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]);
    const r = await rawCall(member.endpoint, "/etcdserverpb.KV/Put", frame(garbage));
    assert.equal(r.status, 13);
    assert.match(r.message, /^grpc: error unmarshalling request: /);
    const truncated = await rawCall(
      member.endpoint,
      "/etcdserverpb.KV/Range",
      frame(Buffer.from([0x0a]), 50),
    );
    assert.notEqual(truncated.status, 0, "a message cut short is not served");
    assert.equal((await client.get("precious")).kvs.length, 1);
  });

  test("bad input - unknown services and methods get UNIMPLEMENTED with grpc-go's text", async () => {
    const empty = frame(Buffer.alloc(0));
    const method = await rawCall(member.endpoint, "/etcdserverpb.KV/Frobnicate", empty);
    assert.deepEqual(
      [method.status, method.message],
      [12, "unknown method Frobnicate for service etcdserverpb.KV"],
    );
    const service = await rawCall(member.endpoint, "/etcdserverpb.Nope/Range", empty);
    assert.deepEqual([service.status, service.message], [12, "unknown service etcdserverpb.Nope"]);
  });

  test("bad input - requests over --max-request-bytes are refused at both limits", async () => {
    // Over etcd's request limit (1.5 MiB) but within gRPC's (plus 512 KiB): etcd's error.
    await assert.rejects(
      client.put("big", Buffer.alloc(1.6 * 1024 * 1024, 1)),
      /etcdserver: request is too large/,
    );
    // Over gRPC's receive limit: refused before it is even decoded.
    const huge = etcdserverpb.PutRequest.encode({
      key: Buffer.from("huge"),
      value: Buffer.alloc(2.5 * 1024 * 1024),
    }).finish();
    const r = await rawCall(member.endpoint, "/etcdserverpb.KV/Put", frame(huge));
    assert.equal(r.status, 8);
    assert.match(r.message, /^grpc: received message larger than max \(\d+ vs\. \d+\)$/);
    assert.equal((await client.get("big")).kvs.length + (await client.get("huge")).kvs.length, 0);
  });

  test("bad input - every byte value round-trips in keys and values", async () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await client.put(all, all);
    await client.put(Buffer.from([0xff, 0xff]), Buffer.alloc(0));
    assert.deepEqual((await client.get(all)).kvs[0]?.value, all);
    const empty = (await client.get(Buffer.from([0xff, 0xff]))).kvs[0];
    assert.equal(empty?.value.length, 0);
    assert.equal(empty?.version, 1);
  });

  test("bad input - absurd limits, revisions and TTLs get etcd's errors", async () => {
    await client.put("absurd", "x");
    const huge = Number.MAX_SAFE_INTEGER;
    assert.equal((await client.get("absurd", { limit: huge })).kvs.length, 1);
    await assert.rejects(client.get("absurd", { revision: huge }), /required revision is a future revision/);
    await assert.rejects(client.compact(huge), /required revision is a future revision/);
    await assert.rejects(client.leaseGrant(9_000_000_001), /etcdserver: too large lease TTL/);
    await assert.rejects(client.put("", "v"), /etcdserver: key is not provided/);
    await assert.rejects(client.put("k", "v", { lease: 12345n }), /etcdserver: requested lease not found/);
    const ops = Array.from({ length: 129 }, (_, i) => ({
      type: "put" as const,
      key: `t${i}`,
      value: "v",
      options: {},
    }));
    await assert.rejects(client.txn({ success: ops }), /too many operations in txn request/);
  });

  test("bad input - clients vanishing mid-stream leave the member serving the rest", async () => {
    for (let i = 0; i < 20; i++) {
      const [host, port] = member.endpoint.split(":");
      const socket = net.connect(Number(port), host);
      const session = http2.connect(`http://${member.endpoint}`, { createConnection: () => socket });
      session.on("error", () => {});
      const watch = session.request({
        ":method": "POST",
        ":path": "/etcdserverpb.Watch/Watch",
        "content-type": "application/grpc",
        te: "trailers",
      });
      watch.on("error", () => {});
      const create = etcdserverpb.WatchRequest.encode({
        createRequest: { key: Buffer.from("vanish"), startRevision: 1 },
      });
      watch.write(frame(create.finish()));
      const keepAlive = session.request({
        ":method": "POST",
        ":path": "/etcdserverpb.Lease/LeaseKeepAlive",
        "content-type": "application/grpc",
        te: "trailers",
      });
      keepAlive.on("error", () => {});
      keepAlive.write(frame(Buffer.from([0x08]), 1)); // half a message
      await new Promise((r) => setTimeout(r, 10));
      socket.destroy(); // no GOAWAY, no RST: gone
    }
    await client.put("vanish", "after");
    assert.equal((await client.get("vanish")).kvs[0]?.value.toString(), "after");
    const watcher = client.watch("vanish", { createdNotify: true });
    let created: () => void = () => {};
    const isCreated = new Promise<void>((resolve) => {
      created = resolve;
    });
    const seen = (async () => {
      for await (const r of watcher) {
        if (r.created) created();
        const put = r.events.find((e) => e.type === 0);
        if (put?.kv) return put.kv.value.toString();
      }
      return "";
    })();
    await isCreated;
    await client.put("vanish", "watched");
    assert.equal(await seen, "watched");
    watcher.cancel();
  });
});
