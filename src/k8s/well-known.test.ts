import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  durationToString,
  embeddedToJson,
  parseDuration,
  parseTime,
  RAW_MARKER,
  timeToJson,
} from "./well-known.js";

describe("k8s well-known types", () => {
  it("k8s well-known - durations print as Go's time.Duration.String", () => {
    // Printed by Go 1.19's time package.
    const cases: [bigint, string][] = [
      [0n, "0s"],
      [1n, "1ns"],
      [1100n, "1.1µs"],
      [2200000n, "2.2ms"],
      [3300000000n, "3.3s"],
      [245000000000n, "4m5s"],
      [245001000000n, "4m5.001s"],
      [18367001000000n, "5h6m7.001s"],
      [480000000001n, "8m0.000000001s"],
      [3600000000000n, "1h0m0s"],
      [-1n, "-1ns"],
      [-1100n, "-1.1µs"],
      [9223372036854775807n, "2562047h47m16.854775807s"],
      [-9223372036854775808n, "-2562047h47m16.854775808s"],
      [90000000000n, "1m30s"],
      [100000000n, "100ms"],
    ];
    for (const [ns, text] of cases) {
      assert.equal(durationToString(ns), text);
      assert.equal(parseDuration(text), ns, text);
    }
    assert.equal(parseDuration("1.5h"), 5400000000000n);
    assert.equal(parseDuration("10us"), 10000n);
    assert.equal(parseDuration("5"), undefined);
    assert.equal(parseDuration("h"), undefined);
  });

  it("k8s well-known - any duration survives print and parse", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (ns) => {
        assert.equal(parseDuration(durationToString(ns)), ns);
      }),
    );
  });

  it("k8s well-known - times print as RFC 3339 in UTC like Go; the zero time is null", () => {
    assert.equal(timeToJson(1498581334, 0, false, false), "2017-06-27T16:35:34Z");
    assert.equal(timeToJson(1498581334, 123456789, true, false), "2017-06-27T16:35:34.123456Z");
    assert.equal(timeToJson(253402300799, 0, false, false), "9999-12-31T23:59:59Z");
    assert.equal(timeToJson(0, 0, false, false), "1970-01-01T00:00:00Z");
    assert.equal(timeToJson(-62135596800, 0, false, false), null);
    assert.equal(timeToJson(undefined, 0, false, true), null);
  });

  it("k8s well-known - RFC 3339 parsing honours offsets and fractions", () => {
    assert.deepEqual(parseTime("2017-06-27T16:35:34Z"), { seconds: 1498581334, nanos: 0 });
    assert.deepEqual(parseTime("2017-06-27T18:35:34.5+02:00"), { seconds: 1498581334, nanos: 500000000 });
    assert.deepEqual(parseTime("0001-01-01T00:00:00Z"), { seconds: -62135596800, nanos: 0 });
    assert.equal(parseTime("yesterday"), undefined);
    fc.assert(
      // From just after Go's zero time (which prints as null) to the end of year 9999.
      fc.property(fc.integer({ min: -62135596799, max: 253402300799 }), (s) => {
        assert.equal(parseTime(timeToJson(s, 0, false, false)!)?.seconds, s);
      }),
    );
  });

  it("k8s well-known - embedded JSON is parsed; other bytes are kept as base64", () => {
    assert.deepEqual(embeddedToJson(Buffer.from('{"f:metadata":{}}'), "FieldsV1"), { "f:metadata": {} });
    assert.equal(embeddedToJson(undefined, "RawExtension"), null);
    assert.deepEqual(embeddedToJson(Buffer.from([0xd9, 0xd9, 0xf7, 1]), "RawExtension"), {
      [RAW_MARKER]: "2dn3AQ==",
    });
  });
});
