import assert from "node:assert/strict";
import { test } from "node:test";
import { logCapabilities, logPublished, logReadyToServe, logServingClients } from "./lines.js";
import { createLogger, type LogFormat } from "./logger.js";
import { memoryWriter } from "./memory.js";

function capture(format: LogFormat) {
  const writer = memoryWriter();
  const log = createLogger({ logger: format, logLevel: "info", logOutputs: [] }, { writer });
  return { log, lines: writer.lines };
}

const published = {
  memberId: 0xec1314ea52838568n,
  clusterId: 0xdfd396ec7b4c7b9en,
  name: "default",
  clientUrls: ["http://127.0.0.1:2379", "http://10.0.0.1:2379"],
  publishTimeout: "7s",
};

/** The capnslog line after its timestamp. */
const tail = (line: string) => line.split(" ").slice(2).join(" ");

test("lines - readiness lines in capnslog read as etcd 3.4 prints them", () => {
  const { log, lines } = capture("capnslog");
  logPublished(log, published);
  logReadyToServe(log);
  logCapabilities(log, "3.4");
  logServingClients(log, "127.0.0.1:2379", false);
  logServingClients(log, "127.0.0.1:2379", true);
  assert.deepEqual(lines.map(tail), [
    "I | etcdserver: published {Name:default ClientURLs:[http://127.0.0.1:2379 http://10.0.0.1:2379]} to cluster dfd396ec7b4c7b9e",
    "I | embed: ready to serve client requests",
    "I | etcdserver/api: enabled capabilities for version 3.4",
    "N | embed: serving insecure client requests on 127.0.0.1:2379, this is strongly discouraged!",
    "I | embed: serving client requests on 127.0.0.1:2379",
  ]);
});

test("lines - readiness lines in zap carry etcd's messages and fields", () => {
  const { log, lines } = capture("zap");
  logPublished(log, published);
  logCapabilities(log, "3.4");
  logReadyToServe(log);
  logServingClients(log, "127.0.0.1:2379", false);
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const strip = ({ level, ts, caller, ...rest }: Record<string, unknown>) => {
    assert.equal(level, "info");
    assert.equal(typeof ts, "string");
    assert.match(caller as string, /^log\/lines\.test\.js:\d+$/, "caller is the code that called the helper");
    return rest;
  };
  assert.deepEqual(parsed.map(strip), [
    {
      msg: "published local member to cluster through raft",
      "local-member-id": "ec1314ea52838568",
      "local-member-attributes": "{Name:default ClientURLs:[http://127.0.0.1:2379 http://10.0.0.1:2379]}",
      "request-path": "/0/members/ec1314ea52838568/attributes",
      "cluster-id": "dfd396ec7b4c7b9e",
      "publish-timeout": "7s",
    },
    { msg: "enabled capabilities for version", "cluster-version": "3.4" },
    { msg: "ready to serve client requests" },
    { msg: "serving client traffic insecurely; this is strongly discouraged!", address: "127.0.0.1:2379" },
  ]);
});

test("lines - the e2e suite's ready strings appear in both formats", () => {
  for (const format of ["zap", "capnslog"] as const) {
    const { log, lines } = capture(format);
    logPublished(log, published);
    logCapabilities(log, "3.4");
    logReadyToServe(log);
    for (const ready of ["enabled capabilities for version", "published", "ready to serve client requests"]) {
      assert.ok(
        lines.some((l) => l.includes(ready)),
        `${format}: ${ready}`,
      );
    }
  }
});
