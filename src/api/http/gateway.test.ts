import assert from "node:assert/strict";
import http from "node:http";
import http2 from "node:http2";
import type net from "node:net";
import { after, before, describe, test } from "node:test";
import { idToLong, etcdserverpb as pb } from "../../proto/index.js";
import { type CallContext, GrpcError, GrpcServer, Status, serviceMethods } from "../grpc/index.js";
import { HttpRouter, JsonGateway, listen } from "./index.js";

const kv = serviceMethods("etcdserverpb.KV");
const watch = serviceMethods("etcdserverpb.Watch");
const maintenance = serviceMethods("etcdserverpb.Maintenance");

const header = {
  clusterId: idToLong(7801232528081817440n),
  memberId: idToLong(13458989633860879742n),
  revision: 2,
  raftTerm: 2,
};

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  trailers: NodeJS.Dict<string>;
}

function post(
  port: number,
  path: string,
  body: string,
  headers: http.OutgoingHttpHeaders = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path, method: "POST", agent: false, headers },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          text += c;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, trailers: res.trailers }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** A streaming POST: resolves each line as it arrives; `close()` disconnects. */
function openStream(port: number, path: string, body: string) {
  const lines: string[] = [];
  let status = 0;
  let notify: (() => void) | undefined;
  let ended = false;
  const req = http.request({ host: "127.0.0.1", port, path, method: "POST", agent: false }, (res) => {
    status = res.statusCode ?? 0;
    let buffered = "";
    res.setEncoding("utf8");
    res.on("data", (c: string) => {
      buffered += c;
      for (let i = buffered.indexOf("\n"); i !== -1; i = buffered.indexOf("\n")) {
        lines.push(buffered.slice(0, i));
        buffered = buffered.slice(i + 1);
      }
      notify?.();
    });
    res.on("end", () => {
      if (buffered !== "") lines.push(buffered);
      ended = true;
      notify?.();
    });
  });
  req.on("error", () => {});
  req.end(body);
  return {
    lines,
    get status() {
      return status;
    },
    get ended() {
      return ended;
    },
    async until(predicate: () => boolean): Promise<void> {
      while (!predicate()) await new Promise<void>((resolve) => (notify = resolve));
    },
    close: () => req.destroy(),
  };
}

function aborted(ctx: CallContext): Promise<void> {
  return new Promise((resolve) => {
    if (ctx.signal.aborted) resolve();
    ctx.signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

describe("json gateway", () => {
  let listener: Awaited<ReturnType<typeof listen>>;
  let port: number;
  let lastRange: pb.RangeRequest | undefined;
  let lastMetadata: Record<string, string[]> = {};
  let watchesOpen = 0;
  let watchesAborted = 0;
  let rangeCalls = 0;

  before(async () => {
    const grpc = new GrpcServer({ maxReceiveMessageBytes: 4096 });
    grpc.register(kv.Range, (req, ctx) => {
      rangeCalls++;
      lastRange = req;
      lastMetadata = ctx.metadata.toObject();
      const key = Buffer.from(req.key).toString();
      if (key === "future") {
        throw new GrpcError(Status.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision");
      }
      if (key === "md") {
        ctx.setHeader("x-h", "hv");
        ctx.setTrailer("x-t", "tv");
      }
      return {
        header,
        kvs: [
          {
            key: Buffer.from("foo"),
            createRevision: 2,
            modRevision: 2,
            version: 1,
            value: Buffer.from("bar"),
          },
        ],
        count: 1,
      };
    });
    grpc.register(kv.Put, () => ({ header }));
    grpc.register(watch.Watch, async (call, ctx) => {
      watchesOpen++;
      try {
        for await (const req of call) {
          if (req.createRequest) {
            call.write({ header, created: true });
            if (Buffer.from(req.createRequest.key ?? []).toString() === "fail") {
              throw new GrpcError(Status.FAILED_PRECONDITION, "watch <failed> & gone");
            }
            call.write({
              header,
              events: [
                {
                  kv: {
                    key: req.createRequest.key ?? Buffer.alloc(0),
                    value: Buffer.from("bar"),
                    modRevision: 2,
                  },
                },
              ],
            });
          }
        }
        await aborted(ctx);
        watchesAborted++;
      } finally {
        watchesOpen--;
      }
    });
    grpc.register(maintenance.Snapshot, () => {
      throw new GrpcError(Status.UNAVAILABLE, "no snapshot today");
    });
    const gateway = new JsonGateway({ grpc, maxConcurrentStreams: 4 });
    const router = new HttpRouter().handle("/v3/", gateway.serve).handle("/v3beta/", gateway.serve);
    listener = await listen("http://127.0.0.1:0", { grpc, http: router.serve });
    port = (listener.address as net.AddressInfo).port;
  });
  after(() => listener.close());

  const expectedRange =
    '{"header":{"cluster_id":"7801232528081817440","member_id":"13458989633860879742","revision":"2","raft_term":"2"},' +
    '"kvs":[{"key":"Zm9v","create_revision":"2","mod_revision":"2","version":"1","value":"YmFy"}],"count":"1"}';

  test("json gateway - unary answer exactly as etcd's gateway prints it", async () => {
    const r = await post(port, "/v3/kv/range", '{"key":"Zm9v"}');
    assert.equal(r.status, 200);
    assert.equal(r.body, expectedRange);
    assert.equal(r.headers["content-type"], "application/json");
    assert.equal(r.headers["grpc-metadata-content-type"], "application/grpc");
    assert.equal(r.headers["content-length"], String(r.body.length));
  });

  test("json gateway - /v3beta/ and HTTP/2 reach the same routes", async () => {
    assert.equal((await post(port, "/v3beta/kv/range", '{"key":"Zm9v"}')).body, expectedRange);
    const session = http2.connect(`http://127.0.0.1:${port}`);
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const req = session.request({
          ":method": "POST",
          ":path": "/v3/kv/range",
          "content-type": "application/json",
        });
        let text = "";
        req.setEncoding("utf8");
        req.on("data", (c: string) => {
          text += c;
        });
        req.on("end", () => resolve(text));
        req.on("error", reject);
        req.end('{"key":"Zm9v"}');
      });
      assert.equal(body, expectedRange);
    } finally {
      session.close();
    }
  });

  test("json gateway - request JSON: either field name, int64 as string or number, enums by name or number", async () => {
    await post(
      port,
      "/v3/kv/range",
      '{"key":"YQ==","range_end":"Yg==","limit":"5","revision":7,"sortOrder":"DESCEND","sort_target":4,"keys_only":true,"unknown_field":{"x":[1]}}',
    );
    assert.ok(lastRange);
    assert.equal(Buffer.from(lastRange.key).toString(), "a");
    assert.equal(Buffer.from(lastRange.rangeEnd).toString(), "b");
    assert.equal(Number(lastRange.limit), 5);
    assert.equal(Number(lastRange.revision), 7);
    assert.equal(lastRange.sortOrder, pb.RangeRequest.SortOrder.DESCEND);
    assert.equal(lastRange.sortTarget, pb.RangeRequest.SortTarget.VALUE);
    assert.equal(lastRange.keysOnly, true);
    // An empty body is an empty request.
    await post(port, "/v3/kv/range", "");
    assert.equal(lastRange.key.length, 0);
  });

  test("json gateway - gRPC errors: grpc-gateway's body, HTTP status and trailer", async () => {
    const r = await post(port, "/v3/kv/range", '{"key":"ZnV0dXJl"}');
    assert.equal(r.status, 400);
    assert.equal(
      r.body,
      '{"error":"etcdserver: mvcc: required revision is a future revision","message":"etcdserver: mvcc: required revision is a future revision","code":11}',
    );
    assert.equal(r.headers.trailer, "Grpc-Trailer-Content-Type");
    assert.equal(r.trailers["grpc-trailer-content-type"], "application/grpc");
  });

  test("json gateway - malformed JSON and wrong types get Go's words; the server carries on", async () => {
    const cases: [string, string][] = [
      ["{bad json", "invalid character 'b' looking for beginning of object key string"],
      ['{"key":"Zm9v"', "unexpected EOF"],
      ["[]", "json: cannot unmarshal array into Go value of type map[string]json.RawMessage"],
      ['{"key": 5}', "json: cannot unmarshal number into Go value of type []uint8"],
      ['{"key": "Zm9"}', "illegal base64 data at input byte 0"],
      ['{"limit": 1.5}', "json: cannot unmarshal number 1.5 into Go value of type int64"],
      ['{"limit": "abc"}', "invalid character 'a' looking for beginning of value"],
      ['{"sort_order": "NOPE"}', 'unknown value "NOPE" for enum etcdserverpb.RangeRequest_SortOrder'],
    ];
    for (const [body, message] of cases) {
      const r = await post(port, "/v3/kv/range", body);
      assert.equal(r.status, 400, body);
      assert.equal(
        r.body,
        `{"error":${JSON.stringify(message)},"message":${JSON.stringify(message)},"code":3}`,
      );
      assert.equal(r.headers["content-type"], "application/json");
    }
    assert.equal((await post(port, "/v3/kv/range", '{"key":"Zm9v"} trailing')).body, expectedRange);
  });

  test("json gateway - unknown routes 404, other methods 405, unserved methods 501", async () => {
    const notFound = await post(port, "/v3/kv/nothing", "{}");
    assert.deepEqual([notFound.status, notFound.body], [404, "Not Found\n"]);
    const wrongMethod = await new Promise<Reply>((resolve) => {
      http.get({ host: "127.0.0.1", port, path: "/v3/kv/range", agent: false }, (res) => {
        let text = "";
        res.on("data", (c) => {
          text += c;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, trailers: {} }),
        );
      });
    });
    assert.deepEqual([wrongMethod.status, wrongMethod.body], [405, "Method Not Allowed\n"]);
    const unserved = await post(port, "/v3/lease/grant", '{"TTL":5}');
    assert.equal(unserved.status, 501);
    assert.equal(
      unserved.body,
      '{"error":"unknown service etcdserverpb.Lease","message":"unknown service etcdserverpb.Lease","code":12}',
    );
  });

  test("json gateway - an oversized body fails as too large a gRPC message", async () => {
    const r = await post(
      port,
      "/v3/kv/put",
      JSON.stringify({ key: "Zm9v", value: Buffer.alloc(20_000).toString("base64") }),
    );
    assert.equal(r.status, 429);
    assert.match(r.body, /"error":"grpc: received message larger than max \(\d+ vs\. 4096\)"/);
  });

  test("json gateway - metadata from headers in, header and trailer metadata out", async () => {
    const r = await post(port, "/v3/kv/range", '{"key":"bWQ="}', {
      authorization: "tok",
      "grpc-metadata-hasleader": "true",
      "user-agent": "curl/8",
    });
    assert.deepEqual(lastMetadata.authorization, ["tok"]);
    assert.deepEqual(lastMetadata.hasleader, ["true"]);
    assert.deepEqual(lastMetadata["grpcgateway-user-agent"], ["curl/8"]);
    assert.deepEqual(lastMetadata["x-forwarded-for"], ["127.0.0.1"]);
    assert.equal(r.headers["grpc-metadata-x-h"], "hv");
    assert.equal(r.headers.trailer, "Grpc-Trailer-X-T");
    assert.equal(r.trailers["grpc-trailer-x-t"], "tv");
  });

  test("json gateway - watch streams one result line per message and stays open", async () => {
    const s = openStream(port, "/v3/watch", '{"create_request":{"key":"Zm9v","start_revision":1}}');
    await s.until(() => s.lines.length >= 2);
    assert.equal(s.status, 200);
    assert.deepEqual(s.lines, [
      '{"result":{"header":{"cluster_id":"7801232528081817440","member_id":"13458989633860879742","revision":"2","raft_term":"2"},"created":true}}',
      '{"result":{"header":{"cluster_id":"7801232528081817440","member_id":"13458989633860879742","revision":"2","raft_term":"2"},"events":[{"kv":{"key":"Zm9v","mod_revision":"2","value":"YmFy"}}]}}',
    ]);
    assert.equal(s.ended, false);
    const abortedBefore = watchesAborted;
    s.close();
    while (watchesAborted === abortedBefore) await new Promise((resolve) => setTimeout(resolve, 5));
  });

  test("json gateway - a stream error after messages is grpc-gateway's error chunk", async () => {
    const s = openStream(port, "/v3/watch", '{"create_request":{"key":"ZmFpbA=="}}');
    await s.until(() => s.ended);
    assert.equal(s.status, 200);
    assert.equal(s.lines.length, 2);
    assert.equal(
      s.lines[1],
      '{"error":{"grpc_code":9,"http_code":412,"message":"watch \\u003cfailed\\u003e \\u0026 gone","http_status":"Precondition Failed"}}',
    );
  });

  test("json gateway - a bad first stream message is a 500, as grpc-gateway treats it", async () => {
    const r = await post(port, "/v3/watch", "{bad");
    assert.equal(r.status, 500);
    assert.equal(
      r.body,
      '{"error":"invalid character \'b\' looking for beginning of object key string","message":"invalid character \'b\' looking for beginning of object key string","code":2}',
    );
  });

  test("json gateway - a server stream failing at once answers with the error chunk and its status", async () => {
    const r = await post(port, "/v3/maintenance/snapshot", "{}");
    assert.equal(r.status, 503);
    assert.equal(
      r.body,
      '{"error":{"grpc_code":14,"http_code":503,"message":"no snapshot today","http_status":"Service Unavailable"}}',
    );
  });

  test("json gateway - calls beyond max concurrent streams wait for a free slot", async () => {
    const streams = [0, 1, 2, 3].map(() =>
      openStream(port, "/v3/watch", '{"create_request":{"key":"Zm9v","start_revision":1}}'),
    );
    for (const s of streams) await s.until(() => s.lines.length >= 1);
    const before = rangeCalls;
    const range = post(port, "/v3/kv/range", '{"key":"Zm9v"}');
    let answered = false;
    void range.then(() => {
      answered = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(answered, false);
    assert.equal(rangeCalls, before);
    streams[0]!.close();
    assert.equal((await range).body, expectedRange);
    for (const s of streams.slice(1)) s.close();
    while (watchesOpen > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  });
});
