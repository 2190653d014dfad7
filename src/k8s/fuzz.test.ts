import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { decodeValue } from "./decode.js";
import { buildEnvelope } from "./envelope.js";
import { generateObject } from "./generator.js";
import { renderDecoded } from "./render.js";

const testdata = new URL("../../src/k8s/testdata/", import.meta.url);
const seeds = [
  readFileSync(new URL("storage-pod.bin", testdata)),
  readFileSync(new URL("storage-job.bin", testdata)),
  generateObject("Deployment", 3).value,
  generateObject("Node", 4).value,
  generateObject("CustomResourceDefinition", 1).value,
];

/** Decoding and rendering must never throw, whatever the bytes. */
function survives(value: Uint8Array): void {
  const decoded = decodeValue(value, { key: "/registry/pods/default/x", modRevision: 5 });
  assert.ok(decoded.format);
  assert.equal(typeof renderDecoded(decoded), "string");
}

describe("k8s fuzz", () => {
  it("k8s fuzz - random bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), survives), { numRuns: 400 });
  });

  it("k8s fuzz - random bytes behind the k8s\\0 magic", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (tail) =>
        survives(Buffer.concat([Buffer.from("k8s\0"), tail])),
      ),
      { numRuns: 400 },
    );
  });

  it("k8s fuzz - random object bytes in a valid envelope of a known kind", () => {
    const kinds: [string, string][] = [
      ["v1", "Pod"],
      ["apps/v1", "Deployment"],
      ["v1", "Secret"],
      ["batch/v1", "CronJob"],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.uint8Array({ maxLength: 300 }), ([apiVersion, kind], raw) =>
        survives(buildEnvelope(apiVersion, kind, raw)),
      ),
      { numRuns: 400 },
    );
  });

  it("k8s fuzz - every truncation of real values", () => {
    for (const value of seeds) for (let n = 0; n < value.length; n++) survives(value.subarray(0, n));
  });

  it("k8s fuzz - bit flips in real values", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 }),
        (value, flips) => {
          const copy = Buffer.from(value);
          for (const [pos, bit] of flips) copy[pos % copy.length]! ^= 1 << bit;
          survives(copy);
        },
      ),
      { numRuns: 600 },
    );
  });

  it("k8s fuzz - a wrong wire type for a known field falls back to a wire dump with the reason", () => {
    // Pod field 1 (metadata) as a varint instead of a message.
    const decoded = decodeValue(buildEnvelope("v1", "Pod", Buffer.from([0x08, 0x01])));
    assert.equal(decoded.object, undefined);
    assert.match(decoded.error ?? "", /does not fit the schema/);
    assert.deepEqual(decoded.wire, [{ field: 1, wire: "varint", value: "1" }]);
  });
});
