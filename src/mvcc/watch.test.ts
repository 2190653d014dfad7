import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrEmptyWatcherRange, ErrWatcherDuplicateID, ErrWatcherNotExist } from "./errors.js";
import { b, del, openTestStore, put, txn } from "./testing.js";
import type { WatchResponse } from "./watch.js";

/** A consumer that records responses and can be told to push back. */
function recorder(accept: () => boolean = () => true) {
  const got: WatchResponse[] = [];
  return {
    got,
    consumer: (r: WatchResponse) => {
      got.push(r);
      return accept();
    },
  };
}

const turn = () => new Promise((r) => setImmediate(r));
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await turn();
}

/** [watchId, type, key, modRevision] of every event received. */
function flat(got: WatchResponse[]) {
  return got.flatMap((r) => r.events.map((e) => [r.watchId, e.type, e.kv.key.toString(), e.kv.modRevision]));
}

test("watch - synced watchers get each commit's events right after it", async () => {
  const t = openTestStore();
  const rec = recorder();
  const ws = t.store.watchStream(rec.consumer);
  const id = ws.watch({ key: b("foo") });
  assert.equal(id, 0);
  put(t, "foo", "1");
  put(t, "bar", "1");
  assert.equal(rec.got.length, 1);
  assert.deepEqual(rec.got[0]!.revision, 2);
  assert.deepEqual(flat(rec.got), [[0, "put", "foo", 2]]);
  del(t, "foo");
  assert.deepEqual(flat(rec.got).at(-1), [0, "delete", "foo", 4]);
  await t.close();
});

test("watch - history replay from a past revision, then live events, with no gap or repeat", async () => {
  const t = openTestStore();
  for (let i = 0; i < 10; i++) put(t, `k${i % 3}`, `${i}`);
  const rec = recorder();
  const ws = t.store.watchStream(rec.consumer);
  ws.watch({ key: b("k"), rangeEnd: b("l"), startRevision: 5 });
  assert.equal(t.store.watcherCounts().unsynced, 1);
  await settle();
  put(t, "k9", "live");
  const revs = flat(rec.got).map((e) => e[3]);
  assert.deepEqual(revs, [5, 6, 7, 8, 9, 10, 11, 12]);
  assert.equal(t.store.watcherCounts().synced, 1);
  await t.close();
});

test("watch - catch-up works in bounded batches that never split a revision", async () => {
  const t = openTestStore({ watch: { syncBatchEntries: 4 } });
  for (let i = 0; i < 5; i++)
    txn(t, (w) => {
      for (let j = 0; j < 3; j++) w.put(b(`k${j}`), b(`${i}`));
    });
  const rec = recorder();
  t.store.watchStream(rec.consumer).watch({ key: b("k"), rangeEnd: b("\0"), startRevision: 2 });
  await settle();
  assert.ok(rec.got.length >= 3, `${rec.got.length} responses`);
  for (const r of rec.got) {
    const counts = new Map<number, number>();
    for (const e of r.events) counts.set(e.kv.modRevision, (counts.get(e.kv.modRevision) ?? 0) + 1);
    for (const n of counts.values()) assert.equal(n, 3);
  }
  assert.equal(flat(rec.got).length, 15);
  await t.close();
});

test("watch - prev_kv on live and replayed events, and filters", async () => {
  const t = openTestStore();
  put(t, "a", "1");
  put(t, "a", "2");
  del(t, "a");
  const rec = recorder();
  const ws = t.store.watchStream(rec.consumer);
  const withPrev = ws.watch({ key: b("a"), startRevision: 2, prevKv: true });
  const noPrev = ws.watch({ key: b("a"), startRevision: 2 });
  const noPut = ws.watch({ key: b("a"), startRevision: 2, filters: { noPut: true } });
  const noDelete = ws.watch({ key: b("a"), startRevision: 2, filters: { noDelete: true } });
  await settle();
  put(t, "a", "3");
  put(t, "a", "4");
  const of = (id: number) => rec.got.filter((r) => r.watchId === id).flatMap((r) => r.events);
  assert.deepEqual(
    of(withPrev).map((e) => [e.type, e.kv.value.toString(), e.prevKv?.value.toString()]),
    [
      ["put", "1", undefined],
      ["put", "2", "1"],
      ["delete", "", "2"],
      ["put", "3", undefined],
      ["put", "4", "3"],
    ],
  );
  assert.ok(of(noPrev).every((e) => e.prevKv === undefined));
  assert.equal(of(noPrev).length, 5);
  assert.deepEqual(
    of(noPut).map((e) => e.type),
    ["delete"],
  );
  assert.deepEqual(
    of(noDelete).map((e) => e.type),
    ["put", "put", "put", "put"],
  );
  await t.close();
});

test("watch - the watchers of one commit share its event objects, with or without prev_kv", async () => {
  const t = openTestStore();
  put(t, "a", "1");
  const [recOne, recOther] = [recorder(), recorder()];
  const one = t.store.watchStream(recOne.consumer);
  const other = t.store.watchStream(recOther.consumer);
  const withPrev = one.watch({ key: b("a"), prevKv: true });
  const plain = one.watch({ key: b("a"), rangeEnd: b("b") });
  const elsewhere = other.watch({ key: b("a") });
  put(t, "a", "2");
  const event = (got: WatchResponse[], id: number) => got.find((r) => r.watchId === id)?.events[0];
  const first = event(recOne.got, plain);
  assert.ok(first !== undefined && first.prevKv === undefined);
  // One object for every watcher without prev_kv: the API encodes it once for all of them.
  assert.equal(event(recOther.got, elsewhere), first);
  assert.equal(event(recOne.got, withPrev)?.prevKv?.value.toString(), "1");
  await t.close();
});

test("watch - a compacted start revision gets compactRevision and the watch is gone", async () => {
  const t = openTestStore();
  for (let i = 0; i < 6; i++) put(t, "k", `${i}`);
  await t.store.compact(5).done;
  const rec = recorder();
  const ws = t.store.watchStream(rec.consumer);
  const id = ws.watch({ key: b("k"), startRevision: 3 });
  const ok = ws.watch({ key: b("k"), startRevision: 5 });
  await settle();
  const compacted = rec.got.find((r) => r.watchId === id)!;
  assert.equal(compacted.compactRevision, 5);
  assert.deepEqual(compacted.events, []);
  assert.throws(() => ws.cancel(id), ErrWatcherNotExist);
  assert.deepEqual(
    rec.got.filter((r) => r.watchId === ok).flatMap((r) => r.events.map((e) => e.kv.modRevision)),
    [5, 6, 7],
  );
  await t.close();
});

test("watch - ids: auto from 0, client ids honoured, duplicates rejected, bad ranges rejected", async () => {
  const t = openTestStore();
  const ws = t.store.watchStream(() => true);
  assert.equal(ws.watch({ key: b("a") }), 0);
  assert.equal(ws.watch({ id: 2, key: b("a") }), 2);
  assert.equal(ws.watch({ key: b("a") }), 1);
  assert.equal(ws.watch({ key: b("a") }), 3);
  assert.throws(() => ws.watch({ id: 2, key: b("a") }), ErrWatcherDuplicateID);
  assert.throws(() => ws.watch({ key: b("b"), rangeEnd: b("a") }), ErrEmptyWatcherRange);
  assert.throws(() => ws.watch({ key: b("b"), rangeEnd: b("b") }), ErrEmptyWatcherRange);
  ws.cancel(2);
  assert.throws(() => ws.cancel(2), ErrWatcherNotExist);
  assert.equal(ws.watch({ id: 2, key: b("a") }), 2);
  await t.close();
});

test("watch - cancel stops delivery; streams are independent", async () => {
  const t = openTestStore();
  const one = recorder();
  const two = recorder();
  const s1 = t.store.watchStream(one.consumer);
  const s2 = t.store.watchStream(two.consumer);
  const id = s1.watch({ key: b("a") });
  s2.watch({ key: b("a") });
  put(t, "a", "1");
  s1.cancel(id);
  put(t, "a", "2");
  assert.equal(flat(one.got).length, 1);
  assert.equal(flat(two.got).length, 2);
  s2.close();
  put(t, "a", "3");
  assert.equal(flat(two.got).length, 2);
  await t.close();
});

test("watch - a slow consumer loses nothing and never holds up writers", async () => {
  const t = openTestStore();
  let open = true;
  const rec = recorder(() => open);
  const ws = t.store.watchStream(rec.consumer);
  ws.watch({ key: b("k"), rangeEnd: b("l") });
  ws.watch({ key: b("k5") });
  open = false;
  put(t, "k1", "first"); // delivered; the consumer now pushes back
  for (let i = 0; i < 200; i++) put(t, `k${i % 10}`, `${i}`); // writers go on
  assert.equal(t.store.currentRevision(), 202);
  const held = rec.got.length;
  await settle();
  assert.equal(rec.got.length, held, "nothing is pushed at a blocked consumer");
  open = true;
  ws.resume();
  await settle();
  put(t, "k5", "after");
  const range = rec.got.filter((r) => r.watchId === 0).flatMap((r) => r.events.map((e) => e.kv.modRevision));
  assert.deepEqual(
    range,
    Array.from({ length: 202 }, (_, i) => i + 2), // with "after" at 203
  );
  const single = rec.got
    .filter((r) => r.watchId === 1)
    .flatMap((r) => r.events.map((e) => e.kv.value.toString()));
  assert.deepEqual(single, [...Array.from({ length: 20 }, (_, i) => `${i * 10 + 5}`), "after"]);
  await t.close();
});

test("watch - a consumer that pushes back on every response still gets everything, in order", async () => {
  const t = openTestStore({ watch: { syncBatchEntries: 7 } });
  const rec = recorder(() => false);
  const ws = t.store.watchStream(rec.consumer);
  ws.watch({ key: b("k"), rangeEnd: b("\0"), startRevision: 1 });
  for (let i = 0; i < 50; i++) put(t, `k${i % 4}`, `${i}`);
  for (let i = 0; i < 200 && flat(rec.got).length < 60; i++) {
    ws.resume();
    if (i === 3) for (let j = 50; j < 60; j++) put(t, `k${j % 4}`, `${j}`);
    await turn();
  }
  assert.deepEqual(
    flat(rec.got).map((e) => e[3]),
    Array.from({ length: 60 }, (_, i) => i + 2),
  );
  await t.close();
});

test("watch - 1000 watchers on one prefix and 1000 on single keys all get their events", async () => {
  const t = openTestStore();
  const counts = new Map<number, number>();
  const ws = t.store.watchStream((r) => {
    counts.set(r.watchId, (counts.get(r.watchId) ?? 0) + r.events.length);
    return true;
  });
  for (let i = 0; i < 1000; i++) ws.watch({ key: b("/registry/pods/"), rangeEnd: b("/registry/pods0") });
  for (let i = 0; i < 1000; i++) ws.watch({ key: b(`/registry/pods/ns/p${i}`) });
  for (let i = 0; i < 100; i++)
    ws.watch({ key: b(`/registry/other${i}/`), rangeEnd: b(`/registry/other${i}0`) });
  txn(t, (w) => {
    for (let i = 0; i < 10; i++) w.put(b(`/registry/pods/ns/p${i}`), b("spec"));
  });
  put(t, "/registry/services/x", "s");
  for (let i = 0; i < 1000; i++) assert.equal(counts.get(i), 10);
  for (let i = 1000; i < 2000; i++) assert.equal(counts.get(i), i < 1010 ? 1 : undefined);
  for (let i = 2000; i < 2100; i++) assert.equal(counts.get(i), undefined);
  await t.close();
});

test("watch - from-key and range watchers match exactly their keys", async () => {
  const t = openTestStore();
  const rec = recorder();
  const ws = t.store.watchStream(rec.consumer);
  const fromB = ws.watch({ key: b("b"), rangeEnd: b("\0") });
  const bToD = ws.watch({ key: b("b"), rangeEnd: b("d") });
  const all = ws.watch({ key: Buffer.from([0]), rangeEnd: b("\0") });
  for (const k of ["a", "b", "c", "d", "e"]) put(t, k, "v");
  const keysOf = (id: number) =>
    rec.got.filter((r) => r.watchId === id).flatMap((r) => r.events.map((e) => e.kv.key.toString()));
  assert.deepEqual(keysOf(fromB), ["b", "c", "d", "e"]);
  assert.deepEqual(keysOf(bToD), ["b", "c"]);
  assert.deepEqual(keysOf(all), ["a", "b", "c", "d", "e"]);
  await t.close();
});

test("watch - progress: per watcher when synced, per stream once all are synced", async () => {
  const t = openTestStore();
  for (let i = 0; i < 5; i++) put(t, "k", `${i}`);
  const rec = recorder();
  const ws = t.store.watchStream(rec.consumer);
  const live = ws.watch({ key: b("x") });
  const behind = ws.watch({ key: b("k"), startRevision: 2 });
  ws.requestProgress(live);
  ws.requestProgress(behind); // unsynced: nothing
  ws.requestProgress();
  assert.deepEqual(rec.got, [{ watchId: live, events: [], revision: 6 }]);
  await settle();
  // The stream-wide notification comes only after the replay it must not overtake.
  const last = rec.got.at(-1)!;
  assert.deepEqual(last, { watchId: -1, events: [], revision: 6 });
  assert.equal(rec.got.filter((r) => r.watchId === behind).length, 1);
  await t.close();
});
