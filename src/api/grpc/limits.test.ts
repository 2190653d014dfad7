import assert from "node:assert/strict";
import http2 from "node:http2";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import { register } from "prom-client";
import { etcdserverpb as pb } from "../../proto/index.js";
import { frame } from "./framing.js";
import { type CallContext, defineMethod, GrpcError, messageBytes, Status } from "./index.js";
import { client, grpcFramings, grpcJs, startTestServer, type TestServer, unary } from "./testing.js";

const slow = defineMethod("/test.Limits/Slow", "unary", pb.PutRequest, pb.PutResponse);
const hang = defineMethod("/test.Limits/Hang", "serverStream", pb.PutRequest, pb.PutResponse);
const hold = defineMethod("/test.Limits/Hold", "bidi", pb.PutRequest, pb.PutResponse);
const counted = defineMethod("/test.Metrics/Counted", "unary", pb.PutRequest, pb.PutResponse);
const countedBidi = defineMethod("/test.Metrics/CountedBidi", "bidi", pb.PutRequest, pb.PutResponse);
const big = defineMethod("/test.Limits/Big", "unary", pb.PutRequest, pb.PutResponse);

function aborted(ctx: CallContext): Promise<unknown> {
  return new Promise((resolve) => {
    if (ctx.signal.aborted) resolve(ctx.signal.reason);
    ctx.signal.addEventListener("abort", () => resolve(ctx.signal.reason), { once: true });
  });
}

// HTTP/2 frames written by hand, for a client that ignores the server's SETTINGS.
function h2Frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(streamId, 5);
  return Buffer.concat([header, payload]);
}
function literalHeader(name: string, value: string): Buffer {
  // HPACK "literal header field without indexing, new name", no Huffman coding (short strings).
  return Buffer.concat([
    Buffer.from([0, name.length]),
    Buffer.from(name),
    Buffer.from([value.length]),
    Buffer.from(value),
  ]);
}
function readFrames(
  socket: net.Socket,
  onFrame: (type: number, flags: number, streamId: number, payload: Buffer) => void,
) {
  let buffered = Buffer.alloc(0);
  socket.on("data", (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 9) {
      const length = buffered.readUIntBE(0, 3);
      if (buffered.length < 9 + length) break;
      onFrame(
        buffered[3]!,
        buffered[4]!,
        buffered.readUInt32BE(5) & 0x7fffffff,
        buffered.subarray(9, 9 + length),
      );
      buffered = buffered.subarray(9 + length);
    }
  });
}
const preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

for (const grpcFraming of grpcFramings)
  describe(`grpc limits, deadlines, keepalive and metrics (${grpcFraming} framing)`, () => {
    let server: TestServer;
    let running = 0;
    let maxRunning = 0;
    let hangReason: unknown;
    let holdStarted = 0;
    let onHangAborted: (() => void) | undefined;

    before(async () => {
      server = await startTestServer(
        grpcFraming,
        (grpc) => {
          grpc.register(slow, async (req) => {
            running++;
            maxRunning = Math.max(maxRunning, running);
            await new Promise((resolve) => setTimeout(resolve, 20));
            running--;
            return { header: { revision: Number(req.lease) } };
          });
          grpc.register(hold, async (_call, ctx) => {
            holdStarted++;
            await aborted(ctx);
          });
          grpc.register(hang, async (_req, out, ctx) => {
            out.write({});
            hangReason = await aborted(ctx);
            onHangAborted?.();
          });
          grpc.register(counted, (req) => {
            if (Number(req.lease) === 1) throw new GrpcError(Status.NOT_FOUND, "missing");
            return {};
          });
          grpc.register(big, () => ({ prevKv: { key: new Uint8Array(1), value: new Uint8Array(1 << 20) } }));
          grpc.register(countedBidi, async (call) => {
            for await (const _ of call) {
              call.write({});
              call.write({});
            }
          });
        },
        { maxConcurrentStreams: 2, keepalive: { minTimeMs: 5000, intervalMs: 60_000, timeoutMs: 1000 } },
      );
    });
    after(() => server.close());

    test("grpc limits - grpc-js queues beyond max concurrent streams; the server never runs more", async () => {
      const c = client(server.target);
      try {
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            unary(c, slow.path, pb.PutRequest, pb.PutResponse, { lease: i }).then((r) =>
              Number(r.response.header?.revision),
            ),
          ),
        );
        assert.deepEqual(
          results,
          Array.from({ length: 10 }, (_, i) => i),
        );
        assert.ok(maxRunning >= 1 && maxRunning <= 2, `ran ${maxRunning} at once`);
      } finally {
        c.close();
      }
    });

    test("grpc limits - a client ignoring SETTINGS_MAX_CONCURRENT_STREAMS is refused", async () => {
      // nghttp2 treats the excess stream as a protocol violation and ends the connection with
      // GOAWAY (grpc-go would refuse only the stream); either way no third handler runs.
      const startedBefore = holdStarted;
      const [host, port] = server.target.split(":");
      const socket = net.connect(Number(port), host);
      let serverSettings!: () => void;
      let settingsAcked!: () => void;
      const handshake = Promise.all([
        new Promise<void>((resolve) => {
          serverSettings = resolve;
        }),
        new Promise<void>((resolve) => {
          settingsAcked = resolve;
        }),
      ]);
      const goaway = new Promise<void>((resolve) => {
        readFrames(socket, (type, flags) => {
          if (type === 4 && (flags & 1) === 0) {
            socket.write(h2Frame(4, 1, 0, Buffer.alloc(0))); // ack the server's SETTINGS
            serverSettings();
          }
          if (type === 4 && (flags & 1) === 1) settingsAcked();
          if (type === 7) resolve();
        });
      });
      socket.write(Buffer.concat([preface, h2Frame(4, 0, 0, Buffer.alloc(0))]));
      await handshake; // both sides know each other's settings now
      const headers = Buffer.concat([
        literalHeader(":method", "POST"),
        literalHeader(":scheme", "http"),
        literalHeader(":path", hold.path),
        literalHeader(":authority", "x"),
        literalHeader("content-type", "application/grpc"),
      ]);
      for (const id of [1, 3, 5]) socket.write(h2Frame(1, 4, id, headers)); // HEADERS, END_HEADERS
      await goaway;
      socket.destroy();
      assert.ok(holdStarted - startedBefore <= 2);
    });

    test("grpc limits - a grpc-js deadline ends the call and aborts the handler", async () => {
      const c = client(server.target);
      const seen = new Promise<void>((resolve) => {
        onHangAborted = resolve;
      });
      try {
        const stream = c.makeServerStreamRequest(
          hang.path,
          (v: pb.IPutRequest) => Buffer.from(pb.PutRequest.encode(v).finish()),
          (b: Buffer) => pb.PutResponse.decode(b),
          {},
          new grpcJs.Metadata(),
          { deadline: Date.now() + 500 },
        );
        const error = await new Promise<grpcJs.ServiceError>((resolve) => stream.on("error", resolve));
        stream.on("data", () => {});
        assert.equal(error.code, Status.DEADLINE_EXCEEDED);
        await seen;
        assert.ok(hangReason instanceof GrpcError);
        assert.ok([Status.DEADLINE_EXCEEDED, Status.CANCELLED].includes(hangReason.code));
      } finally {
        c.close();
      }
    });

    test("grpc keepalive - a client pinging more often than min time gets GOAWAY too_many_pings", async () => {
      const session = http2.connect(`http://${server.target}`);
      session.on("error", () => {});
      await new Promise((resolve) => session.once("connect", resolve));
      const stream = session.request({
        ":method": "POST",
        ":path": hang.path,
        "content-type": "application/grpc",
      });
      stream.on("error", () => {});
      stream.end(frame(new Uint8Array(0)));
      await new Promise((resolve) => stream.once("data", resolve));
      const goaway = new Promise<[number, string]>((resolve) =>
        session.once("goaway", (code: number, _last: number, data?: Buffer) => resolve([code, String(data)])),
      );
      let got: [number, string] | undefined;
      void goaway.then((g) => {
        got = g;
      });
      for (let i = 0; i < 10 && got === undefined && !session.destroyed; i++) {
        await new Promise((resolve) => session.ping((error) => resolve(error)));
      }
      assert.deepEqual(await goaway, [http2.constants.NGHTTP2_ENHANCE_YOUR_CALM, "too_many_pings"]);
      session.destroy();
    });

    test("grpc keepalive - pings answering each DATA frame of a flow-controlled response are not strikes", async () => {
      // grpc-go clients ping as data arrives to size their window (BDP estimation). A large
      // response drains through a small window frame by frame, long after it was queued.
      const session = http2.connect(`http://${server.target}`, { settings: { initialWindowSize: 16_384 } });
      session.on("error", () => {});
      let goaway = false;
      session.on("goaway", () => {
        goaway = true;
      });
      const stream = session.request({
        ":method": "POST",
        ":path": big.path,
        "content-type": "application/grpc",
      });
      stream.end(frame(new Uint8Array(0)));
      let received = 0;
      let pings = 0;
      stream.on("data", (chunk: Buffer) => {
        received += chunk.length;
        pings++;
        session.ping(() => {});
      });
      await new Promise((resolve) => stream.once("close", resolve));
      session.destroy();
      assert.ok(pings > 10, `only ${pings} DATA events`);
      assert.equal(goaway, false);
      assert.ok(received > 1 << 20, `received ${received} bytes`);
    });

    test("grpc keepalive - an idle connection is pinged, and closed when the ping goes unanswered", async () => {
      const quick = await startTestServer(grpcFraming, () => {}, {
        keepalive: { intervalMs: 30, timeoutMs: 30 },
      });
      try {
        // A well-behaved client answers and stays connected.
        const session = http2.connect(`http://${quick.target}`);
        await new Promise((resolve) => session.once("ping", resolve));
        assert.equal(session.destroyed, false);
        session.close();
        // A client that never answers is disconnected after the server's ping.
        const [host, port] = quick.target.split(":");
        const socket = net.connect(Number(port), host);
        let pinged = false;
        readFrames(socket, (type) => {
          if (type === 6) pinged = true;
        });
        socket.write(Buffer.concat([preface, h2Frame(4, 0, 0, Buffer.alloc(0))]));
        await new Promise((resolve) => socket.once("close", resolve));
        assert.equal(pinged, true);
      } finally {
        await quick.close();
      }
    });

    test("grpc metrics - started, handled by code, messages received and sent, as go-grpc-prometheus", async () => {
      // The registry is the process's: both framings' suites count into it.
      const before = await register.metrics();
      const c = client(server.target);
      try {
        await unary(c, counted.path, pb.PutRequest, pb.PutResponse, { lease: 2 });
        await unary(c, counted.path, pb.PutRequest, pb.PutResponse, { lease: 2 });
        await assert.rejects(unary(c, counted.path, pb.PutRequest, pb.PutResponse, { lease: 1 }));
        const stream = c.makeBidiStreamRequest(
          countedBidi.path,
          (v: pb.IPutRequest) => Buffer.from(pb.PutRequest.encode(v).finish()),
          (b: Buffer) => pb.PutResponse.decode(b),
        );
        const ended = new Promise((resolve) => stream.on("status", resolve));
        stream.on("data", () => {});
        stream.write({});
        stream.write({});
        stream.write({});
        stream.end();
        await ended;
      } finally {
        c.close();
      }
      const text = await register.metrics();
      const read = (from: string, name: string, labels: string): number | undefined => {
        const line = from.split("\n").find((l) => l.startsWith(`${name}{${labels}}`));
        return line === undefined ? undefined : Number(line.split(" ").pop());
      };
      const value = (name: string, labels: string): number => {
        const now = read(text, name, labels);
        assert.ok(now !== undefined, `${name}{${labels}} missing`);
        return now - (read(before, name, labels) ?? 0);
      };
      const unaryLabels = 'grpc_type="unary",grpc_service="test.Metrics",grpc_method="Counted"';
      const bidiLabels = 'grpc_type="bidi_stream",grpc_service="test.Metrics",grpc_method="CountedBidi"';
      assert.equal(value("grpc_server_started_total", unaryLabels), 3);
      assert.equal(value("grpc_server_handled_total", `${unaryLabels},grpc_code="OK"`), 2);
      assert.equal(value("grpc_server_handled_total", `${unaryLabels},grpc_code="NotFound"`), 1);
      assert.equal(value("grpc_server_handled_total", `${unaryLabels},grpc_code="Unavailable"`), 0);
      assert.equal(value("grpc_server_msg_received_total", unaryLabels), 3);
      assert.equal(value("grpc_server_msg_sent_total", unaryLabels), 2);
      assert.equal(value("grpc_server_started_total", bidiLabels), 1);
      assert.equal(value("grpc_server_msg_received_total", bidiLabels), 3);
      assert.equal(value("grpc_server_msg_sent_total", bidiLabels), 6);
      assert.equal(value("grpc_server_handled_total", `${bidiLabels},grpc_code="OK"`), 1);
      assert.ok(
        text.includes("# HELP grpc_server_started_total Total number of RPCs started on the server.\n"),
      );
      assert.ok(text.includes("# TYPE grpc_server_handled_total counter\n"));
    });

    test("grpc metrics - message bytes received and sent, without the 5-byte prefix, as etcd's codec counts them", async () => {
      const request = { key: Buffer.from("some key"), value: Buffer.from("some value"), lease: 2 };
      const requestBytes = pb.PutRequest.encode(request).finish().length;
      const responseBytes = pb.PutResponse.encode({
        prevKv: { key: new Uint8Array(1), value: new Uint8Array(1 << 20) },
      }).finish().length;
      const before = messageBytes();
      const c = client(server.target);
      try {
        await unary(c, counted.path, pb.PutRequest, pb.PutResponse, request);
        await unary(c, big.path, pb.PutRequest, pb.PutResponse, {});
      } finally {
        c.close();
      }
      const after = messageBytes();
      assert.equal(after.received - before.received, requestBytes);
      assert.equal(after.sent - before.sent, responseBytes);
    });
  });
