import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parse } from "yaml";
import { decodeValue } from "./decode.js";
import { buildEnvelope } from "./envelope.js";
import { generateObject } from "./generator.js";
import { jsonEqual } from "./json-value.js";
import { renderDecoded, toJson, toYaml } from "./render.js";

const testdata = new URL("../../src/k8s/testdata/", import.meta.url);

/** Undoes go-yaml's folding of single-quoted scalars at 80 columns (kubectl folds, we do not). */
function unfold(text: string): string {
  return text.replace(/(: '[^'\n]*)\n\s+([^'\n]*')/g, "$1 $2");
}

describe("k8s render", () => {
  for (const name of ["pod", "job"]) {
    it(`k8s render - sorted YAML of storage-${name}.bin is kubectl's text for it`, () => {
      const object = decodeValue(readFileSync(new URL(`storage-${name}.bin`, testdata))).object!;
      const kubectl = readFileSync(new URL(`yaml-${name}.yaml`, testdata), "utf8").replace(/^#.*\n/gm, "");
      assert.equal(toYaml(object, { order: "sorted" }), unfold(kubectl));
    });
  }

  it("k8s render - strings YAML 1.1 would misread are quoted; any string survives both YAML versions", () => {
    assert.equal(
      toYaml({ a: "True", b: "0755", c: "10.0.0.1", d: "x: y", e: "yes" }),
      'a: "True"\nb: "0755"\nc: 10.0.0.1\nd: \'x: y\'\ne: "yes"\n',
    );
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string(),
          fc.oneof(fc.string(), fc.constantFrom("on", "~", "1e3", "0x1F", "2024-01-01", "-.inf", "null")),
        ),
        (obj) => {
          const text = toYaml(obj);
          assert.ok(jsonEqual(parse(text, { version: "1.1" }), obj));
          assert.ok(jsonEqual(parse(text), obj));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("k8s render - JSON keeps schema order with apiVersion and kind first, and parses back", () => {
    const g = generateObject("StatefulSet", 2);
    const text = toJson(g.object);
    assert.match(text, /^\{\n {2}"apiVersion": "apps\/v1",\n {2}"kind": "StatefulSet",\n {2}"metadata": \{/);
    assert.ok(jsonEqual(JSON.parse(text), g.object));
  });

  it("k8s render - what cannot be decoded is shown as a commented wire dump", () => {
    const value = buildEnvelope("example.com/v1", "Widget", Buffer.from("0801120361626318ff01", "hex"));
    const text = renderDecoded(decodeValue(value));
    assert.match(text, /^# unknown kind example\.com\/v1\/Widget\n/);
    assert.match(text, /\n1: 1\n2: "abc"\n3: 255\n$/);
  });
});
