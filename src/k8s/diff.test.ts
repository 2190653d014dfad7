import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { changedPaths, diffLineLists, diffObjects, formatChange } from "./diff.js";
import type { JsonObject } from "./json-value.js";

const deployment = (replicas: number, image: string): JsonObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "default", labels: { app: "web" } },
  spec: {
    replicas,
    template: {
      spec: {
        containers: [
          { name: "web", image },
          { name: "sidecar", image: "envoy:1.30" },
        ],
      },
    },
  },
});

describe("k8s diff", () => {
  it("k8s diff - summarizes changed paths with before and after", () => {
    const d = diffObjects(deployment(2, "nginx:1.25"), deployment(3, "nginx:1.26"));
    assert.deepEqual(d.summary, [
      "spec.replicas: 2 -> 3",
      'spec.template.spec.containers[name=web].image: "nginx:1.25" -> "nginx:1.26"',
    ]);
  });

  it("k8s diff - unified text marks removed and added lines with context", () => {
    const d = diffObjects(deployment(2, "nginx:1.25"), deployment(3, "nginx:1.25"), { context: 1 });
    assert.equal(d.hunks.length, 1);
    assert.equal(d.text, "@@ -8,3 +8,3 @@\n spec:\n-  replicas: 2\n+  replicas: 3\n   template:\n");
  });

  it("k8s diff - added and removed keys, including ones with dots", () => {
    const before: JsonObject = { metadata: { labels: { a: "1", "app.kubernetes.io/name": "x" } } };
    const after: JsonObject = { metadata: { labels: { a: "1", b: "2" } } };
    assert.deepEqual(changedPaths(before, after).map(formatChange), [
      'metadata.labels["app.kubernetes.io/name"]: removed (was "x")',
      'metadata.labels.b: added "2"',
    ]);
  });

  it("k8s diff - creation and deletion diff against nothing", () => {
    const created = diffObjects(undefined, { a: 1 });
    assert.equal(created.text, "@@ -0,0 +1,1 @@\n+a: 1\n");
    assert.deepEqual(created.summary, ['.: added {"a":1}']);
    const deleted = diffObjects({ a: 1 }, undefined);
    assert.equal(deleted.text, "@@ -1,1 +0,0 @@\n-a: 1\n");
  });

  it("k8s diff - identical objects give no hunks and no changes", () => {
    const d = diffObjects(deployment(1, "x"), deployment(1, "x"));
    assert.deepEqual(d.hunks, []);
    assert.deepEqual(d.changes, []);
  });

  it("k8s diff - applying the edit script to the old lines gives the new lines", () => {
    const lines = fc.array(fc.constantFrom("a", "b", "c", "d", "e"), { maxLength: 40 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const script = diffLineLists(a, b);
        assert.deepEqual(
          script.filter((l) => l.op !== "+").map((l) => l.text),
          a,
        );
        assert.deepEqual(
          script.filter((l) => l.op !== "-").map((l) => l.text),
          b,
        );
      }),
    );
  });

  it("k8s diff - the edit script is minimal (matches the LCS length)", () => {
    const lines = fc.array(fc.constantFrom("a", "b", "c"), { maxLength: 12 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const kept = diffLineLists(a, b).filter((l) => l.op === " ").length;
        assert.equal(kept, lcs(a, b));
      }),
    );
  });
});

function lcs(a: string[], b: string[]): number {
  const t: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      t[i]![j] = a[i - 1] === b[j - 1] ? t[i - 1]![j - 1]! + 1 : Math.max(t[i - 1]![j]!, t[i]![j - 1]!);
  return t[a.length]![b.length]!;
}
