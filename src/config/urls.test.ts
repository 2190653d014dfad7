import assert from "node:assert/strict";
import { test } from "node:test";
import { FlagValueError } from "./gosyntax.js";
import {
  checkBindUrls,
  checkHostUrls,
  parseEtcdUrl,
  parseEtcdUrls,
  parseUrlsMap,
  splitHostPort,
} from "./urls.js";

const rejects = (text: string, message: string) =>
  assert.throws(
    () => parseEtcdUrls(text),
    (e: unknown) => e instanceof FlagValueError && e.message === message,
    text,
  );

test("urls - errors are the ones real etcd 3.4 prints", () => {
  // Each message was taken from etcd 3.4.23 given the same value.
  rejects("127.0.0.1:2379", 'parse "127.0.0.1:2379": first path segment in URL cannot contain colon');
  rejects("localhost:2379", "URL scheme must be http, https, unix, or unixs: localhost:2379");
  rejects("http://127.0.0.1", 'URL address does not have the form "host:port": http://127.0.0.1');
  rejects("http://127.0.0.1:2379/path", "URL must not contain a path: http://127.0.0.1:2379/path");
  rejects("http://127.0.0.1:1/", "URL must not contain a path: http://127.0.0.1:1/");
  rejects("http://[::1", `parse "http://[::1": missing ']' in host`);
  rejects("http://a b:1", 'parse "http://a b:1": invalid character " " in host name');
  rejects("http://127.0.0.1:abc", 'parse "http://127.0.0.1:abc": invalid port ":abc" after host');
  rejects("unix://foo", 'URL address does not have the form "host:port": unix://foo');
  rejects("", "URL scheme must be http, https, unix, or unixs: ");
});

test("urls - accepted forms keep Go's string form", () => {
  assert.equal(parseEtcdUrl("HTTP://127.0.0.1:1").href, "http://127.0.0.1:1");
  assert.equal(parseEtcdUrl(" http://127.0.0.1:1 ").href, "http://127.0.0.1:1");
  assert.equal(parseEtcdUrl("http://u:p@127.0.0.1:1").href, "http://u:p@127.0.0.1:1");
  assert.equal(parseEtcdUrl("http://127.0.0.1:2379?x=1").href, "http://127.0.0.1:2379?x=1");
  const v6 = parseEtcdUrl("https://[::1]:2379");
  assert.deepEqual(
    { ...v6 },
    { href: "https://[::1]:2379", scheme: "https", host: "[::1]:2379", hostname: "::1", port: "2379" },
  );
  const unix = parseEtcdUrl("unix://etcd.unix:1");
  assert.equal(unix.hostname, "etcd.unix");
  assert.equal(unix.port, "1");
});

test("urls - lists are sorted and deduplicated", () => {
  const urls = parseEtcdUrls("http://b:2,http://a:1,http://b:2");
  assert.deepEqual(
    urls.map((u) => u.href),
    ["http://a:1", "http://b:2"],
  );
  assert.ok(Object.isFrozen(urls) && Object.isFrozen(urls[0]));
});

test("urls - binding needs an IP address or localhost", () => {
  assert.equal(
    checkBindUrls(parseEtcdUrls("http://127.0.0.1:1,http://[::]:2,http://localhost:3,unix://x:1")),
    undefined,
  );
  assert.equal(
    checkBindUrls(parseEtcdUrls("http://example.com:41379")),
    "expected IP in URL for binding (http://example.com:41379)",
  );
  assert.equal(checkBindUrls(parseEtcdUrls("http://:1")), "expected IP in URL for binding (http://:1)");
});

test("urls - advertised URLs need a host", () => {
  assert.equal(checkHostUrls(parseEtcdUrls("http://0.0.0.0:0")), undefined);
  assert.equal(checkHostUrls(parseEtcdUrls("http://:41379")), "unexpected empty host (http://:41379)");
});

test("urls - SplitHostPort follows Go", () => {
  assert.deepEqual(splitHostPort("a:1"), { host: "a", port: "1" });
  assert.deepEqual(splitHostPort("[::1]:1"), { host: "::1", port: "1" });
  assert.deepEqual(splitHostPort("a:"), { host: "a", port: "" });
  assert.equal(splitHostPort("a"), undefined);
  assert.equal(splitHostPort("::1:2"), undefined);
  assert.equal(splitHostPort("[::1]"), undefined);
});

test("urls - an initial cluster groups URLs by member name", () => {
  const m = parseUrlsMap("a=http://10.0.0.1:2380,b=http://10.0.0.2:2380,a=http://10.0.0.9:2380");
  assert.deepEqual([...m.keys()], ["a", "b"]);
  assert.deepEqual(
    m.get("a")!.map((u) => u.href),
    ["http://10.0.0.1:2380", "http://10.0.0.9:2380"],
  );
  assert.throws(() => parseUrlsMap("a"), /URL scheme must be/);
});
