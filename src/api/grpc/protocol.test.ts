import assert from "node:assert/strict";
import http2 from "node:http2";
import { after, before, describe, test } from "node:test";
import { etcdserverpb as pb } from "../../proto/index.js";
import { frame } from "./framing.js";
import { GrpcError, Status, serviceMethods } from "./index.js";
import { grpcFramings, rawCall, startTestServer, type TestServer } from "./testing.js";

const kv = serviceMethods("etcdserverpb.KV");
const watch = serviceMethods("etcdserverpb.Watch");

function rangeFrame(key: string): Buffer {
  return frame(pb.RangeRequest.encode({ key: Buffer.from(key) }).finish());
}

for (const grpcFraming of grpcFramings)
  describe(`grpc protocol edges (raw HTTP/2) (${grpcFraming} framing)`, () => {
    let server: TestServer;
    let session: http2.ClientHttp2Session;
    let deadlineReason: unknown;

    before(async () => {
      server = await startTestServer(
        grpcFraming,
        (grpc) => {
          grpc.register(kv.Range, async (req, ctx) => {
            const key = Buffer.from(req.key).toString();
            if (key === "wait") {
              deadlineReason = await new Promise((resolve) =>
                ctx.signal.addEventListener("abort", () => resolve(ctx.signal.reason), { once: true }),
              );
              return {};
            }
            if (key === "big") return { kvs: [{ key: Buffer.alloc(2000) }] };
            return { kvs: [{ key: req.key }] };
          });
          grpc.register(watch.Watch, async (call) => {
            for await (const _ of call) call.write({ created: true });
          });
        },
        { maxReceiveMessageBytes: 1024, maxSendMessageBytes: 1500 },
      );
      session = http2.connect(`http://${server.target}`);
    });
    after(async () => {
      session.close();
      await server.close();
    });

    test("grpc protocol - a response is headers, one length-prefixed message, then grpc-status trailers", async () => {
      const r = await rawCall(session, { ":path": kv.Range.path }, [rangeFrame("abc")]);
      assert.equal(r.headers[":status"], 200);
      assert.equal(r.headers["content-type"], "application/grpc");
      assert.equal(r.trailers?.["grpc-status"], "0");
      assert.equal(r.data[0], 0);
      assert.equal(r.data.readUInt32BE(1), r.data.length - 5);
      assert.equal(Buffer.from(pb.RangeResponse.decode(r.data.subarray(5)).kvs[0]!.key!).toString(), "abc");
    });

    test("grpc protocol - a message split across DATA frames is reassembled", async () => {
      const whole = rangeFrame("split-me");
      const parts = [whole.subarray(0, 2), whole.subarray(2, 7), whole.subarray(7, 9), whole.subarray(9)];
      const r = await rawCall(session, { ":path": kv.Range.path }, parts);
      assert.equal(
        Buffer.from(pb.RangeResponse.decode(r.data.subarray(5)).kvs[0]!.key!).toString(),
        "split-me",
      );
    });

    test("grpc protocol - errors before any message are trailers-only", async () => {
      const r = await rawCall(session, { ":path": "/etcdserverpb.KV/Nope" }, [rangeFrame("x")]);
      assert.equal(r.trailers, undefined);
      assert.equal(r.data.length, 0);
      assert.equal(r.headers[":status"], 200);
      assert.equal(r.headers["grpc-status"], String(Status.UNIMPLEMENTED));
      assert.equal(r.headers["grpc-message"], "unknown method Nope for service etcdserverpb.KV");
    });

    test("grpc protocol - malformed method path is grpc-go's RESOURCE_EXHAUSTED", async () => {
      const r = await rawCall(session, { ":path": "/nopath" }, []);
      assert.equal(r.headers["grpc-status"], String(Status.RESOURCE_EXHAUSTED));
      assert.equal(r.headers["grpc-message"], 'malformed method name: "/nopath"');
    });

    test("grpc protocol - undecodable protobuf is INTERNAL with grpc-go's prefix", async () => {
      const r = await rawCall(session, { ":path": kv.Range.path }, [frame(Buffer.from([0x0a, 0x10, 0x01]))]);
      assert.equal(r.headers["grpc-status"], String(Status.INTERNAL));
      assert.equal(r.headers["grpc-message"], "grpc: error unmarshalling request: unexpected EOF");
      const wire = await rawCall(session, { ":path": kv.Range.path }, [frame(Buffer.from([0x0f, 0x01]))]);
      assert.equal(wire.headers["grpc-status"], String(Status.INTERNAL));
      assert.match(String(wire.headers["grpc-message"]), /^grpc: error unmarshalling request: /);
    });

    test("grpc protocol - no request message for a unary call is grpc-go's UNKNOWN EOF", async () => {
      const r = await rawCall(session, { ":path": kv.Range.path }, []);
      assert.equal(r.headers["grpc-status"], String(Status.UNKNOWN));
      assert.equal(r.headers["grpc-message"], "EOF");
    });

    test("grpc protocol - a stream ending inside a message is INTERNAL unexpected EOF", async () => {
      const r = await rawCall(session, { ":path": kv.Range.path }, [rangeFrame("abc").subarray(0, 6)]);
      assert.equal(r.headers["grpc-status"], String(Status.INTERNAL));
      assert.equal(r.headers["grpc-message"], "unexpected EOF");
    });

    test("grpc protocol - compression: unsupported grpc-encoding and a compressed flag without one", async () => {
      const gzip = await rawCall(session, { ":path": kv.Range.path, "grpc-encoding": "gzip" }, [
        rangeFrame("x"),
      ]);
      assert.equal(gzip.headers["grpc-status"], String(Status.UNIMPLEMENTED));
      assert.equal(
        gzip.headers["grpc-message"],
        'grpc: Decompressor is not installed for grpc-encoding "gzip"',
      );
      const flagged = rangeFrame("x");
      flagged[0] = 1;
      const r = await rawCall(session, { ":path": kv.Range.path }, [flagged]);
      assert.equal(r.headers["grpc-status"], String(Status.INTERNAL));
      assert.equal(r.headers["grpc-message"], "grpc: compressed flag set with identity or empty encoding");
      const identity = await rawCall(session, { ":path": kv.Range.path, "grpc-encoding": "identity" }, [
        rangeFrame("ok"),
      ]);
      assert.equal(identity.trailers?.["grpc-status"], "0");
    });

    test("grpc protocol - messages at the receive limit pass, one byte over is RESOURCE_EXHAUSTED", async () => {
      // A RangeRequest whose encoding is exactly 1024 bytes: tag (1) + length varint (2) + key.
      const atLimit = frame(pb.RangeRequest.encode({ key: Buffer.alloc(1021, 1) }).finish());
      assert.equal(atLimit.length - 5, 1024);
      const ok = await rawCall(session, { ":path": kv.Range.path }, [atLimit]);
      assert.equal(ok.trailers?.["grpc-status"], "0");
      const over = frame(pb.RangeRequest.encode({ key: Buffer.alloc(1022, 1) }).finish());
      const r = await rawCall(session, { ":path": kv.Range.path }, [over]);
      assert.equal(r.headers["grpc-status"], String(Status.RESOURCE_EXHAUSTED));
      assert.equal(r.headers["grpc-message"], "grpc: received message larger than max (1025 vs. 1024)");
    });

    test("grpc protocol - an oversized message is refused before its body arrives", async () => {
      const header = Buffer.from([0, 0, 0x10, 0, 0]); // announces 1 MiB, body never sent
      const r = await rawCall(session, { ":path": kv.Range.path }, [header], false);
      assert.equal(r.headers["grpc-status"], String(Status.RESOURCE_EXHAUSTED));
      assert.equal(r.headers["grpc-message"], "grpc: received message larger than max (1048576 vs. 1024)");
      assert.equal(r.rstCode, http2.constants.NGHTTP2_NO_ERROR);
    });

    test("grpc protocol - a response over the send limit is RESOURCE_EXHAUSTED", async () => {
      const r = await rawCall(session, { ":path": kv.Range.path }, [rangeFrame("big")]);
      assert.equal(r.headers["grpc-status"], String(Status.RESOURCE_EXHAUSTED));
      assert.match(
        String(r.headers["grpc-message"]),
        /^grpc: trying to send message larger than max \(\d+ vs\. 1500\)$/,
      );
    });

    test("grpc protocol - grpc-timeout expiry ends the call DEADLINE_EXCEEDED and aborts the handler", async () => {
      for (const timeout of ["30m", "30000u", "30000000n", "1S"]) {
        deadlineReason = undefined;
        const r = await rawCall(session, { ":path": kv.Range.path, "grpc-timeout": timeout }, [
          rangeFrame("wait"),
        ]);
        assert.equal(r.headers["grpc-status"], String(Status.DEADLINE_EXCEEDED), timeout);
        assert.equal(r.headers["grpc-message"], "context deadline exceeded");
        assert.ok(deadlineReason instanceof GrpcError);
        assert.equal(deadlineReason.code, Status.DEADLINE_EXCEEDED);
      }
    });

    test("grpc protocol - a malformed grpc-timeout resets the stream, as grpc-go does", async () => {
      const r = await rawCall(session, { ":path": kv.Range.path, "grpc-timeout": "soon" }, [rangeFrame("x")]);
      assert.equal(r.rstCode, http2.constants.NGHTTP2_PROTOCOL_ERROR);
    });

    test("grpc protocol - only POST is a gRPC call", async () => {
      const r = await rawCall(session, { ":path": kv.Range.path, ":method": "PUT" }, [rangeFrame("x")]);
      assert.equal(r.headers[":status"], 405);
      assert.equal(r.headers["grpc-status"], String(Status.INTERNAL));
    });

    test("grpc protocol - response content-type follows the request's +subtype", async () => {
      const r = await rawCall(session, { ":path": kv.Range.path, "content-type": "application/grpc+proto" }, [
        rangeFrame("x"),
      ]);
      assert.equal(r.headers["content-type"], "application/grpc+proto");
    });

    test("grpc protocol - bidi: messages flow both ways before either side ends", async () => {
      const stream = session.request({
        ":method": "POST",
        ":path": watch.Watch.path,
        "content-type": "application/grpc",
        te: "trailers",
      });
      const first = new Promise<Buffer>((resolve) => stream.once("data", resolve));
      stream.write(frame(pb.WatchRequest.encode({ createRequest: {} }).finish()));
      const data = await first;
      assert.equal(pb.WatchResponse.decode(data.subarray(5)).created, true);
      const trailers = new Promise<http2.IncomingHttpHeaders>((resolve) => stream.once("trailers", resolve));
      stream.end();
      stream.resume();
      assert.equal((await trailers)["grpc-status"], "0");
    });
  });
