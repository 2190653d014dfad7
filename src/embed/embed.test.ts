import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Client } from "../client/index.js";
import { startServer } from "./index.js";

test("embed - a temporary member serves clients and removes its data on close", async () => {
  const server = await startServer();
  const client = await Client.connect({ endpoints: [...server.endpoints] });
  try {
    await client.put("k", "v");
    const got = await client.get("k");
    assert.equal(got.kvs[0]?.value.toString(), "v");
  } finally {
    client.close();
    await server.close();
  }
});

test("embed - a given data dir survives a restart with its data", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tetcd-embed-"));
  try {
    const first = await startServer({ dataDir: dir });
    let client = await Client.connect({ endpoints: [...first.endpoints] });
    await client.put("persist", "yes");
    client.close();
    await first.close();
    assert.ok(existsSync(join(dir, "member", "wal")), "the data dir is kept");
    const second = await startServer({ dataDir: dir });
    client = await Client.connect({ endpoints: [...second.endpoints] });
    assert.equal((await client.get("persist")).kvs[0]?.value.toString(), "yes");
    client.close();
    await second.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
