import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { etcdserverpb as pb } from "../../proto/index.js";
import { frame } from "../grpc/framing.js";
import { defineMethod, GrpcServer, serviceMethods } from "../grpc/index.js";
import { client, rawCall, unary } from "../grpc/testing.js";
import { HttpRouter, listen, parseClientUrl, sendText } from "./index.js";

const kv = serviceMethods("etcdserverpb.KV");

function setup(): { grpc: GrpcServer; router: HttpRouter } {
  const grpc = new GrpcServer();
  grpc.register(kv.Range, (req) => ({ kvs: [{ key: req.key, value: Buffer.from("grpc") }] }));
  const router = new HttpRouter()
    .handle("/health", (req, res) => sendText(res, 200, `health ${req.method} HTTP/${req.httpVersion}`))
    .handle("/echo", async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      sendText(res, 200, `${req.headers["content-type"]}:${Buffer.concat(chunks).toString()}`);
    });
  return { grpc, router };
}

/** An HTTP/1.1 request; resolves to status and body. */
function h1Request(
  options: http.RequestOptions,
  body?: string,
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent: false, ...options }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString(),
          headers: res.headers,
        }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** An HTTP/2 request on a prior-knowledge cleartext connection. */
function h2Request(
  session: http2.ClientHttp2Session,
  headers: http2.OutgoingHttpHeaders,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = session.request(headers);
    let status = 0;
    const chunks: Buffer[] = [];
    req.on("response", (h) => {
      status = Number(h[":status"]);
    });
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve({ status, body: Buffer.concat(chunks).toString() }));
    req.on("error", reject);
    req.end(body);
  });
}

describe("http listener", () => {
  let listener: Awaited<ReturnType<typeof listen>>;
  let port: number;

  before(async () => {
    const { grpc, router } = setup();
    listener = await listen("http://127.0.0.1:0", { grpc, http: router.serve });
    port = (listener.address as net.AddressInfo).port;
  });
  after(() => listener.close());

  test("http listener - reports the bound address for port 0", () => {
    assert.ok(port > 0);
    assert.equal(listener.url, `http://127.0.0.1:${port}`);
    assert.equal(listener.secure, false);
  });

  test("http listener - HTTP/1.1 and HTTP/2 reach the same handler on one port", async () => {
    const r1 = await h1Request({ host: "127.0.0.1", port, path: "/health" });
    assert.equal(r1.status, 200);
    assert.equal(r1.body, "health GET HTTP/1.1");
    const session = http2.connect(`http://127.0.0.1:${port}`);
    try {
      const r2 = await h2Request(session, { ":path": "/health" });
      assert.equal(r2.status, 200);
      assert.equal(r2.body, "health GET HTTP/2.0");
    } finally {
      session.close();
    }
  });

  test("http listener - one port serves gRPC, plain HTTP/2, and HTTP/1.1 with a gRPC content-type", async () => {
    const c = client(`127.0.0.1:${port}`);
    try {
      const { response } = await unary(c, kv.Range.path, pb.RangeRequest, pb.RangeResponse, {
        key: Buffer.from("k"),
      });
      assert.equal(Buffer.from(response.kvs[0]!.value!).toString(), "grpc");
    } finally {
      c.close();
    }
    const session = http2.connect(`http://127.0.0.1:${port}`);
    try {
      const posted = await h2Request(
        session,
        { ":path": "/echo", ":method": "POST", "content-type": "application/json" },
        "{}",
      );
      assert.equal(posted.body, "application/json:{}");
      // gRPC's content-type over HTTP/1.1 is not gRPC: it goes to the router.
      const r = await h1Request(
        {
          host: "127.0.0.1",
          port,
          path: "/echo",
          method: "POST",
          headers: { "content-type": "application/grpc" },
        },
        "x",
      );
      assert.equal(r.body, "application/grpc:x");
    } finally {
      session.close();
    }
  });

  test("http listener - a preface arriving byte by byte is still HTTP/2", async () => {
    const socket = net.connect(port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    const reply = new Promise<Buffer>((resolve) => socket.once("data", resolve));
    const preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    for (const byte of preface) {
      socket.write(Buffer.from([byte]));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    socket.write(Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])); // an empty SETTINGS frame
    const first = await reply;
    socket.destroy();
    assert.equal(
      first[3],
      4,
      `expected the server's SETTINGS frame, got ${JSON.stringify(first.toString())}`,
    );
  });

  test("http listener - unknown paths get Go's 404 text", async () => {
    const r = await h1Request({ host: "127.0.0.1", port, path: "/nope" });
    assert.equal(r.status, 404);
    assert.equal(r.body, "404 page not found\n");
    assert.equal(r.headers["content-type"], "text/plain; charset=utf-8");
  });
});

/** A Range call over a raw session; resolves to its grpc-status and the value answered. */
async function rangeOver(session: http2.ClientHttp2Session): Promise<{ status: unknown; value: string }> {
  const r = await rawCall(session, { ":path": kv.Range.path }, [
    frame(pb.RangeRequest.encode({ key: Buffer.from("k") }).finish()),
  ]);
  const value = r.data.length > 5 ? pb.RangeResponse.decode(r.data.subarray(5)).kvs[0]?.value : undefined;
  return { status: r.trailers?.["grpc-status"], value: Buffer.from(value ?? []).toString() };
}

describe("http listener gRPC framing", () => {
  // Tell the framings apart by what a non-gRPC request gets on a connection: node:http2
  // routes it to the HTTP handler (200), our framing, which serves gRPC only, answers 415.
  const listeners: Awaited<ReturnType<typeof listen>>[] = [];
  const sessions: http2.ClientHttp2Session[] = [];
  after(async () => {
    for (const session of sessions) session.destroy();
    await Promise.all(listeners.map((l) => l.close()));
  });

  async function connect(options: { grpcFraming?: "own" | "node" } = {}): Promise<http2.ClientHttp2Session> {
    const { grpc, router } = setup();
    const listener = await listen("http://127.0.0.1:0", { grpc, http: router.serve, ...options });
    listeners.push(listener);
    const session = http2.connect(listener.url);
    sessions.push(session);
    return session;
  }

  test("http listener - a connection whose first request is gRPC is framed by us: a plain request on it gets 415", async () => {
    const session = await connect();
    assert.deepEqual(await rangeOver(session), { status: "0", value: "grpc" });
    const r = await h2Request(session, { ":path": "/health" });
    assert.equal(r.status, 415);
    assert.equal(r.body, "");
    // The connection still serves gRPC.
    assert.deepEqual(await rangeOver(session), { status: "0", value: "grpc" });
  });

  test("http listener - a connection whose first request is plain HTTP/2 stays with node:http2, and gRPC calls on it work", async () => {
    const session = await connect();
    assert.deepEqual(await h2Request(session, { ":path": "/health" }), {
      status: 200,
      body: "health GET HTTP/2.0",
    });
    assert.deepEqual(await rangeOver(session), { status: "0", value: "grpc" });
    assert.deepEqual(await h2Request(session, { ":path": "/health" }), {
      status: 200,
      body: "health GET HTTP/2.0",
    });
  });

  test('http listener - with grpcFraming "node" a gRPC-first connection goes to node:http2', async () => {
    const session = await connect({ grpcFraming: "node" });
    assert.deepEqual(await rangeOver(session), { status: "0", value: "grpc" });
    assert.deepEqual(await h2Request(session, { ":path": "/health" }), {
      status: 200,
      body: "health GET HTTP/2.0",
    });
  });
});

describe("http listener on a unix socket", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tetcd-listener-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test("http listener - unix:// serves gRPC and HTTP/1.1, and removes its socket on close", async () => {
    const path = join(dir, "client.sock");
    const { grpc, router } = setup();
    const listener = await listen(`unix://${path}`, { grpc, http: router.serve });
    try {
      assert.equal(listener.url, `unix://${path}`);
      assert.equal(listener.address, path);
      const r = await h1Request({ socketPath: path, path: "/health" });
      assert.equal(r.body, "health GET HTTP/1.1");
      const c = client(`unix:${path}`);
      try {
        const { response } = await unary(c, kv.Range.path, pb.RangeRequest, pb.RangeResponse, {
          key: Buffer.from("k"),
        });
        assert.equal(Buffer.from(response.kvs[0]!.value!).toString(), "grpc");
      } finally {
        c.close();
      }
    } finally {
      await listener.close();
    }
    assert.equal(existsSync(path), false);
  });
});

describe("http listener close", () => {
  test("http listener - close lets calls in flight finish within the grace period, then cuts the rest", async () => {
    const grpc = new GrpcServer();
    const slow = defineMethod("/test.Close/Slow", "unary", pb.PutRequest, pb.PutResponse);
    const hang = defineMethod("/test.Close/Hang", "bidi", pb.PutRequest, pb.PutResponse);
    let hangAborted = false;
    let slowStarted!: () => void;
    let hangStarted!: () => void;
    const started = Promise.all([
      new Promise<void>((resolve) => {
        slowStarted = resolve;
      }),
      new Promise<void>((resolve) => {
        hangStarted = resolve;
      }),
    ]);
    grpc.register(slow, async () => {
      slowStarted();
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { header: { revision: 1 } };
    });
    grpc.register(hang, async (_call, ctx) => {
      hangStarted();
      await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
      hangAborted = true;
    });
    const listener = await listen("http://127.0.0.1:0", { grpc, http: new HttpRouter().serve });
    const c = client(listener.url.replace("http://", ""));
    try {
      const stream = c.makeBidiStreamRequest(
        hang.path,
        (v: pb.IPutRequest) => Buffer.from(pb.PutRequest.encode(v).finish()),
        (b: Buffer) => pb.PutResponse.decode(b),
      );
      stream.on("error", () => {});
      const inFlight = unary(c, slow.path, pb.PutRequest, pb.PutResponse, {});
      await started;
      await listener.close(300);
      assert.equal(Number((await inFlight).response.header?.revision), 1);
      assert.equal(hangAborted, true);
    } finally {
      c.close();
    }
  });
});

describe("client URLs", () => {
  test("client URLs - parse as etcd does", () => {
    assert.deepEqual(parseClientUrl("http://127.0.0.1:2379"), {
      scheme: "http",
      host: "127.0.0.1",
      port: 2379,
      path: "",
    });
    assert.deepEqual(parseClientUrl("https://[::1]:0"), { scheme: "https", host: "::1", port: 0, path: "" });
    assert.deepEqual(parseClientUrl("unix://localhost:2379"), {
      scheme: "unix",
      host: "",
      port: 0,
      path: "localhost:2379",
    });
    assert.deepEqual(parseClientUrl("unixs:///tmp/x.sock").path, "/tmp/x.sock");
    assert.throws(() => parseClientUrl("ftp://x:1"), /unsupported client URL/);
    assert.throws(() => parseClientUrl("http://x"), /must have a host and a port/);
  });
});
