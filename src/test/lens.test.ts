// The Kubernetes lens end to end: objects written through src/k8s's encoder with tetcd's
// client into a real server (etcd 3.4 by default; TETCD_COMPAT_SERVER selects another, see
// etcd-server.ts), read back through tetcdctl as a user would run it.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Io, readYamlObjects, run } from "../cli/index.js";
import { Client, type Op } from "../client/index.js";
import type { JsonObject } from "../k8s/index.js";
import {
  encodeObject,
  GENERATED_KINDS,
  generateObject,
  generateObjects,
  jsonEqual,
  parseJsonText,
  parseKey,
  resourceName,
  setResourceVersion,
} from "../k8s/index.js";
import { EtcdServer, freePorts } from "./etcd-server.js";

const TETCDCTL = new URL("../bin/tetcdctl.js", import.meta.url).pathname;

let server: EtcdServer;
let client: Client;
let dir: string;

before(async () => {
  server = await EtcdServer.start(await freePorts());
  client = await Client.connect({ endpoints: [server.endpoint] });
  dir = mkdtempSync(join(tmpdir(), "tetcd-lens-"));
});

after(async () => {
  client?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Ran {
  code: number;
  out: string;
  err: string;
}

/** tetcdctl in this process, as a user would call it (against the test server). */
async function ctl(args: string[], stdin = ""): Promise<Ran> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const io: Io = {
    out: (d) => out.push(Buffer.from(d)),
    err: (d) => err.push(Buffer.from(d)),
  };
  const code = await run(["--endpoints", server.endpoint, ...args], {
    io,
    env: { PATH: process.env.PATH ?? "" },
    readStdin: async () => Buffer.from(stdin),
  });
  return { code, out: Buffer.concat(out).toString("utf8"), err: Buffer.concat(err).toString("utf8") };
}

async function ok(args: string[], stdin = ""): Promise<string> {
  const r = await ctl(args, stdin);
  assert.equal(r.code, 0, `tetcdctl ${args.join(" ")}: exit ${r.code}\n${r.err}`);
  assert.equal(r.err, "", `tetcdctl ${args.join(" ")} wrote to stderr`);
  return r.out;
}

async function revision(): Promise<number> {
  return (await client.get("/", { keysOnly: true })).header?.revision ?? 0;
}

/** Writes in transactions of up to 100 puts (etcd's default limit is 128 operations). */
async function putAll(items: { key: string; value: Buffer }[]): Promise<void> {
  for (let i = 0; i < items.length; i += 100) {
    const success: Op[] = items.slice(i, i + 100).map((g) => ({ type: "put", key: g.key, value: g.value }));
    await client.txn({ success });
  }
}

/** The generated object as the lens shows it: resourceVersion is the key's mod revision. */
function expected(object: JsonObject, modRevision: number): JsonObject {
  const copy = structuredClone(object);
  setResourceVersion(copy, String(modRevision));
  return copy;
}

function jsonLines(text: string): JsonObject[] {
  return text
    .trimEnd()
    .split("\n")
    .map((l) => parseJsonText(l) as JsonObject);
}

describe("lens - generated objects round trip", () => {
  it("lens - 20+ kinds written through the encoder decode back identical via k8s get and get -w yaml/jsonl", async () => {
    const kinds = Object.keys(GENERATED_KINDS);
    assert.ok(kinds.length >= 20, `${kinds.length} kinds`);
    const written = kinds.map((kind, i) => ({ kind, ...generateObject(kind, 500 + i) }));
    const revs = new Map<string, number>();
    for (const g of written) {
      const r = await client.put(g.key, g.value);
      revs.set(g.key, r.header?.revision ?? 0);
    }
    for (const g of written) {
      const parsed = parseKey(g.key)!;
      const meta = g.object.metadata as JsonObject;
      const name = parsed.namespace ? `${parsed.namespace}/${meta.name as string}` : (meta.name as string);
      const want = expected(g.object, revs.get(g.key)!);
      const asJson = parseJsonText(
        await ok(["k8s", "get", resourceName(parsed.resource), name, "-w", "json"]),
      );
      assert.ok(jsonEqual(asJson, want), `${g.kind}: k8s get -w json`);
      const asYaml = readYamlObjects(await ok(["k8s", "get", resourceName(parsed.resource), name]));
      assert.equal(asYaml.length, 1);
      assert.ok(jsonEqual(asYaml[0]!, want), `${g.kind}: k8s get (YAML)`);
      const decoded = readYamlObjects((await ok(["get", g.key, "--decode"])).replace(/^.*\n/, ""));
      assert.ok(jsonEqual(decoded[0]!, want), `${g.kind}: get --decode`);
    }
    // All at once: one YAML document and one JSON line per key, in key order.
    const byKey = [...written].sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
    const docs = readYamlObjects(await ok(["get", "/registry/", "--prefix", "-w", "yaml"]));
    const lines = jsonLines(await ok(["get", "/registry/", "--prefix", "-w", "jsonl"]));
    assert.equal(docs.length, byKey.length);
    assert.equal(lines.length, byKey.length);
    byKey.forEach((g, i) => {
      const want = expected(g.object, revs.get(g.key)!);
      assert.ok(jsonEqual(docs[i]!, want), `${g.kind}: get -w yaml`);
      assert.equal(lines[i]!.key, g.key);
      assert.equal(lines[i]!.kind, g.kind);
      assert.equal(lines[i]!.format, g.format);
      assert.ok(jsonEqual(lines[i]!.object!, want), `${g.kind}: get -w jsonl`);
    });
    // -w json stays etcdctl's (base64 keys and values).
    const etcdJson = JSON.parse(await ok(["get", byKey[0]!.key, "-w", "json"]));
    assert.equal(Buffer.from(etcdJson.kvs[0].key, "base64").toString(), byKey[0]!.key);
  });
});

describe("lens - ls", () => {
  it("lens - k8s ls lists a few thousand objects a page at a time, with counts per resource", async () => {
    const prefix = "/lens-ls";
    const objects = [...generateObjects(3000, 9)].map((g) => ({
      ...g,
      key: g.key.replace(/^\/registry/, prefix),
    }));
    await putAll(objects);
    const want = new Map<string, number>();
    for (const g of objects) {
      const r = resourceName(parseKey(g.key, prefix)!.resource);
      want.set(r, (want.get(r) ?? 0) + 1);
    }
    const base = ["k8s", "ls", "--etcd-prefix", prefix, "--page-size", "250"];
    const rows = jsonLines(await ok([...base, "-w", "jsonl"]));
    const summary = rows.pop()!.summary as JsonObject;
    assert.equal(rows.length, 3000);
    assert.deepEqual(
      rows.map((r) => r.key),
      objects.map((g) => g.key).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    );
    assert.equal(summary.objects, 3000);
    assert.deepEqual(summary.resources, Object.fromEntries([...want].sort((a, b) => (a[0] < b[0] ? -1 : 1))));
    const pod = objects.find((g) => g.object.kind === "Pod")!;
    const podRow = rows.find((r) => r.key === pod.key)!;
    assert.equal(podRow.size, pod.value.length);
    assert.equal(podRow.kind, "Pod");

    const table = (await ok(base)).trimEnd().split("\n");
    assert.match(table[0]!, /^RESOURCE\s+NAMESPACE\s+NAME\s+KIND\s+SIZE\s+REVISION$/);
    assert.match(table[table.length - 1]!, /^3000 objects, [\d.]+ MiB$/);
    for (const [r, n] of want) assert.ok(table.includes(`${r}: ${n}`), `${r}: ${n}`);

    const counts = jsonLines(await ok([...base, "--count", "-w", "json"]))[0]!.summary as JsonObject;
    assert.deepEqual(counts, { objects: 3000, resources: summary.resources });

    // One resource in one namespace: exactly the objects stored there.
    const ns = (pod.object.metadata as JsonObject).namespace as string;
    const inNs = objects.filter((g) => g.key.startsWith(`${prefix}/pods/${ns}/`)).length;
    const pods = jsonLines(await ok([...base, "po", "-n", ns, "-w", "jsonl"]));
    assert.equal(pods.length - 1, inNs);
    assert.ok(pods.slice(0, -1).every((r) => r.resource === "pods" && r.namespace === ns));

    // Progress goes to stderr only when asked (stderr here is no terminal).
    const withProgress = await ctl([...base, "--count", "--progress"]);
    assert.equal(withProgress.code, 0);
    assert.match(withProgress.err, /read 3000 keys at revision \d+ in [\d.]+s, done\n$/);
  });
});

describe("lens - history", () => {
  it("lens - k8s history shows every retained version with diffs, and says where compaction cut it", async () => {
    const g = generateObject("Deployment", 77);
    const withReplicas = (n: number) => {
      const o = structuredClone(g.object);
      (o.spec as JsonObject).replicas = n;
      return encodeObject(o);
    };
    const created = (await client.put(g.key, withReplicas(1))).header!.revision;
    const revs = [created];
    for (const n of [2, 3, 4]) revs.push((await client.put(g.key, withReplicas(n))).header!.revision);
    await client.put("/unrelated", "x");

    const table = await ok(["k8s", "history", g.key]);
    assert.match(table, new RegExp(`^${revs[0]}\\s+1\\s+put\\s+\\d+\\s+created$`, "m"));
    assert.match(table, new RegExp(`^${revs[3]}\\s+4\\s+put\\s+\\d+\\s+spec\\.replicas: 3 -> 4$`, "m"));
    assert.match(table, /^-\s+replicas: 2\n\+\s+replicas: 3$/m);
    assert.doesNotMatch(table, /resourceVersion/, "the revision is not stored data: no diff of it");
    assert.doesNotMatch(table, /^note:/m);

    // The same object by resource and name.
    const meta = g.object.metadata as JsonObject;
    const byName = await ok([
      "k8s",
      "history",
      "deploy",
      `${meta.namespace as string}/${meta.name as string}`,
    ]);
    assert.equal(byName, table);

    await client.compact(revs[2]!, { physical: true });
    const lines = jsonLines(await ok(["k8s", "history", g.key, "-w", "jsonl"]));
    const versions = lines.filter((l) => l.modRevision !== undefined);
    assert.deepEqual(
      versions.map((v) => [v.modRevision, v.version]),
      [
        [revs[2], 3],
        [revs[3], 4],
      ],
    );
    const note = lines.find((l) => typeof l.note === "string")!.note as string;
    assert.match(note, new RegExp(`history before revision ${revs[2]} was compacted`));
    assert.match(note, /versions 1 to 2 .* are gone/);
    const simple = await ok(["k8s", "history", g.key]);
    assert.match(simple, /^note: history before revision \d+ was compacted/m);

    // Reads below the compaction point say which revision is the oldest readable one.
    const old = await ctl([
      "k8s",
      "get",
      "deploy",
      `${meta.namespace as string}/${meta.name as string}`,
      "--rev",
      String(revs[0]),
    ]);
    assert.equal(old.code, 1);
    assert.equal(
      old.err,
      `Error: etcdserver: mvcc: required revision has been compacted: revision ${revs[0]} is gone, the oldest readable revision is ${revs[2]}\n`,
    );
    const since = await ctl(["k8s", "changes", "--since", String(revs[0])]);
    assert.equal(since.code, 1);
    assert.match(since.err, new RegExp(`the oldest readable revision is ${revs[2]}\\n$`));
  });
});

describe("lens - changes", () => {
  it("lens - changes --since around creating and deleting a Pod, then --watch sees a live change", async () => {
    const before = await revision();
    const podFile = join(dir, "pod.yaml");
    writeFileSync(
      podFile,
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: lens-demo\n  namespace: default\n  labels:\n    app: demo\n" +
        "spec:\n  containers:\n  - name: web\n    image: nginx:1.27\n",
    );
    const put = await ok(["k8s", "put", "-f", podFile]);
    assert.match(put, /^key: {8}\/registry\/pods\/default\/lens-demo$/m);
    const createdAt = Number(/stored at revision (\d+)/.exec(put)![1]);
    await client.delete("/registry/pods/default/lens-demo");
    const head = await revision();

    const lines = jsonLines(await ok(["k8s", "changes", "--since", String(before), "-w", "jsonl"]));
    assert.deepEqual(
      lines.map((l) =>
        l.synced !== undefined ? `synced ${l.synced}` : `${l.type} ${l.key} ${l.modRevision}`,
      ),
      [
        `created /registry/pods/default/lens-demo ${createdAt}`,
        `deleted /registry/pods/default/lens-demo ${head}`,
        `synced ${head}`,
      ],
    );
    assert.equal((lines[0]!.object as JsonObject).kind, "Pod");
    const simple = await ok(["k8s", "changes", "--since", String(before)]);
    assert.match(simple, /^\d+\s+created\s+pods default\/lens-demo$/m);
    assert.match(simple, /^\+ {4}image: nginx:1\.27$/m);
    assert.match(simple, new RegExp(`^-- up to date at revision ${head} --$`, "m"));
    // Net changes between the two snapshots: the Pod left none.
    assert.doesNotMatch(await ok(["k8s", "changes", "--since", String(before), "--net"]), /lens-demo/);

    // Live: a change made while watching shows up after the "up to date" line.
    const child = spawn(
      process.execPath,
      [
        TETCDCTL,
        "--endpoints",
        server.endpoint,
        "k8s",
        "changes",
        "--since",
        String(head),
        "--watch",
        "-w",
        "jsonl",
      ],
      { stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH ?? "" } },
    );
    try {
      const seen: JsonObject[] = [];
      let buffered = "";
      const waitFor = (pred: (l: JsonObject) => boolean) =>
        new Promise<void>((resolve, reject) => {
          const check = () => {
            if (seen.some(pred)) resolve();
          };
          child.stdout.on("data", (d: Buffer) => {
            buffered += d.toString();
            let nl = buffered.indexOf("\n");
            while (nl >= 0) {
              seen.push(parseJsonText(buffered.slice(0, nl)) as JsonObject);
              buffered = buffered.slice(nl + 1);
              nl = buffered.indexOf("\n");
            }
            check();
          });
          child.on("exit", (code) => reject(new Error(`changes --watch exited ${code}`)));
          check();
        });
      await waitFor((l) => l.synced === head);
      const cm = generateObject("ConfigMap", 3);
      const r = await client.put(cm.key, cm.value);
      await waitFor((l) => l.key === cm.key);
      const live = seen.find((l) => l.key === cm.key)!;
      assert.equal(live.type, "created");
      assert.equal(live.live, true);
      assert.equal(live.modRevision, r.header!.revision);
      assert.equal((live.object as JsonObject).kind, "ConfigMap");
    } finally {
      child.kill("SIGTERM");
    }
  });
});

describe("lens - errors and repairs", () => {
  it("lens - an unknown resource lists close matches (exit 128); a missing object exits 1", async () => {
    const r = await ctl(["k8s", "get", "deploymnets", "x"]);
    assert.equal(r.code, 128);
    assert.match(
      r.err,
      /^Error: the server doesn't have a resource type "deploymnets"\n\nDid you mean this\?\n\tdeployments\.apps\n/,
    );
    const missing = await ctl(["k8s", "get", "pods", "nowhere/nothing"]);
    assert.equal(missing.code, 1);
    assert.equal(missing.err, 'Error: pods "nothing" not found\n');
    const form = await ctl(["k8s", "ls", "-w", "fields"]);
    assert.equal(form.code, 4);
  });

  it("lens - put refuses unknown fields, dry-run writes nothing, and the write is guarded", async () => {
    const g = generateObject("ConfigMap", 21);
    await client.put(g.key, g.value);
    const yaml = await ok([
      "k8s",
      "get",
      "cm",
      `${(g.object.metadata as JsonObject).namespace as string}/${(g.object.metadata as JsonObject).name as string}`,
      "-w",
      "yaml",
    ]);
    const bad = await ctl(["k8s", "put", g.key, "-f", "-"], yaml.replace(/^data:/m, "dataa:"));
    assert.equal(bad.code, 3);
    assert.match(bad.err, /dataa/);
    const cm = readYamlObjects(yaml)[0]!;
    (cm.data as JsonObject)["added-key"] = "added";
    const file = join(dir, "cm.json");
    writeFileSync(file, JSON.stringify(cm));
    const dry = await ok(["k8s", "put", "-f", file, "--dry-run"]);
    assert.match(dry, /^changes to the stored object:\n {2}data\.added-key: added "added"$/m);
    assert.match(dry, /dry run: nothing was written/);
    assert.deepEqual((await client.get(g.key)).kvs[0]!.value, g.value);
    // The object's resourceVersion is the revision it was read at: a write in between wins.
    await client.put(g.key, g.value);
    const stale = await ctl(["k8s", "put", "-f", file]);
    assert.equal(stale.code, 1);
    assert.match(stale.err, /the object has been modified/);
    delete (cm.metadata as JsonObject).resourceVersion;
    writeFileSync(file, JSON.stringify(cm));
    await ok(["k8s", "put", "-f", file]);
    const after = await ok([
      "k8s",
      "get",
      "cm",
      `${(cm.metadata as JsonObject).namespace as string}/${(cm.metadata as JsonObject).name as string}`,
      "-w",
      "json",
    ]);
    assert.equal(((parseJsonText(after) as JsonObject).data as JsonObject)["added-key"], "added");
  });

  it("lens - values encrypted at rest are labelled, and decoded with --encryption-config", async () => {
    const config = join(dir, "enc.yaml");
    writeFileSync(
      config,
      "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n" +
        "  - resources: [secrets]\n    providers:\n      - aesgcm:\n          keys:\n" +
        `            - name: key1\n              secret: ${Buffer.alloc(32, 7).toString("base64")}\n      - identity: {}\n`,
    );
    const g = generateObject("Secret", 5);
    const meta = g.object.metadata as JsonObject;
    const file = join(dir, "secret.json");
    writeFileSync(file, JSON.stringify(g.object));
    await ok(["k8s", "put", "-f", file, "--encryption-config", config]);
    const stored = (await client.get(g.key)).kvs[0]!.value;
    assert.equal(stored.subarray(0, 20).toString("latin1"), "k8s:enc:aesgcm:v1:ke");
    const name = `${meta.namespace as string}/${meta.name as string}`;
    const hidden = await ok(["k8s", "get", "secret", name]);
    assert.match(hidden, /^# encrypted at rest: provider aesgcm, key key1$/m);
    assert.doesNotMatch(hidden, /^kind: Secret$/m);
    const shown = await ok(["k8s", "get", "secret", name, "-w", "json", "--encryption-config", config]);
    assert.ok(
      jsonEqual(parseJsonText(shown), expected(g.object, (await client.get(g.key)).kvs[0]!.modRevision)),
    );
    const decoded = await ok(["get", g.key, "--decode", "--encryption-config", config]);
    assert.match(decoded, /^# encrypted at rest: provider aesgcm, key key1 \(decrypted\)$/m);
    const refused = await ctl(["k8s", "put", "-f", file]);
    assert.equal(refused.code, 128);
    assert.match(refused.err, /is encrypted at rest \(aesgcm, key key1\): pass --encryption-config/);
  });
});
