import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeObject } from "./encode.js";
import { generateObject, generateObjects } from "./generator.js";
import type { JsonObject } from "./json-value.js";
import type { Change, LsProgress, LsRow } from "./lens.js";
import { changes, countByResource, get, history, ls, NotFoundError, oldestReadableRevision } from "./lens.js";
import { renderChange, renderHistory, renderLs, renderObject } from "./lens-render.js";
import { MemoryKv } from "./memory-kv.js";
import { CompactedError, isCompactedError } from "./reader.js";

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

function deploymentWith(replicas: number, image = "nginx:1.27.3"): JsonObject {
  const obj = structuredClone(generateObject("Deployment", 11).object);
  const spec = obj.spec as JsonObject;
  spec.replicas = replicas;
  ((((spec.template as JsonObject).spec as JsonObject).containers as JsonObject[])[0] as JsonObject).image =
    image;
  return obj;
}

const DEPLOY_KEY = (() => {
  const meta = generateObject("Deployment", 11).object.metadata as JsonObject;
  return `/registry/deployments/${meta.namespace as string}/${meta.name as string}`;
})();

function store(objects = 300): MemoryKv {
  const kv = new MemoryKv();
  for (const g of generateObjects(objects, 3)) kv.put(g.key, g.value);
  kv.put("/registry/ranges/serviceips", "not an object\n");
  kv.put("/other/key", "outside the registry");
  return kv;
}

describe("k8s lens - ls", () => {
  it("k8s lens - ls pages through the registry with bounded requests and reports progress", async () => {
    const kv = store(300);
    const progress: LsProgress[] = [];
    const rows = await collect(ls(kv, { pageSize: 50, onProgress: (p) => progress.push(p) }));
    assert.equal(rows.length, 301);
    assert.ok(kv.rangeCalls.every((c) => c.limit === 50 && c.returned <= 50));
    assert.equal(kv.rangeCalls.length, Math.ceil(301 / 50));
    assert.deepEqual(
      rows.map((r) => r.key),
      [...rows.map((r) => r.key)].sort(),
    );
    assert.equal(progress.length, kv.rangeCalls.length);
    assert.equal(progress[progress.length - 1]!.keys, 301);
    assert.ok(progress.every((p, i) => i === 0 || p.keys > progress[i - 1]!.keys));
    const pod = rows.find((r) => r.kind === "Pod")!;
    assert.equal(pod.resource, "pods");
    assert.equal(pod.apiVersion, "v1");
    assert.equal(pod.format, "protobuf");
    assert.ok(pod.namespace && pod.name && pod.size > 500);
    const crd = rows.find((r) => r.kind === "CustomResourceDefinition")!;
    assert.equal(crd.format, "json");
    assert.equal(crd.resource, "customresourcedefinitions.apiextensions.k8s.io");
    assert.equal(rows.find((r) => r.key === "/registry/ranges/serviceips")?.format, "other");
  });

  it("k8s lens - ls streams 100,000 objects a page at a time", async () => {
    const kv = new MemoryKv();
    const value = generateObject("Pod", 1).value;
    for (let i = 0; i < 100_000; i++) kv.put(`/registry/pods/ns${i % 50}/pod-${i}`, value);
    let rows = 0;
    let pages = 0;
    for await (const r of ls(kv, { pageSize: 1000, onProgress: () => pages++ })) {
      if (r.kind === "Pod") rows++;
    }
    assert.equal(rows, 100_000);
    assert.equal(pages, 100);
    assert.ok(kv.rangeCalls.every((c) => c.returned <= 1000));
  });

  it("k8s lens - ls reads every page at the revision of the first", async () => {
    const kv = store(60);
    const rows: LsRow[] = [];
    for await (const r of ls(kv, { pageSize: 10 })) {
      if (rows.length === 0) kv.put("/registry/zzz-created-later/x", "late");
      rows.push(r);
    }
    assert.equal(rows.length, 61);
    assert.equal(
      rows.some((r) => r.key.includes("zzz")),
      false,
    );
  });

  it("k8s lens - ls of one resource, in one namespace", async () => {
    const kv = store(300);
    const pods = await collect(ls(kv, { resource: "po" }));
    assert.ok(pods.length >= 5);
    assert.ok(pods.every((r) => r.resource === "pods" && r.kind === "Pod"));
    const ns = pods[0]!.namespace;
    const inNs = await collect(ls(kv, { resource: "pods", namespace: ns }));
    assert.deepEqual(
      inNs.map((r) => r.key),
      pods.filter((r) => r.namespace === ns).map((r) => r.key),
    );
    await assert.rejects(collect(ls(kv, { resource: "nodes", namespace: "default" })), /not namespaced/);
  });

  it("k8s lens - countByResource counts keys only", async () => {
    const kv = store(120);
    const counts = await countByResource(kv, { pageSize: 25 });
    const rows = await collect(ls(kv));
    const expected = new Map<string, number>();
    for (const r of rows.filter((r) => r.key !== "/registry/ranges/serviceips")) {
      expected.set(r.resource, (expected.get(r.resource) ?? 0) + 1);
    }
    assert.equal(counts.get("pods"), expected.get("pods"));
    assert.equal(
      [...counts.values()].reduce((a, b) => a + b, 0),
      120 + 1,
    );
  });
});

describe("k8s lens - get", () => {
  it("k8s lens - get decodes one object with resourceVersion from its mod_revision", async () => {
    const kv = new MemoryKv();
    kv.put(DEPLOY_KEY, encodeObject(deploymentWith(2)));
    const rev = kv.put(DEPLOY_KEY, encodeObject(deploymentWith(3)));
    const [, ns, name] = DEPLOY_KEY.split("/").slice(2);
    const got = await get(kv, "deploy", `${ns}/${name}`);
    assert.equal(got.modRevision, rev);
    assert.equal(got.version, 2);
    assert.equal((got.decoded.object!.spec as JsonObject).replicas, 3);
    assert.equal((got.decoded.object!.metadata as JsonObject).resourceVersion, String(rev));
    const old = await get(kv, "deployments.apps", `${ns}/${name}`, { revision: rev - 1 });
    assert.equal((old.decoded.object!.spec as JsonObject).replicas, 2);
    assert.match(renderObject(got, "yaml"), /^apiVersion: apps\/v1\nkind: Deployment\n/);
    assert.match(renderObject(got, "table"), /Deployment\s+protobuf/);
    assert.equal(JSON.parse(renderObject(got, "jsonl")).object.spec.replicas, 3);
  });

  it("k8s lens - get without a namespace means default; missing objects are NotFound", async () => {
    const kv = new MemoryKv();
    await assert.rejects(
      get(kv, "po", "web"),
      (err: Error) => err instanceof NotFoundError && err.message === 'pods "web" not found',
    );
    const node = generateObject("Node", 2);
    kv.put(node.key, node.value);
    const got = await get(kv, "no", (node.object.metadata as JsonObject).name as string);
    assert.equal(got.decoded.kind, "Node");
  });
});

describe("k8s lens - history", () => {
  it("k8s lens - history lists every version with diffs when nothing was compacted", async () => {
    const kv = new MemoryKv();
    kv.put(DEPLOY_KEY, encodeObject(deploymentWith(1)));
    kv.put("/registry/pods/default/unrelated", "x");
    kv.put(DEPLOY_KEY, encodeObject(deploymentWith(2)));
    kv.put(DEPLOY_KEY, encodeObject(deploymentWith(2, "nginx:1.28.0")));
    const h = await history(kv, DEPLOY_KEY);
    assert.equal(h.oldestRevision, 1);
    assert.deepEqual(h.notes, []);
    assert.deepEqual(
      h.versions.map((v) => [v.version, v.type]),
      [
        [1, "put"],
        [2, "put"],
        [3, "put"],
      ],
    );
    assert.ok(h.versions[1]!.diff.summary.includes("spec.replicas: 1 -> 2"));
    assert.ok(
      h.versions[2]!.diff.summary.includes(
        'spec.template.spec.containers[name=web].image: "nginx:1.27.3" -> "nginx:1.28.0"',
      ) || h.versions[2]!.diff.summary.some((s) => s.endsWith('.image: "nginx:1.27.3" -> "nginx:1.28.0"')),
    );
    assert.match(renderHistory(h, "table"), /spec\.replicas: 1 -> 2/);
  });

  it("k8s lens - history says plainly where compaction cut it", async () => {
    const kv = new MemoryKv();
    kv.put(DEPLOY_KEY, encodeObject(deploymentWith(1))); // version 1
    kv.put(DEPLOY_KEY, encodeObject(deploymentWith(2))); // version 2
    const v3 = kv.put(DEPLOY_KEY, encodeObject(deploymentWith(3))); // version 3
    kv.put("/registry/configmaps/default/other", "x");
    kv.compact(v3 + 1);
    kv.put(DEPLOY_KEY, encodeObject(deploymentWith(4))); // version 4
    const h = await history(kv, DEPLOY_KEY);
    assert.equal(h.oldestRevision, v3 + 1);
    assert.deepEqual(
      h.versions.map((v) => v.version),
      [3, 4],
    );
    assert.equal(h.notes.length, 1);
    assert.match(h.notes[0]!, /before revision \d+ was compacted/);
    assert.match(h.notes[0]!, /oldest readable version is version 3/);
    assert.match(h.notes[0]!, /versions 1 to 2 .* are gone/);
    assert.ok(h.versions[1]!.diff.summary.includes("spec.replicas: 3 -> 4"));
    assert.match(renderHistory(h, "table"), /note: history before revision/);
    assert.match(renderHistory(h, "yaml"), /# spec\.replicas: 3 -> 4/);
  });

  it("k8s lens - history of a deleted and re-created key shows the deletion", async () => {
    const kv = new MemoryKv();
    kv.put(DEPLOY_KEY, encodeObject(deploymentWith(1)));
    kv.delete(DEPLOY_KEY);
    kv.put(DEPLOY_KEY, encodeObject(deploymentWith(5)));
    const h = await history(kv, DEPLOY_KEY);
    assert.deepEqual(
      h.versions.map((v) => [v.type, v.version]),
      [
        ["put", 1],
        ["delete", 0],
        ["put", 1],
      ],
    );
    assert.equal(h.versions[1]!.diff.changes[0]!.kind, "removed");
  });

  it("k8s lens - history of a key deleted by now ends at the deletion", async () => {
    const kv = new MemoryKv();
    kv.put(DEPLOY_KEY, encodeObject(deploymentWith(1)));
    kv.put(DEPLOY_KEY, encodeObject(deploymentWith(2)));
    kv.delete(DEPLOY_KEY);
    kv.put("/registry/pods/default/later", "x");
    const h = await history(kv, DEPLOY_KEY);
    assert.deepEqual(
      h.versions.map((v) => v.type),
      ["put", "put", "delete"],
    );
    const lines = renderHistory(h, "jsonl")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => l.type),
      ["put", "put", "delete"],
    );
  });

  it("k8s lens - the oldest readable revision is found exactly", async () => {
    const kv = new MemoryKv();
    for (let i = 0; i < 40; i++) kv.put(`/registry/pods/default/p${i % 5}`, `v${i}`);
    for (const at of [2, 17, 33, kv.revision]) {
      if (at > kv.compactRevision) kv.compact(at);
      assert.equal(
        await oldestReadableRevision(kv, Buffer.from("/registry/pods/default/p1"), kv.revision),
        Math.max(at, 1),
      );
    }
  });
});

describe("k8s lens - changes", () => {
  it("k8s lens - changes since a revision: created, updated, deleted with diffs; unchanged keys omitted", async () => {
    const kv = store(60);
    const cm = generateObject("ConfigMap", 5);
    kv.put(cm.key, cm.value);
    kv.put(DEPLOY_KEY, encodeObject(deploymentWith(2)));
    const since = kv.revision;
    const pod = generateObject("Pod", 99);
    kv.put(pod.key, pod.value);
    kv.put(DEPLOY_KEY, encodeObject(deploymentWith(3)));
    kv.delete(cm.key);
    const all = await collect(changes(kv, { since, pageSize: 7 }));
    const real = all.filter((c): c is Exclude<Change, { type: "synced" }> => c.type !== "synced");
    assert.deepEqual(
      real.map((c) => [c.type, c.key]).sort(),
      [
        ["created", pod.key],
        ["deleted", cm.key],
        ["updated", DEPLOY_KEY],
      ].sort(),
    );
    const updated = real.find((c) => c.type === "updated")!;
    assert.ok(updated.diff.summary.includes("spec.replicas: 2 -> 3"));
    const deleted = real.find((c) => c.type === "deleted")!;
    assert.equal(deleted.before?.kind, "ConfigMap");
    assert.equal(deleted.after, undefined);
    assert.deepEqual(all[all.length - 1], { type: "synced", revision: kv.revision });
    assert.match(renderChange(updated, "table"), /updated\s+deployments \S+\/\S+\s+spec\.replicas: 2 -> 3/);
    assert.equal(JSON.parse(renderChange(deleted, "jsonl")).type, "deleted");
  });

  it("k8s lens - changes from a compacted revision names the oldest readable one", async () => {
    const kv = store(10);
    const early = kv.revision - 5;
    kv.compact(kv.revision - 2);
    await assert.rejects(collect(changes(kv, { since: early })), (err: Error) => {
      assert.ok(err instanceof CompactedError && isCompactedError(err));
      assert.match(
        err.message,
        new RegExp(`revision ${early} is gone, the oldest readable revision is ${kv.compactRevision}`),
      );
      return true;
    });
  });

  it("k8s lens - changes follows live events after the sync marker", async () => {
    const kv = store(5);
    const since = kv.revision;
    const ac = new AbortController();
    const seen: Change[] = [];
    const pod = generateObject("Pod", 7);
    for await (const c of changes(kv, { since, follow: true, signal: ac.signal })) {
      seen.push(c);
      if (c.type === "synced") {
        kv.put(pod.key, pod.value);
        kv.put(DEPLOY_KEY, encodeObject(deploymentWith(1)));
        kv.put(DEPLOY_KEY, encodeObject(deploymentWith(6)));
        kv.delete(pod.key);
      }
      if (seen.length === 5) ac.abort();
    }
    assert.deepEqual(
      seen.map((c) => (c.type === "synced" ? "synced" : `${c.type}${c.live ? " live" : ""}`)),
      ["synced", "created live", "created live", "updated live", "deleted live"],
    );
    const update = seen[3] as Exclude<Change, { type: "synced" }>;
    assert.ok(update.diff.summary.includes("spec.replicas: 1 -> 6"));
    const del = seen[4] as Exclude<Change, { type: "synced" }>;
    assert.equal(del.before?.kind, "Pod");
  });
});

describe("k8s lens - changes replayed", () => {
  it("k8s lens - replayed changes show every event, a Pod created and deleted in between included", async () => {
    const kv = store(20);
    kv.put(DEPLOY_KEY, encodeObject(deploymentWith(1)));
    const since = kv.revision;
    const pod = generateObject("Pod", 41);
    kv.put(pod.key, pod.value);
    kv.put(DEPLOY_KEY, encodeObject(deploymentWith(4)));
    kv.delete(pod.key);
    const head = kv.revision;
    const net = await collect(changes(kv, { since }));
    assert.ok(!net.some((c) => c.type !== "synced" && c.key === pod.key), "net: the Pod left no trace");
    const all = await collect(changes(kv, { since, replay: true }));
    assert.deepEqual(
      all.map((c) => (c.type === "synced" ? `synced ${c.revision}` : `${c.type} ${c.key} ${c.modRevision}`)),
      [
        `created ${pod.key} ${since + 1}`,
        `updated ${DEPLOY_KEY} ${since + 2}`,
        `deleted ${pod.key} ${since + 3}`,
        `synced ${head}`,
      ],
    );
    const [created, updated, deleted] = all as Exclude<Change, { type: "synced" }>[];
    assert.equal(created!.after?.kind, "Pod");
    assert.ok(created!.diff.text.startsWith("@@ "));
    assert.ok(updated!.diff.summary.includes("spec.replicas: 1 -> 4"));
    assert.equal(deleted!.before?.kind, "Pod");
    assert.ok(all.every((c) => c.type === "synced" || !c.live));
  });

  it("k8s lens - replayed changes then live ones after the marker", async () => {
    const kv = store(5);
    const since = kv.revision;
    const cm = generateObject("ConfigMap", 8);
    kv.put(cm.key, cm.value);
    const ac = new AbortController();
    const seen: string[] = [];
    for await (const c of changes(kv, { since, replay: true, follow: true, signal: ac.signal })) {
      seen.push(c.type === "synced" ? "synced" : `${c.type}${c.live ? " live" : ""}`);
      if (c.type === "synced") kv.delete(cm.key);
      if (seen.length === 3) ac.abort();
    }
    assert.deepEqual(seen, ["created", "synced", "deleted live"]);
  });

  it("k8s lens - replaying from a compacted revision names the oldest readable one", async () => {
    const kv = store(10);
    const early = kv.revision - 5;
    kv.compact(kv.revision - 2);
    await assert.rejects(collect(changes(kv, { since: early, replay: true })), (err: Error) => {
      assert.ok(err instanceof CompactedError);
      assert.match(err.message, new RegExp(`the oldest readable revision is ${kv.compactRevision}$`));
      return true;
    });
    const ok = await collect(changes(kv, { since: kv.compactRevision, replay: true }));
    assert.equal(ok.filter((c) => c.type !== "synced").length, 2);
  });
});

describe("k8s lens - renderers", () => {
  it("k8s lens - ls table has a header, aligned rows and counts per resource", async () => {
    const kv = store(40);
    const lines = await collect(renderLs(ls(kv), "table"));
    assert.match(lines[0]!, /^RESOURCE\s+NAMESPACE\s+NAME\s+KIND\s+SIZE\s+REVISION$/);
    const nameCol = lines[0]!.indexOf("NAME");
    assert.ok(lines.slice(1, 10).every((l) => l[nameCol - 1] === " "));
    assert.ok(lines.includes("pods: 2"));
    assert.match(lines[lines.length - 1]!, /^41 objects, [\d.]+ KiB$/);
  });

  it("k8s lens - ls JSON lines parse one object a line, with a summary last", async () => {
    const kv = store(40);
    const lines = await collect(renderLs(ls(kv), "jsonl"));
    const parsed = lines.map((l) => JSON.parse(l));
    assert.equal(parsed.length, 42);
    assert.equal(parsed[41].summary.objects, 41);
    assert.equal(typeof parsed[0].key, "string");
    const yaml = (await collect(renderLs(ls(kv), "yaml"))).join("\n");
    assert.match(yaml, /^items:\n- key: /);
    assert.match(yaml, /\nsummary:\n {2}objects: 41\n/);
  });
});
