// The shim as clients meet it: through the listener, with node's HTTP/2 server behind it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import http2 from "node:http2";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import type { TLSSocket } from "node:tls";
import { etcdserverpb as pb } from "../../proto/index.js";
import { GrpcServer, serviceMethods } from "../grpc/index.js";
import { client, unary } from "../grpc/testing.js";
import { CLIENT_PREFACE, EMPTY_SETTINGS, Flag, FrameType, frame } from "./h2-frames.js";
import { indexed, literal, onFrames } from "./h2-testing.js";
import { type ClientListener, HttpRouter, listen, sendText } from "./index.js";

const kv = serviceMethods("etcdserverpb.KV");

/** Range answers with the :authority and peer the handler saw; /whoami says the same over HTTP. */
function handlers(): { grpc: GrpcServer; router: HttpRouter } {
  const grpc = new GrpcServer();
  grpc.register(kv.Range, (_req, ctx) => ({
    kvs: [{ key: Buffer.from(ctx.authority ?? ""), value: Buffer.from(ctx.peer) }],
  }));
  const router = new HttpRouter()
    // Megabytes out, in many writes: the shim must respect the socket's backpressure.
    .handle("/big", (req, res) => pump(res as Writable, Number(req.headers["x-size"])))
    .handle("/sink", async (req, res) => {
      let size = 0;
      for await (const chunk of req) size += (chunk as Buffer).length;
      sendText(res, 200, String(size));
    })
    .handle("/whoami", (req, res) => {
      const socket = req.socket as TLSSocket;
      sendText(
        res,
        200,
        JSON.stringify({
          authority: req.headers[":authority"],
          pad: String(req.headers["x-pad"] ?? "").length,
          remote: `${socket.remoteAddress}:${socket.remotePort}`,
          encrypted: socket.encrypted === true,
        }),
      );
    });
  return { grpc, router };
}

/** Writes `size` octets in 64 KiB chunks, waiting for "drain" whenever asked to, then ends. */
function pump(out: Writable, size: number): void {
  const chunk = Buffer.alloc(64 * 1024, "p");
  let left = size;
  const more = (): void => {
    while (left > 0) {
      left -= chunk.length;
      if (!out.write(chunk)) return void out.once("drain", more);
    }
    out.end();
  };
  more();
}

function get(
  session: http2.ClientHttp2Session,
  headers: http2.OutgoingHttpHeaders,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ":path": "/whoami", ...headers });
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>));
    req.on("error", reject);
    req.end();
  });
}

const connected = (session: http2.ClientHttp2Session): Promise<void> =>
  new Promise((resolve, reject) => {
    session.once("connect", () => resolve());
    session.once("error", reject);
  });

describe("authority shim through the listener", () => {
  let listener: ClientListener;
  let port: number;

  before(async () => {
    const { grpc, router } = handlers();
    listener = await listen("http://127.0.0.1:0", { grpc, http: router.serve });
    port = (listener.address as net.AddressInfo).port;
  });
  after(() => listener.close());

  test("authority shim - many requests with URL authorities on one connection, through table evictions", async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on("error", () => {});
    try {
      await connected(session);
      const local = session.socket.localPort;
      // Varying authorities and large varying headers make the client's encoder add and
      // evict dynamic table entries (4096 octets) all along.
      const authorities = [`http://127.0.0.1:${port}`, "https://a.example:1/", `unix://x/${"p".repeat(300)}`];
      for (let round = 0; round < 20; round++) {
        const batch = [];
        for (let i = 0; i < 10; i++) {
          const n = round * 10 + i;
          const authority = authorities[n % authorities.length]!;
          const pad = "z".repeat((n * 137) % 1500);
          batch.push(
            get(session, { ":authority": authority, "x-pad": pad }).then((r) => {
              assert.deepEqual(r, {
                authority,
                pad: pad.length,
                remote: `127.0.0.1:${local}`,
                encrypted: false,
              });
            }),
          );
        }
        await Promise.all(batch);
      }
    } finally {
      session.close();
    }
  });

  test("authority shim - grpc-js with a URL default authority: calls work and handlers see what it sent", async () => {
    const authority = `http://127.0.0.1:${port}`;
    const c = client(`127.0.0.1:${port}`, { "grpc.default_authority": authority });
    try {
      for (let i = 0; i < 50; i++) {
        const { response } = await unary(c, kv.Range.path, pb.RangeRequest, pb.RangeResponse, {
          key: Buffer.from("k"),
        });
        assert.equal(Buffer.from(response.kvs[0]!.key!).toString(), authority);
        assert.match(Buffer.from(response.kvs[0]!.value!).toString(), /^127\.0\.0\.1:\d+$/);
      }
    } finally {
      c.close();
    }
  });

  test("authority shim - large bodies both ways keep flowing", async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on("error", () => {});
    const size = 8 * 1024 * 1024;
    try {
      const downloaded = await new Promise<number>((resolve, reject) => {
        const req = session.request({ ":path": "/big", ":authority": "http://x:1", "x-size": String(size) });
        let got = 0;
        req.on("data", (c: Buffer) => {
          got += c.length;
        });
        req.on("end", () => resolve(got));
        req.on("error", reject);
        req.end();
      });
      assert.equal(downloaded, size);
      const uploaded = await new Promise<string>((resolve, reject) => {
        const req = session.request({ ":path": "/sink", ":method": "POST", ":authority": "http://x:1" });
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => resolve(Buffer.concat(chunks).toString()));
        req.on("error", reject);
        pump(req, size);
      });
      assert.equal(uploaded, String(size));
    } finally {
      session.close();
    }
  });

  test("authority shim - a broken header block ends only its own connection", async () => {
    const healthy = http2.connect(`http://127.0.0.1:${port}`, {}, () => {});
    healthy.on("error", () => {});
    try {
      assert.equal((await get(healthy, { ":authority": "http://ok" })).authority, "http://ok");
      const block = (authority: string) =>
        Buffer.concat([indexed(2), indexed(6), literal(4, "/whoami"), literal(1, authority, "incremental")]);
      // A first block nghttp2 cannot decode (the gate passes it on), and a broken block on a
      // connection already going through the shim.
      for (const opening of [
        [],
        [frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, 1, block("http://x"))],
      ]) {
        const socket = net.connect(port, "127.0.0.1");
        socket.on("error", () => {});
        // Node's server answers GOAWAY COMPRESSION_ERROR and leaves closing to the client.
        const goawayCode = new Promise<number>((resolve) => {
          onFrames(socket, (f) => {
            if (f.type === FrameType.GOAWAY) resolve(f.payload.readUInt32BE(4));
          });
        });
        const garbage = frame(
          FrameType.HEADERS,
          Flag.END_HEADERS | Flag.END_STREAM,
          3,
          Buffer.from([0x80, 0xff]),
        );
        socket.write(Buffer.concat([CLIENT_PREFACE, EMPTY_SETTINGS, ...opening, garbage]));
        assert.equal(await goawayCode, 0x9, "COMPRESSION_ERROR");
        socket.destroy();
      }
      assert.equal((await get(healthy, { ":authority": "http://ok" })).authority, "http://ok");
    } finally {
      healthy.close();
    }
  });

  test("authority shim - closing the listener ends shimmed connections too", async () => {
    const { grpc, router } = handlers();
    const own = await listen("http://127.0.0.1:0", { grpc, http: router.serve });
    const session = http2.connect(own.url);
    session.on("error", () => {});
    await get(session, { ":authority": "http://x:1" });
    const closed = new Promise((resolve) => session.once("close", resolve));
    await own.close(1000);
    await closed;
  });
});

describe("authority shim over TLS", () => {
  let dir: string | undefined;
  let tls: { key: Buffer; cert: Buffer } | undefined;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tetcd-shim-tls-"));
    try {
      execFileSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-days",
          "1",
          "-subj",
          "/CN=localhost",
          "-keyout",
          join(dir, "key.pem"),
          "-out",
          join(dir, "cert.pem"),
        ],
        { stdio: "ignore" },
      );
      tls = { key: await readFile(join(dir, "key.pem")), cert: await readFile(join(dir, "cert.pem")) };
    } catch {
      tls = undefined;
    }
  });
  after(() => (dir === undefined ? undefined : rm(dir, { recursive: true, force: true })));

  test("authority shim - https: URL and plain authorities are served, and handlers see a TLS socket", async (t) => {
    if (tls === undefined) return t.skip("openssl is not available");
    const { grpc, router } = handlers();
    const secure = await listen("https://127.0.0.1:0", { grpc, http: router.serve, tls });
    const session = http2.connect(secure.url, { rejectUnauthorized: false });
    session.on("error", () => {});
    try {
      await connected(session);
      const r = await get(session, { ":authority": "https://localhost:2379" });
      assert.deepEqual(r, {
        authority: "https://localhost:2379",
        pad: 0,
        remote: `127.0.0.1:${session.socket.localPort}`,
        encrypted: true,
      });
      // And the fast path over TLS: the raw TLS socket, bytes put back.
      const plain = http2.connect(secure.url, { rejectUnauthorized: false });
      plain.on("error", () => {});
      try {
        assert.equal((await get(plain, { ":authority": "localhost:2379" })).encrypted, true);
      } finally {
        plain.close();
      }
    } finally {
      session.close();
      await secure.close();
    }
  });
});
