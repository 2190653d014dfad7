import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { DurationSyntaxError, formatDuration, parseDuration } from "./duration.js";

test("duration - formats as Go's Duration.String", () => {
  const cases: [number, string][] = [
    [0, "0s"],
    [0.000001, "1ns"],
    [0.0011, "1.1µs"],
    [1.01994, "1.01994ms"],
    [100, "100ms"],
    [1000, "1s"],
    [1500, "1.5s"],
    [7000, "7s"],
    [60_000, "1m0s"],
    [90_000, "1m30s"],
    [600_000, "10m0s"],
    [7_200_000, "2h0m0s"],
    [3_723_004, "1h2m3.004s"],
    [-1500, "-1.5s"],
  ];
  for (const [ms, text] of cases) assert.equal(formatDuration(ms), text, `${ms}ms`);
});

test("duration - parses Go's time.ParseDuration forms", () => {
  const cases: [string, number][] = [
    ["0", 0],
    ["5s", 5000],
    ["2h", 7_200_000],
    ["1h30m", 5_400_000],
    ["1.5s", 1500],
    [".5s", 500],
    ["100ms", 100],
    ["10us", 0.01],
    ["10µs", 0.01],
    ["10μs", 0.01],
    ["1000ns", 0.001],
    ["-1m", -60_000],
    ["+3s", 3000],
  ];
  for (const [text, ms] of cases) assert.equal(parseDuration(text), ms, text);
});

test("duration - rejects malformed text with Go's messages", () => {
  const cases: [string, string][] = [
    ["", 'time: invalid duration ""'],
    ["abc", 'time: invalid duration "abc"'],
    ["5", 'time: missing unit in duration "5"'],
    ["5x", 'time: unknown unit "x" in duration "5x"'],
    [".s", 'time: invalid duration ".s"'],
    ["-", 'time: invalid duration "-"'],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parseDuration(text),
      (e: unknown) => e instanceof DurationSyntaxError && e.message === message,
    );
  }
});

test("duration - parse inverts format for whole nanoseconds", () => {
  fc.assert(
    fc.property(fc.integer({ min: -1e15, max: 1e15 }), (ns) => {
      assert.equal(Math.round(parseDuration(formatDuration(ns / 1e6)) * 1e6), ns);
    }),
  );
});
