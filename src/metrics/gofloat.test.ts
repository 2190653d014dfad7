import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { formatGoFloat } from "./gofloat.js";

test("gofloat - numbers print as Go's FormatFloat(f, 'g', -1, 64)", () => {
  // Values as etcd 3.4's /metrics shows them.
  const cases: [number, string][] = [
    [0, "0"],
    [1, "1"],
    [-1, "-1"],
    [0.001, "0.001"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [0.000158407, "0.000158407"],
    [131072, "131072"],
    [524288, "524288"],
    [1048576, "1.048576e+06"],
    [8388608, "8.388608e+06"],
    [1000000, "1e+06"],
    [25378816, "2.5378816e+07"],
    [1795299666.15, "1.79529966615e+09"],
    [2 ** 64, "1.8446744073709552e+19"],
    [0.1 + 0.2, "0.30000000000000004"],
    [12.5, "12.5"],
    [-0.5, "-0.5"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "+Inf"],
    [Number.NEGATIVE_INFINITY, "-Inf"],
    [1e-300, "1e-300"],
    [1.5e300, "1.5e+300"],
  ];
  for (const [f, text] of cases) assert.equal(formatGoFloat(f), text, String(f));
});

test("gofloat - the text reads back as the same number", () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (f) => {
      assert.ok(Object.is(Number(formatGoFloat(f)), f) || (f === 0 && Number(formatGoFloat(f)) === 0));
    }),
  );
});
