import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { etcdserverpb as pb } from "../../proto/index.js";
import { GrpcError, Status, serviceMethods } from "./index.js";
import {
  client,
  grpcFramings,
  grpcJs,
  isServiceError,
  startTestServer,
  type TestServer,
  unary,
} from "./testing.js";

const kv = serviceMethods("etcdserverpb.KV");

for (const grpcFraming of grpcFramings)
  describe(`grpc unary (${grpcFraming} framing)`, () => {
    let server: TestServer;
    let c: grpcJs.Client;

    before(async () => {
      server = await startTestServer(grpcFraming, (grpc) => {
        grpc.register(kv.Range, (req, ctx) => {
          const key = Buffer.from(req.key).toString();
          if (key === "throw-grpc")
            throw new GrpcError(Status.FAILED_PRECONDITION, "nope: ünïcode %", { "x-why": "because" });
          if (key === "throw-plain") throw new Error("plain failure");
          if (key === "reject") return Promise.reject(new GrpcError(Status.NOT_FOUND, "not here"));
          if (key === "metadata") {
            ctx.setHeader("x-header", "h1");
            ctx.setHeader("x-header-bin", Buffer.from([0, 1, 2, 255]));
            ctx.setTrailer("x-trailer", "t1");
            const token = ctx.metadata.get("token") ?? "";
            const bin = ctx.metadata.getBinary("x-data-bin") ?? Buffer.alloc(0);
            return { kvs: [{ key: Buffer.from(token), value: bin }], count: 1 };
          }
          return { header: { revision: 7 }, kvs: [{ key: req.key, value: Buffer.from("v") }], count: 1 };
        });
        grpc.register(kv.Put, async (req) => ({ header: { revision: Number(req.lease) } }));
      });
      c = client(server.target);
    });
    after(async () => {
      c.close();
      await server.close();
    });

    test("grpc unary - round trip with a grpc-js client", async () => {
      const { response } = await unary(c, kv.Range.path, pb.RangeRequest, pb.RangeResponse, {
        key: Buffer.from("foo"),
      });
      assert.equal(Buffer.from(response.kvs[0]!.key!).toString(), "foo");
      assert.equal(Number(response.header?.revision), 7);
      assert.equal(Number(response.count), 1);
    });

    test("grpc unary - async handler", async () => {
      const { response } = await unary(c, kv.Put.path, pb.PutRequest, pb.PutResponse, { lease: 42 });
      assert.equal(Number(response.header?.revision), 42);
    });

    test("grpc unary - GrpcError sets code, percent-encoded message and trailers", async () => {
      await assert.rejects(
        unary(c, kv.Range.path, pb.RangeRequest, pb.RangeResponse, { key: Buffer.from("throw-grpc") }),
        (error) => {
          assert.ok(isServiceError(error));
          assert.equal(error.code, Status.FAILED_PRECONDITION);
          assert.equal(error.details, "nope: ünïcode %");
          assert.deepEqual(error.metadata.get("x-why"), ["because"]);
          return true;
        },
      );
    });

    test("grpc unary - a plain Error is UNKNOWN with its message", async () => {
      await assert.rejects(
        unary(c, kv.Range.path, pb.RangeRequest, pb.RangeResponse, { key: Buffer.from("throw-plain") }),
        { code: Status.UNKNOWN, details: "plain failure" },
      );
      await assert.rejects(
        unary(c, kv.Range.path, pb.RangeRequest, pb.RangeResponse, { key: Buffer.from("reject") }),
        { code: Status.NOT_FOUND, details: "not here" },
      );
    });

    test("grpc unary - request metadata in, header and trailer metadata out", async () => {
      const md = new grpcJs.Metadata();
      md.set("token", "secret");
      md.set("x-data-bin", Buffer.from([9, 8, 7]));
      const { response, headers, trailers } = await unary(
        c,
        kv.Range.path,
        pb.RangeRequest,
        pb.RangeResponse,
        { key: Buffer.from("metadata") },
        { metadata: md },
      );
      assert.equal(Buffer.from(response.kvs[0]!.key!).toString(), "secret");
      assert.deepEqual([...Buffer.from(response.kvs[0]!.value!)], [9, 8, 7]);
      assert.deepEqual(headers.get("x-header"), ["h1"]);
      assert.deepEqual(headers.get("x-header-bin"), [Buffer.from([0, 1, 2, 255])]);
      assert.deepEqual(trailers.get("x-trailer"), ["t1"]);
    });

    test("grpc unary - unknown service and unknown method as grpc-go words them", async () => {
      await assert.rejects(unary(c, "/etcdserverpb.Foo/Range", pb.RangeRequest, pb.RangeResponse, {}), {
        code: Status.UNIMPLEMENTED,
        details: "unknown service etcdserverpb.Foo",
      });
      await assert.rejects(unary(c, "/etcdserverpb.KV/Bar", pb.RangeRequest, pb.RangeResponse, {}), {
        code: Status.UNIMPLEMENTED,
        details: "unknown method Bar for service etcdserverpb.KV",
      });
      await assert.rejects(unary(c, "/etcdserverpb.KV/Txn", pb.TxnRequest, pb.TxnResponse, {}), {
        code: Status.UNIMPLEMENTED,
        details: "unknown method Txn for service etcdserverpb.KV",
      });
    });

    test("grpc unary - registerService serves the given handlers; the rest are unknown methods", async () => {
      const other = await startTestServer(grpcFraming, (grpc) => {
        grpc.registerService("etcdserverpb.Lease", {
          LeaseGrant: (req) => ({ ID: req.ID, TTL: req.TTL }),
        });
      });
      const oc = client(other.target);
      try {
        const { response } = await unary(
          oc,
          "/etcdserverpb.Lease/LeaseGrant",
          pb.LeaseGrantRequest,
          pb.LeaseGrantResponse,
          {
            ID: 5,
            TTL: 10,
          },
        );
        assert.deepEqual([Number(response.ID), Number(response.TTL)], [5, 10]);
        await assert.rejects(
          unary(oc, "/etcdserverpb.Lease/LeaseRevoke", pb.LeaseRevokeRequest, pb.LeaseRevokeResponse, {}),
          {
            code: Status.UNIMPLEMENTED,
            details: "unknown method LeaseRevoke for service etcdserverpb.Lease",
          },
        );
      } finally {
        oc.close();
        await other.close();
      }
    });

    test("grpc unary - many concurrent calls on one connection", async () => {
      const calls = Array.from({ length: 500 }, (_, i) =>
        unary(c, kv.Put.path, pb.PutRequest, pb.PutResponse, { lease: i }).then((r) =>
          Number(r.response.header?.revision),
        ),
      );
      assert.deepEqual(
        await Promise.all(calls),
        Array.from({ length: 500 }, (_, i) => i),
      );
    });
  });
