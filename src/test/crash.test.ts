// Acknowledged writes survive kill -9. Writers do puts and transactions against a real
// tetcd process that is killed with SIGKILL at a random moment, again and again. After
// every restart, each write the server acknowledged is there with exactly the revision
// it was acknowledged at, nothing appears that no one wrote, and revisions never go back.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Client } from "../client/index.js";
import { freePort, type Member, startMember, tempDir } from "./harness.js";

const CYCLES = Number(process.env.TETCD_CRASH_CYCLES ?? 50);
const WRITERS = 8;
const PREFIX = "crash/";

interface Acked {
  readonly value: string;
  readonly revision: number;
}

class History {
  /** Every key someone tried to write, with the value tried. */
  readonly attempted = new Map<string, string>();
  readonly acked = new Map<string, Acked>();
  maxRevision = 0;

  ack(key: string, value: string, revision: number): void {
    this.acked.set(key, { value, revision });
    this.maxRevision = Math.max(this.maxRevision, revision);
  }
}

/** Writes unique keys until stopped: two puts in three, otherwise a txn creating two keys. */
async function writer(client: Client, id: number, cycle: number, history: History, stopped: () => boolean) {
  for (let i = 0; !stopped(); i++) {
    const key = `${PREFIX}${cycle}/${id}/${i}`;
    const value = `v${cycle}.${id}.${i}`;
    try {
      if (i % 3 === 2) {
        const twin = `${key}/twin`;
        history.attempted.set(key, value);
        history.attempted.set(twin, value);
        const r = await client.txn({
          compare: [{ key, target: "CREATE", result: "=", value: 0 }],
          success: [
            { type: "put", key, value, options: {} },
            { type: "put", key: twin, value, options: {} },
          ],
          failure: [],
        });
        assert.equal(r.succeeded, true, "a fresh key has create revision 0");
        history.ack(key, value, r.header?.revision ?? 0);
        history.ack(twin, value, r.header?.revision ?? 0);
      } else {
        history.attempted.set(key, value);
        const r = await client.put(key, value);
        history.ack(key, value, r.header?.revision ?? 0);
      }
    } catch (e) {
      if (stopped()) return; // the server died under this request: its outcome is unknown
      throw e;
    }
  }
}

async function verify(client: Client, history: History, cycle: number): Promise<void> {
  const r = await client.get(PREFIX, { prefix: true });
  const revision = r.header?.revision ?? 0;
  assert.ok(
    revision >= history.maxRevision,
    `cycle ${cycle}: revision went back from ${history.maxRevision} to ${revision}`,
  );
  const present = new Map(r.kvs.map((kv) => [kv.key.toString(), kv]));
  for (const [key, acked] of history.acked) {
    const kv = present.get(key);
    assert.ok(kv, `cycle ${cycle}: acknowledged ${key}@${acked.revision} is missing`);
    assert.equal(kv.value.toString(), acked.value, `cycle ${cycle}: ${key} has the wrong value`);
    assert.equal(
      kv.modRevision,
      acked.revision,
      `cycle ${cycle}: ${key} moved from revision ${acked.revision}`,
    );
  }
  for (const [key, kv] of present) {
    assert.equal(
      kv.value.toString(),
      history.attempted.get(key),
      `cycle ${cycle}: ${key} was never written so`,
    );
  }
}

test("crash - acknowledged puts and txns survive kill -9 at random moments", {
  timeout: 30 * 60_000,
}, async (t) => {
  const dataDir = await tempDir("tetcd-crash-");
  const ports = { clientPort: await freePort(), peerPort: await freePort() };
  const history = new History();
  let member: Member | undefined;
  try {
    for (let cycle = 0; cycle <= CYCLES; cycle++) {
      member = await startMember({ dataDir, ...ports });
      const client = await Client.connect({ endpoints: [member.endpoint], requestTimeoutMs: 5000 });
      await verify(client, history, cycle);
      if (cycle === CYCLES) {
        client.close();
        break;
      }
      const next = await client.put(`${PREFIX}probe`, "p");
      assert.ok((next.header?.revision ?? 0) > history.maxRevision, "a new write gets a newer revision");
      history.attempted.set(`${PREFIX}probe`, "p");
      history.ack(`${PREFIX}probe`, "p", next.header?.revision ?? 0);
      let stopped = false;
      const writers = Array.from({ length: WRITERS }, (_, id) =>
        writer(client, id, cycle, history, () => stopped),
      );
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 400));
      stopped = true;
      await member.kill9();
      await Promise.all(writers);
      client.close();
    }
    assert.ok(
      history.acked.size > CYCLES * WRITERS,
      `enough writes were acknowledged (${history.acked.size})`,
    );
    t.diagnostic(
      `${CYCLES} kill -9 cycles; ${history.acked.size} acknowledged writes checked after every restart`,
    );
  } finally {
    await member?.destroy();
  }
});
