import assert from "node:assert/strict";
import { after, test } from "node:test";
import { capnslogTime, goLogTime, zapTime } from "./clock.js";

const savedTz = process.env.TZ;
after(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

// 2020-06-08T10:17:22.553208Z
const instant = Date.UTC(2020, 5, 8, 10, 17, 22, 553) + 0.208;

test("clock - zap time is ISO8601 with milliseconds and Z in UTC", () => {
  process.env.TZ = "UTC";
  assert.equal(zapTime(instant), "2020-06-08T10:17:22.553Z");
});

test("clock - zap time carries the local offset outside UTC", () => {
  process.env.TZ = "Asia/Kolkata";
  assert.equal(zapTime(instant), "2020-06-08T15:47:22.553+0530");
  process.env.TZ = "America/New_York";
  assert.equal(zapTime(instant), "2020-06-08T06:17:22.553-0400");
});

test("clock - capnslog time has microseconds, goLog time has slashes", () => {
  process.env.TZ = "UTC";
  assert.equal(capnslogTime(instant), "2020-06-08 10:17:22.553208");
  assert.equal(goLogTime(instant), "2020/06/08 10:17:22");
});
