import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { decodeValue } from "./decode.js";
import { EncodeError, encodeObject } from "./encode.js";
import { generateObject } from "./generator.js";
import type { JsonObject } from "./json-value.js";
import { jsonEqual } from "./json-value.js";
import { toYaml } from "./render.js";

const pod = readFileSync(new URL("../../src/k8s/testdata/storage-pod.bin", import.meta.url));

describe("k8s encode", () => {
  it("k8s encode - a repair: decode, edit the YAML text, encode, and the store reads the edit", () => {
    const decoded = decodeValue(pod, { modRevision: 42 });
    const edited = toYaml(decoded.object!).replace("image: perl\n", "image: perl:5.40\n");
    const value = encodeObject(parse(edited) as JsonObject);
    const again = decodeValue(value);
    const containers = (again.object!.spec as JsonObject).containers as JsonObject[];
    assert.equal(containers[0]!.image, "perl:5.40");
    assert.equal(
      (again.object!.metadata as JsonObject).resourceVersion,
      undefined,
      "resourceVersion is never stored",
    );
    const { image: _a, ...restA } = containers[0]!;
    const { image: _b, ...restB } = ((decoded.object!.spec as JsonObject).containers as JsonObject[])[0]!;
    assert.ok(jsonEqual(restA, restB));
  });

  it("k8s encode - pointer fields keep their zero values (replicas: 0 is not unset)", () => {
    const obj = structuredClone(generateObject("Deployment", 1).object);
    (obj.spec as JsonObject).replicas = 0;
    assert.equal((decodeValue(encodeObject(obj)).object!.spec as JsonObject).replicas, 0);
    delete (obj.spec as JsonObject).replicas;
    assert.equal(Object.hasOwn(decodeValue(encodeObject(obj)).object!.spec as JsonObject, "replicas"), false);
  });

  it("k8s encode - unknown fields and wrong types are refused with their path", () => {
    const obj = structuredClone(generateObject("Deployment", 1).object);
    (obj.spec as JsonObject).replica = 3;
    assert.throws(
      () => encodeObject(obj),
      (err: Error) =>
        err instanceof EncodeError && err.message === "spec.replica: no such field in the schema",
    );
    const bad = structuredClone(generateObject("Deployment", 1).object);
    (bad.spec as JsonObject).replicas = "three";
    assert.throws(() => encodeObject(bad), /spec\.replicas: expected a 32-bit integer, got "three"/);
    const q = structuredClone(generateObject("Pod", 1).object);
    const c = ((q.spec as JsonObject).containers as JsonObject[])[0]!;
    ((c.resources as JsonObject).limits as JsonObject).cpu = "lots";
    assert.throws(
      () => encodeObject(q),
      /spec\.containers\[0\]\.resources\.limits\.cpu: not a quantity: "lots"/,
    );
    assert.throws(
      () => encodeObject({ apiVersion: "example.com/v1", kind: "Widget" }),
      /no protobuf schema for example.com\/v1\/Widget/,
    );
    assert.throws(() => encodeObject({ kind: "Pod" }), /apiVersion and kind are required/);
  });

  it("k8s encode - fields unknown to the schema that were decoded are written back", () => {
    const job = readFileSync(new URL("../../src/k8s/testdata/storage-job.bin", import.meta.url));
    const decoded = decodeValue(job);
    const again = decodeValue(encodeObject(decoded.object!));
    assert.deepEqual(again.unknownFields, decoded.unknownFields);
  });

  it("k8s encode - JSON values are written as the apiserver writes them, newline-terminated", () => {
    const cr = generateObject("CronTab", 2);
    const text = cr.value.toString("utf8");
    assert.ok(text.startsWith('{"apiVersion":"stable.example.com/v1","kind":"CronTab",'));
    assert.ok(text.endsWith("}\n"));
  });
});
