import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeValue } from "./decode.js";
import { encodeObject } from "./encode.js";
import { GENERATED_KINDS, generateObject, generateObjects } from "./generator.js";
import { jsonEqual } from "./json-value.js";
import { parseKey } from "./registry.js";

const kinds = Object.keys(GENERATED_KINDS);

describe("k8s generator", () => {
  it("k8s generator - covers at least 20 kinds", () => {
    assert.ok(kinds.length >= 20, `${kinds.length} kinds`);
  });

  for (const kind of kinds) {
    it(`k8s generator - ${kind} decodes back identical`, () => {
      for (let seed = 1; seed <= 8; seed++) {
        const g = generateObject(kind, seed);
        const decoded = decodeValue(g.value, { key: g.key });
        assert.equal(decoded.format, g.format);
        assert.equal(decoded.kind, kind);
        assert.equal(decoded.error, undefined);
        assert.ok(jsonEqual(decoded.object!, g.object), `${kind} seed ${seed}`);
        // The stored bytes are a fixed point: encoding the decoded object gives them again.
        assert.deepEqual(encodeObject(decoded.object!, { format: g.format }), g.value);
        const parsed = parseKey(g.key);
        assert.equal(parsed?.name, (g.object.metadata as { name: string }).name);
      }
    });
  }

  it("k8s generator - built-in kinds are stored as protobuf, CRDs, APIServices and custom resources as JSON", () => {
    for (const kind of kinds) {
      const g = generateObject(kind, 1);
      const isJson = ["CustomResourceDefinition", "APIService", "CronTab"].includes(kind);
      assert.equal(g.format, isJson ? "json" : "protobuf", kind);
      assert.equal(g.value.subarray(0, isJson ? 1 : 4).toString("latin1"), isJson ? "{" : "k8s\0", kind);
    }
  });

  it("k8s generator - the same seed gives the same objects; keys are unique", () => {
    const a = [...generateObjects(90, 7)];
    const b = [...generateObjects(90, 7)];
    assert.deepEqual(
      a.map((g) => g.value),
      b.map((g) => g.value),
    );
    assert.equal(new Set(a.map((g) => g.key)).size, a.length);
  });
});
