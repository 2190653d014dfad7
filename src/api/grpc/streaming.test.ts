import assert from "node:assert/strict";
import http2 from "node:http2";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import { etcdserverpb as pb } from "../../proto/index.js";
import { frame } from "./framing.js";
import { type CallContext, defineMethod, GrpcError, Status, serviceMethods } from "./index.js";
import { client, grpcFramings, grpcJs, serializer, startTestServer, type TestServer } from "./testing.js";

const maintenance = serviceMethods("etcdserverpb.Maintenance");
const watch = serviceMethods("etcdserverpb.Watch");
const collect = defineMethod("/test.Stream/Collect", "clientStream", pb.PutRequest, pb.PutResponse);

const snapshotCodec = serializer(pb.SnapshotRequest);
const snapshotResponse = serializer(pb.SnapshotResponse);
const putCodec = serializer(pb.PutRequest);
const putResponse = serializer(pb.PutResponse);
const watchRequest = serializer(pb.WatchRequest);
const watchResponse = serializer(pb.WatchResponse);

function aborted(ctx: CallContext): Promise<unknown> {
  return new Promise((resolve) => {
    if (ctx.signal.aborted) resolve(ctx.signal.reason);
    ctx.signal.addEventListener("abort", () => resolve(ctx.signal.reason), { once: true });
  });
}

for (const grpcFraming of grpcFramings)
  describe(`grpc streaming (${grpcFraming} framing)`, () => {
    let server: TestServer;
    let c: grpcJs.Client;
    const abortReasons: unknown[] = [];
    let abortSeen: (() => void) | undefined;

    before(async () => {
      server = await startTestServer(grpcFraming, (grpc) => {
        grpc.register(maintenance.Snapshot, async (_req, out, ctx) => {
          const mode = ctx.metadata.get("mode");
          if (mode === "fail-after-two") {
            out.write({ blob: Buffer.from("a") });
            out.write({ blob: Buffer.from("b") });
            throw new GrpcError(Status.DATA_LOSS, "snapshot broke");
          }
          if (mode === "hang") {
            out.write({ blob: Buffer.from("first") });
            abortReasons.push(await aborted(ctx));
            abortSeen?.();
            return;
          }
          const count = Number(mode ?? 100);
          const chunk = Buffer.alloc(64 * 1024, 7);
          for (let i = 0; i < count; i++) {
            if (!out.write({ blob: chunk, remainingBytes: count - i - 1 })) await out.drained();
          }
        });
        grpc.register(collect, async (requests) => {
          let sum = 0;
          let n = 0;
          for await (const r of requests) {
            sum += Number(r.lease);
            n++;
          }
          return { header: { revision: sum, raftTerm: n } };
        });
        grpc.register(watch.Watch, async (call, ctx) => {
          let id = 0;
          for await (const req of call) {
            if (req.createRequest) {
              call.write({
                watchId: id++,
                created: true,
                header: { revision: Number(req.createRequest.startRevision) },
              });
            } else if (req.cancelRequest) {
              call.write({ watchId: req.cancelRequest.watchId ?? 0, canceled: true });
            }
          }
          if (ctx.metadata.get("mode") === "error-at-end") throw new GrpcError(Status.ABORTED, "done badly");
        });
      });
      c = client(server.target);
    });
    after(async () => {
      c.close();
      await server.close();
    });

    function readAll<T>(
      stream: grpcJs.ClientReadableStream<T>,
    ): Promise<{ messages: T[]; error?: grpcJs.ServiceError }> {
      return new Promise((resolve) => {
        const messages: T[] = [];
        stream.on("data", (m: T) => messages.push(m));
        stream.on("error", (error: grpcJs.ServiceError) => resolve({ messages, error }));
        stream.on("end", () => resolve({ messages }));
      });
    }

    /** A Snapshot call whose handler behaves as `mode` says. */
    function snapshot(mode: string): grpcJs.ClientReadableStream<pb.SnapshotResponse> {
      const md = new grpcJs.Metadata();
      md.set("mode", mode);
      return c.makeServerStreamRequest(
        maintenance.Snapshot.path,
        snapshotCodec.serialize,
        snapshotResponse.deserialize,
        {},
        md,
      );
    }

    test("grpc streaming - server streaming with backpressure delivers every message in order", async () => {
      const stream = snapshot("200");
      const { messages, error } = await readAll(stream);
      assert.equal(error, undefined);
      assert.equal(messages.length, 200);
      assert.deepEqual(
        messages.map((m) => Number(m.remainingBytes)),
        Array.from({ length: 200 }, (_, i) => 199 - i),
      );
      assert.ok(messages.every((m) => m.blob.length === 64 * 1024));
    });

    test("grpc streaming - an error after some messages arrives as the status", async () => {
      const stream = snapshot("fail-after-two");
      const { messages, error } = await readAll(stream);
      assert.deepEqual(
        messages.map((m) => Buffer.from(m.blob).toString()),
        ["a", "b"],
      );
      assert.equal(error?.code, Status.DATA_LOSS);
      assert.equal(error?.details, "snapshot broke");
    });

    test("grpc streaming - client streaming reads every request until half-close", async () => {
      const result = await new Promise<pb.PutResponse>((resolve, reject) => {
        const stream = c.makeClientStreamRequest(
          collect.path,
          putCodec.serialize,
          putResponse.deserialize,
          new grpcJs.Metadata(),
          {},
          (error, value) => (error ? reject(error) : resolve(value!)),
        );
        for (let i = 1; i <= 300; i++) stream.write({ lease: i });
        stream.end();
      });
      assert.equal(Number(result.header?.revision), (300 * 301) / 2);
      assert.equal(Number(result.header?.raftTerm), 300);
    });

    test("grpc streaming - bidi answers each request, ends OK or with the handler's error", async () => {
      for (const mode of ["ok", "error-at-end"]) {
        const md = new grpcJs.Metadata();
        md.set("mode", mode);
        const stream = c.makeBidiStreamRequest(
          watch.Watch.path,
          watchRequest.serialize,
          watchResponse.deserialize,
          md,
        );
        const done = readAll(stream);
        stream.write({ createRequest: { key: Buffer.from("a"), startRevision: 5 } });
        stream.write({ createRequest: { key: Buffer.from("b"), startRevision: 6 } });
        stream.write({ cancelRequest: { watchId: 0 } });
        stream.end();
        const { messages, error } = await done;
        assert.deepEqual(
          messages.map((m) => [Number(m.watchId), m.created, m.canceled, Number(m.header?.revision ?? 0)]),
          [
            [0, true, false, 5],
            [1, true, false, 6],
            [0, false, true, 0],
          ],
        );
        if (mode === "ok") assert.equal(error, undefined);
        else assert.deepEqual([error?.code, error?.details], [Status.ABORTED, "done badly"]);
      }
    });

    test("grpc streaming - many concurrent bidi streams on one connection", async () => {
      const streams = Array.from({ length: 200 }, async (_, i) => {
        const stream = c.makeBidiStreamRequest(
          watch.Watch.path,
          watchRequest.serialize,
          watchResponse.deserialize,
        );
        const done = readAll(stream);
        stream.write({ createRequest: { key: Buffer.from("k"), startRevision: i } });
        stream.end();
        const { messages } = await done;
        return Number(messages[0]?.header?.revision);
      });
      assert.deepEqual(
        await Promise.all(streams),
        Array.from({ length: 200 }, (_, i) => i),
      );
    });

    test("grpc streaming - client cancellation mid-stream aborts the handler; others keep working", async () => {
      const seen = new Promise<void>((resolve) => {
        abortSeen = resolve;
      });
      const stream = snapshot("hang");
      stream.on("error", () => {});
      await new Promise((resolve) => stream.once("data", resolve));
      stream.cancel();
      await seen;
      const reason = abortReasons.pop();
      assert.ok(reason instanceof GrpcError);
      assert.equal(reason.code, Status.CANCELLED);
      // The connection and the server are unharmed.
      const other = snapshot("3");
      assert.equal((await readAll(other)).messages.length, 3);
    });

    test("grpc streaming - a client vanishing mid-stream aborts its handler while others keep working", async () => {
      const seen = new Promise<void>((resolve) => {
        abortSeen = resolve;
      });
      // A raw HTTP/2 client whose TCP connection is torn down under the open stream.
      const [host, port] = server.target.split(":");
      const socket = net.connect(Number(port), host);
      const session = http2.connect(`http://${server.target}`, { createConnection: () => socket });
      session.on("error", () => {});
      const stream = session.request({
        ":method": "POST",
        ":path": maintenance.Snapshot.path,
        "content-type": "application/grpc",
        te: "trailers",
        mode: "hang",
      });
      stream.on("error", () => {});
      stream.end(frame(new Uint8Array(0)));
      const survivor = c.makeBidiStreamRequest(
        watch.Watch.path,
        watchRequest.serialize,
        watchResponse.deserialize,
      );
      const survivorDone = readAll(survivor);
      survivor.write({ createRequest: { startRevision: 1 } });
      await new Promise((resolve) => stream.once("data", resolve));
      socket.destroy();
      await seen;
      const reason = abortReasons.pop();
      assert.ok(reason instanceof GrpcError);
      assert.equal(reason.code, Status.CANCELLED);
      survivor.write({ createRequest: { startRevision: 2 } });
      survivor.end();
      const { messages, error } = await survivorDone;
      assert.equal(error, undefined);
      assert.deepEqual(
        messages.map((m) => Number(m.header?.revision)),
        [1, 2],
      );
    });
  });
