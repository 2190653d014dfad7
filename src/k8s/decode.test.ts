import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { decodeValue } from "./decode.js";
import { type JsonValue, jsonEqual, toJsonText } from "./json-value.js";

const testdata = new URL("../../src/k8s/testdata/", import.meta.url);
const read = (name: string) => readFileSync(new URL(name, testdata));

/** The first difference between two JSON values, as a path, for a readable failure. */
function firstDifference(a: JsonValue, b: JsonValue, path = ""): string | undefined {
  if (jsonEqual(a, b)) return undefined;
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(k in a)) return `${path}.${k}: missing (want ${toJsonText(b[k]!)})`;
      if (!(k in b)) return `${path}.${k}: unexpected ${toJsonText(a[k]!)}`;
      const d = firstDifference(a[k]!, b[k]!, `${path}.${k}`);
      if (d) return d;
    }
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i]!, b[i]!, `${path}[${i}]`);
      if (d) return d;
    }
  }
  return `${path}: got ${toJsonText(a)}, want ${toJsonText(b)}`;
}

describe("k8s decode - fixtures", () => {
  for (const name of ["pod", "job"]) {
    it(`k8s decode - storage-${name}.bin gives json-${name}.json and yaml-${name}.yaml as data`, () => {
      const decoded = decodeValue(read(`storage-${name}.bin`));
      assert.equal(decoded.format, "protobuf");
      assert.equal(decoded.error, undefined);
      const object = decoded.object;
      assert.ok(object);
      const fromJson = JSON.parse(read(`json-${name}.json`).toString("utf8")) as JsonValue;
      const fromYaml = parseYaml(read(`yaml-${name}.yaml`).toString("utf8")) as JsonValue;
      assert.equal(firstDifference(object, fromJson), undefined);
      assert.equal(firstDifference(object, fromYaml), undefined);
    });
  }

  it("k8s decode - a trailing newline from etcdctl --print-value-only is tolerated", () => {
    const value = Buffer.concat([read("storage-job.bin"), Buffer.from("\n")]);
    const decoded = decodeValue(value);
    assert.equal(decoded.kind, "Job");
    assert.ok(decoded.object);
    assert.match(decoded.error ?? "", /trailing newline/);
  });

  it("k8s decode - metadata.resourceVersion comes from the key's mod_revision", () => {
    const decoded = decodeValue(read("storage-pod.bin"), { modRevision: 82650 });
    const meta = decoded.object?.metadata as Record<string, JsonValue>;
    assert.equal(meta.resourceVersion, "82650");
    const keys = Object.keys(meta);
    assert.equal(keys[keys.indexOf("uid") + 1], "resourceVersion");
  });

  it("k8s decode - apiVersion and kind come first, then metadata, spec, status", () => {
    const object = decodeValue(read("storage-job.bin")).object!;
    assert.deepEqual(Object.keys(object), ["apiVersion", "kind", "metadata", "spec", "status"]);
  });
});

describe("k8s decode - unknown fields", () => {
  it("k8s decode - fields the schema lacks are reported and kept off the JSON", () => {
    // The 2017 fixture still carries ObjectMeta field 15 (clusterName, removed since).
    const decoded = decodeValue(read("storage-job.bin"));
    assert.deepEqual(
      decoded.unknownFields?.map((u) => [u.path, u.fields.map((f) => f.field)]),
      [
        ["metadata", [15]],
        ["spec.template.metadata", [15]],
      ],
    );
    assert.equal(Object.keys(decoded.object!.metadata!).includes("$unknown"), false);
  });
});
