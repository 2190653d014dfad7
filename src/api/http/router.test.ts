import assert from "node:assert/strict";
import http from "node:http";
import type net from "node:net";
import { after, before, describe, test } from "node:test";
import { HttpRouter, listen, sendText } from "./index.js";

function get(
  port: number,
  path: string,
  method = "GET",
): Promise<{ status: number; body: string; location?: string }> {
  return new Promise((resolve, reject) => {
    http
      .request({ host: "127.0.0.1", port, path, method, agent: false }, (res) => {
        let body = "";
        res.on("data", (c) => {
          body += c;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body,
            ...(res.headers.location === undefined ? {} : { location: res.headers.location }),
          }),
        );
      })
      .on("error", reject)
      .end();
  });
}

describe("http router", () => {
  let listener: Awaited<ReturnType<typeof listen>>;
  let port: number;

  before(async () => {
    const router = new HttpRouter()
      .guard((req, res) => {
        if (req.method !== "OPTIONS") return false;
        sendText(res, 200, "preflight");
        return true;
      })
      .handle("/", (_req, res) => sendText(res, 200, "root"))
      .handle("/v3/", (_req, res) => sendText(res, 200, "v3 tree"))
      .handle("/v3/kv/", (_req, res) => sendText(res, 200, "kv tree"))
      .handle("/health", (_req, res) => sendText(res, 200, "health"));
    listener = await listen("http://127.0.0.1:0", { http: router.serve });
    port = (listener.address as net.AddressInfo).port;
  });
  after(() => listener.close());

  test("http router - exact paths, then the longest subtree", async () => {
    assert.equal((await get(port, "/health")).body, "health");
    assert.equal((await get(port, "/health?x=1")).body, "health");
    assert.equal((await get(port, "/v3/watch")).body, "v3 tree");
    assert.equal((await get(port, "/v3/kv/range")).body, "kv tree");
    assert.equal((await get(port, "/healthz")).body, "root");
  });

  test("http router - a subtree's root without its slash is redirected, as Go's ServeMux does", async () => {
    const r = await get(port, "/v3?a=b");
    assert.equal(r.status, 301);
    assert.equal(r.location, "/v3/?a=b");
  });

  test("http router - guards run first and may answer", async () => {
    assert.equal((await get(port, "/health", "OPTIONS")).body, "preflight");
  });

  test("http router - registering a pattern twice is an error", () => {
    const router = new HttpRouter().handle("/a", () => {});
    assert.throws(() => router.handle("/a", () => {}), /multiple registrations/);
    assert.throws(() => router.handle("b", () => {}), /must start with/);
  });
});
