import assert from "node:assert/strict";
import { test } from "node:test";
import type { Event } from "../../mvcc/index.js";
import { etcdserverpb, Long } from "../../proto/index.js";
import type { EtcdServer } from "../../server/index.js";
import { sharedHeader, watchResponseEncoder, wireEvent } from "./watch-encoding.js";

const kv = (key: string, value: string, rev: number) => ({
  key: Buffer.from(key, "latin1"),
  value: Buffer.from(value, "latin1"),
  createRevision: 2,
  modRevision: rev,
  version: rev - 1,
  lease: rev % 2 === 0 ? 0n : 0x1234_5678_9abcn,
});
const put: Event = {
  type: "put",
  kv: kv("k\u0000\u00ff", "v".repeat(300), 7),
  prevKv: kv("k\u0000\u00ff", "old", 6),
};
const del: Event = { type: "delete", kv: { ...kv("gone", "", 8), value: Buffer.alloc(0), version: 0 } };

const header = {
  clusterId: Long.fromString("14841639068965178418", true),
  memberId: Long.fromString("10276657743932975437", true),
  revision: 8,
  raftTerm: 3,
};

test("watch encoding - byte for byte what the generated codec writes, reused encodings included", () => {
  const events = [wireEvent(put), wireEvent(del)];
  const responses: etcdserverpb.IWatchResponse[] = [
    { header, watchId: 0, created: true },
    { header, watchId: 7, events },
    { header, watchId: 8, events }, // the same event and header objects again: encoded from the cache
    { header, watchId: 9, events: [events[1]!], fragment: true },
    {
      header,
      watchId: 3,
      canceled: true,
      compactRevision: 5,
      cancelReason: "mvcc: required revision has been compacted",
    },
    { watchId: -1, events: [] },
    { header: { ...header, revision: 9 }, watchId: 2 ** 40, events: [events[0]!] },
  ];
  for (const r of responses) {
    const ours = Buffer.from(watchResponseEncoder.encode(r).finish());
    const generated = Buffer.from(etcdserverpb.WatchResponse.encode(r).finish());
    assert.equal(ours.toString("hex"), generated.toString("hex"), JSON.stringify(r.watchId));
  }
});

test("watch encoding - one wire event per store event, and one header per revision and term", () => {
  assert.equal(wireEvent(put), wireEvent(put));
  assert.notEqual(wireEvent(put), wireEvent({ type: "put", kv: put.kv }));
  assert.equal(wireEvent(put).prevKv?.value?.toString(), "old");

  let term = 3;
  const server = {
    header: (revision?: number) => ({
      clusterId: 1n,
      memberId: 2n,
      revision: revision ?? 10,
      raftTerm: term,
    }),
  } as unknown as EtcdServer;
  const h = sharedHeader(server, 8);
  assert.equal(sharedHeader(server, 8), h);
  assert.deepEqual([h.revision, h.raftTerm], [8, 3]);
  const next = sharedHeader(server, 9);
  assert.notEqual(next, h);
  assert.equal(next.revision, 9);
  term = 4;
  const newTerm = sharedHeader(server, 9);
  assert.notEqual(newTerm, next);
  assert.equal(newTerm.raftTerm, 4);
});
