import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setImmediate as turn } from "node:timers/promises";
import type {
  Bytes,
  CallOptions,
  GetOptions,
  RangeResponse,
  WatchOptions,
  WatchResponse,
  KeyValue as WireKeyValue,
} from "../../client/index.js";
import type { WatchEvent } from "../../k8s/index.js";
import { CompactedError, isCompactedError } from "../../k8s/index.js";
import { clientKvReader, type LensClient, type WatchStream } from "./kv-reader.js";

/** A watch whose responses the test pushes; progress requests are counted (and may be answered). */
class FakeWatch implements WatchStream {
  private readonly items: WatchResponse[] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  canceled = false;
  progressRequests = 0;
  onProgressRequest: (() => void) | undefined;

  push(r: WatchResponse): void {
    this.items.push(r);
    this.wake?.();
  }
  cancel(): void {
    this.canceled = true;
    this.ended = true;
    this.wake?.();
  }
  requestProgress(): void {
    this.progressRequests++;
    this.onProgressRequest?.();
  }
  async *[Symbol.asyncIterator](): AsyncIterator<WatchResponse> {
    for (;;) {
      const r = this.items.shift();
      if (r) yield r;
      else if (this.ended) return;
      else await new Promise<void>((res) => (this.wake = res));
    }
  }
}

function kv(key: string, rev: number, value = "v", version = 1): WireKeyValue {
  return {
    key: Buffer.from(key),
    value: Buffer.from(value),
    createRevision: rev,
    modRevision: rev,
    version,
    lease: 0n,
  };
}

function response(revision: number, r: Partial<WatchResponse> = {}): WatchResponse {
  return {
    header: { clusterId: 1n, memberId: 1n, revision, raftTerm: 2 },
    watchId: 0,
    created: false,
    canceled: false,
    compactRevision: 0,
    cancelReason: "",
    fragment: false,
    events: [],
    ...r,
  };
}

class FakeClient implements LensClient {
  gets: { key: Buffer; options: GetOptions; opts: CallOptions | undefined }[] = [];
  watches: { key: Buffer; options: WatchOptions; stream: FakeWatch }[] = [];
  result: RangeResponse = { header: null, kvs: [], more: false, count: 0 };

  async get(key: Bytes, options: GetOptions = {}, opts?: CallOptions): Promise<RangeResponse> {
    this.gets.push({ key: Buffer.from(key), options, opts });
    return this.result;
  }
  watch(key: Bytes, options: WatchOptions = {}): WatchStream {
    const stream = new FakeWatch();
    this.watches.push({ key: Buffer.from(key), options, stream });
    return stream;
  }
}

const QUIET = { idleMs: 60_000, graceMs: 0, lostMs: 120_000 };

describe("lens kv reader", () => {
  it("lens kv reader - ranges pass revision, limit, keys-only and the deadline, and report the header revision", async () => {
    const c = new FakeClient();
    c.result = {
      header: { clusterId: 1n, memberId: 2n, revision: 77, raftTerm: 3 },
      kvs: [kv("/registry/pods/a/b", 70, "x", 3)],
      more: true,
      count: 9,
    };
    const reader = clientKvReader(c, { timeoutMs: 1234, serializable: true });
    const r = await reader.range(Buffer.from("/registry/"), Buffer.from("/registry0"), {
      revision: 70,
      limit: 5,
      keysOnly: true,
    });
    assert.deepEqual(r, {
      kvs: [
        {
          key: Buffer.from("/registry/pods/a/b"),
          value: Buffer.from("x"),
          createRevision: 70,
          modRevision: 70,
          version: 3,
        },
      ],
      more: true,
      revision: 77,
    });
    assert.deepEqual(c.gets[0], {
      key: Buffer.from("/registry/"),
      options: {
        rangeEnd: Buffer.from("/registry0"),
        revision: 70,
        limit: 5,
        keysOnly: true,
        serializable: true,
      },
      opts: { timeoutMs: 1234 },
    });
    await reader.range(Buffer.from("k"), undefined);
    assert.deepEqual(c.gets[1]?.options, { serializable: true });
  });

  it("lens kv reader - a watch yields events with their previous values, and exact progress after each response", async () => {
    const c = new FakeClient();
    const reader = clientKvReader(c, { progress: QUIET });
    const it = reader
      .watch(Buffer.from("/r/"), Buffer.from("/r0"), { startRevision: 5, prevKv: true })
      [Symbol.asyncIterator]();
    const first = it.next();
    await turn();
    const w = c.watches[0]!;
    assert.deepEqual(w.options, {
      createdNotify: true,
      rangeEnd: Buffer.from("/r0"),
      startRevision: 5,
      prevKv: true,
    });
    w.stream.push(response(9, { created: true }));
    w.stream.push(
      response(9, {
        events: [
          { type: 0, kv: kv("/r/a", 6), prevKv: null },
          { type: 1, kv: { ...kv("/r/b", 6, ""), version: 0 }, prevKv: kv("/r/b", 3, "old") },
        ],
      }),
    );
    const got: WatchEvent[] = [(await first).value as WatchEvent];
    for (let i = 0; i < 2; i++) got.push((await it.next()).value as WatchEvent);
    assert.deepEqual(
      got.map((e) =>
        e.type === "progress" ? `progress ${e.revision}` : `${e.type} ${e.kv.key} ${e.kv.modRevision}`,
      ),
      ["put /r/a 6", "delete /r/b 6", "progress 6"],
    );
    const del = got[1] as Extract<WatchEvent, { type: "delete" }>;
    assert.equal(del.prevKv?.value.toString(), "old");
    assert.equal("prevKv" in (got[0] as object), false);
    await it.return?.();
    assert.ok(w.stream.canceled, "stopping the iteration cancels the watch");
  });

  it("lens kv reader - a watch cancelled for compaction throws the lens's CompactedError with the revision", async () => {
    const c = new FakeClient();
    const reader = clientKvReader(c, { progress: QUIET });
    const it = reader.watch(Buffer.from("k"), undefined, { startRevision: 2 })[Symbol.asyncIterator]();
    const next = it.next();
    await turn();
    c.watches[0]!.stream.push(response(30, { canceled: true, compactRevision: 17 }));
    await assert.rejects(next, (err: Error) => {
      assert.ok(err instanceof CompactedError && isCompactedError(err));
      assert.equal(err.compactRevision, 17);
      return true;
    });
    const other = clientKvReader(c, { progress: QUIET })
      .watch(Buffer.from("k"), undefined)
      [Symbol.asyncIterator]();
    const n2 = other.next();
    await turn();
    c.watches[1]!.stream.push(
      response(30, { canceled: true, cancelReason: "etcdserver: permission denied" }),
    );
    await assert.rejects(n2, /permission denied/);
  });

  it("lens kv reader - an aborted signal ends the watch without an error", async () => {
    const c = new FakeClient();
    const ac = new AbortController();
    const it = clientKvReader(c, { progress: QUIET })
      .watch(Buffer.from("k"), undefined, { signal: ac.signal })
      [Symbol.asyncIterator]();
    const next = it.next();
    await turn();
    ac.abort();
    assert.deepEqual(await next, { done: true, value: undefined });
    assert.ok(c.watches[0]!.stream.canceled);
  });

  it("lens kv reader - an early progress answer (etcd 3.4.23, before the catch-up) does not overtake old events", async (t) => {
    t.mock.timers.enable({ apis: ["setInterval", "Date"], now: 0 });
    const c = new FakeClient();
    const reader = clientKvReader(c, { progress: { idleMs: 100, graceMs: 1000, lostMs: 5000 } });
    const seen: string[] = [];
    const done = (async () => {
      for await (const e of reader.watch(Buffer.from("k"), undefined, { startRevision: 2 })) {
        seen.push(e.type === "progress" ? `progress ${e.revision}` : `${e.type} ${e.kv.modRevision}`);
        if (e.type === "progress" && e.revision >= 10) return;
      }
    })();
    await turn();
    const w = c.watches[0]!.stream;
    // Like etcd 3.4.23: every progress request is answered at once with the store's revision.
    w.onProgressRequest = () => w.push(response(10));
    w.push(response(10, { created: true }));
    await turn();
    for (let i = 0; i < 5; i++) {
      t.mock.timers.tick(100);
      await turn();
    }
    assert.ok(w.progressRequests > 0, "asked for progress while idle");
    assert.deepEqual(seen, [], "answers within the grace period are not believed");
    // The watcher catches up only now (its sync loop was late).
    w.push(response(10, { events: [{ type: 0, kv: kv("k", 4), prevKv: null }] }));
    w.push(response(10, { events: [{ type: 1, kv: { ...kv("k", 9, ""), version: 0 }, prevKv: null }] }));
    for (let i = 0; i < 20 && seen.length < 5; i++) {
      t.mock.timers.tick(100);
      await turn();
      await turn();
    }
    await done;
    assert.deepEqual(seen, ["put 4", "progress 4", "delete 9", "progress 9", "progress 10"]);
  });
});
