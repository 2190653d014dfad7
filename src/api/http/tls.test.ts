import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import http2 from "node:http2";
import https from "node:https";
import type net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { etcdserverpb as pb } from "../../proto/index.js";
import { GrpcServer, serviceMethods } from "../grpc/index.js";
import { grpcJs, unary } from "../grpc/testing.js";
import { HttpRouter, JsonGateway, listen, sendText } from "./index.js";

const kv = serviceMethods("etcdserverpb.KV");

function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** A throwaway self-signed certificate (EC P-256) for `cn`, valid for 127.0.0.1 and localhost. */
async function selfSigned(dir: string, cn: string): Promise<{ key: Buffer; cert: Buffer }> {
  const key = join(dir, `${cn}.key`);
  const cert = join(dir, `${cn}.crt`);
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "1",
      "-subj",
      `/CN=${cn}`,
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
    ],
    { stdio: "ignore" },
  );
  return { key: await readFile(key), cert: await readFile(cert) };
}

describe("http listener over TLS", { skip: hasOpenssl() ? false : "openssl is not installed" }, () => {
  let dir: string;
  let server: { key: Buffer; cert: Buffer };
  let clientCert: { key: Buffer; cert: Buffer };
  let listener: Awaited<ReturnType<typeof listen>>;
  let port: number;
  let seenPeerCn: string | undefined;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tetcd-tls-"));
    server = await selfSigned(dir, "localhost");
    clientCert = await selfSigned(dir, "client");
    const grpc = new GrpcServer();
    grpc.register(kv.Range, (req, ctx) => {
      const cn = ctx.peerCertificate()?.subject.CN;
      seenPeerCn = Array.isArray(cn) ? cn[0] : cn;
      return { kvs: [{ key: req.key, value: Buffer.from("secure") }] };
    });
    const gateway = new JsonGateway({ grpc });
    const router = new HttpRouter()
      .handle("/health", (req, res) => sendText(res, 200, `HTTP/${req.httpVersion}`))
      .handle("/v3/", gateway.serve);
    listener = await listen("https://127.0.0.1:0", {
      grpc,
      http: router.serve,
      tls: {
        key: server.key,
        cert: server.cert,
        ca: clientCert.cert,
        requestCert: true,
        rejectUnauthorized: false,
      },
    });
    port = (listener.address as net.AddressInfo).port;
  });
  after(async () => {
    await listener?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test("tls - reports an https URL", () => {
    assert.equal(listener.secure, true);
    assert.equal(listener.url, `https://127.0.0.1:${port}`);
  });

  test("tls - ALPN http/1.1 lands in the HTTP router", async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const options: https.RequestOptions = {
        host: "127.0.0.1",
        port,
        path: "/health",
        ca: server.cert,
        agent: false,
      };
      Object.assign(options, { ALPNProtocols: ["http/1.1"] });
      https
        .get(options, (res) => {
          let text = "";
          res.on("data", (c) => {
            text += c;
          });
          res.on("end", () => resolve(text));
        })
        .on("error", reject);
    });
    assert.equal(body, "HTTP/1.1");
  });

  test("tls - ALPN h2 carries both plain HTTP/2 (the gateway) and gRPC", async () => {
    const session = http2.connect(`https://127.0.0.1:${port}`, { ca: server.cert });
    try {
      const request = (headers: http2.OutgoingHttpHeaders, body?: string) =>
        new Promise<string>((resolve, reject) => {
          const req = session.request(headers);
          let text = "";
          req.setEncoding("utf8");
          req.on("data", (c: string) => {
            text += c;
          });
          req.on("end", () => resolve(text));
          req.on("error", reject);
          req.end(body);
        });
      assert.equal(await request({ ":path": "/health" }), "HTTP/2.0");
      assert.equal(
        await request({ ":path": "/v3/kv/range", ":method": "POST" }, '{"key":"YQ=="}'),
        '{"kvs":[{"key":"YQ==","value":"c2VjdXJl"}]}',
      );
    } finally {
      session.close();
    }
    const c = new grpcJs.Client(
      `127.0.0.1:${port}`,
      grpcJs.credentials.createSsl(server.cert, clientCert.key, clientCert.cert),
    );
    try {
      const { response } = await unary(c, kv.Range.path, pb.RangeRequest, pb.RangeResponse, {
        key: Buffer.from("k"),
      });
      assert.equal(Buffer.from(response.kvs[0]!.value!).toString(), "secure");
      assert.equal(seenPeerCn, "client");
    } finally {
      c.close();
    }
  });

  test("tls - unixs:// serves TLS on a unix socket", async () => {
    const path = join(dir, "secure.sock");
    const grpc = new GrpcServer();
    const unixs = await listen(`unixs://${path}`, {
      grpc,
      http: new HttpRouter().handle("/health", (_req, res) => sendText(res, 200, "ok")).serve,
      tls: { key: server.key, cert: server.cert },
    });
    try {
      assert.equal(unixs.secure, true);
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get(
            { socketPath: path, path: "/health", ca: server.cert, servername: "localhost", agent: false },
            (res) => {
              let text = "";
              res.on("data", (c) => {
                text += c;
              });
              res.on("end", () => resolve(text));
            },
          )
          .on("error", reject);
      });
      assert.equal(body, "ok");
    } finally {
      await unixs.close();
    }
  });
});
