// A write's response and the watch events it causes, on one connection: the response goes
// first, as etcd's does (its watchers hear of a write after the write is answered). A
// client that waits for its write before the next one is not held up by the events.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Client, type WatchResponse } from "../client/index.js";
import { startServer } from "../embed/index.js";

test("watch order - a put's response arrives before the events it caused on the same connection", async () => {
  const server = await startServer();
  const client = new Client({ endpoints: [...server.endpoints] });
  const order: string[] = [];
  const watchers = Array.from({ length: 20 }, () =>
    client.watch("order/", { prefix: true, createdNotify: true }),
  );
  try {
    const created = watchers.map(async (w) => {
      const iterator = (w as AsyncIterable<WatchResponse>)[Symbol.asyncIterator]();
      const first = await iterator.next();
      assert.equal(first.value?.created, true);
      return iterator;
    });
    const iterators = await Promise.all(created);
    const events = iterators.map(async (iterator) => {
      const next = await iterator.next();
      assert.equal(next.value?.events.length, 1);
      order.push("event");
    });
    await client.put("order/k", "v").then(() => order.push("put"));
    await Promise.all(events);
    assert.deepEqual(order, ["put", ...Array(20).fill("event")]);
  } finally {
    for (const w of watchers) w.cancel();
    client.close();
    await server.close();
  }
});
