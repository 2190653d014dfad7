import assert from "node:assert/strict";
import { test } from "node:test";
import { parseGrpcTimeout } from "./timeout.js";

test("timeout - every unit of grpc-timeout", () => {
  assert.equal(parseGrpcTimeout("2H"), 7_200_000);
  assert.equal(parseGrpcTimeout("3M"), 180_000);
  assert.equal(parseGrpcTimeout("5S"), 5000);
  assert.equal(parseGrpcTimeout("250m"), 250);
  assert.equal(parseGrpcTimeout("1500u"), 1.5);
  assert.equal(parseGrpcTimeout("99999999n"), 99.999999);
});

test("timeout - malformed values get grpc-go's error texts", () => {
  assert.equal((parseGrpcTimeout("1") as Error).message, 'transport: timeout string is too short: "1"');
  assert.equal(
    (parseGrpcTimeout("1234567890S") as Error).message,
    'transport: timeout string is too long: "1234567890S"',
  );
  assert.equal(
    (parseGrpcTimeout("10x") as Error).message,
    'transport: timeout unit is not recognized: "10x"',
  );
  assert.ok(parseGrpcTimeout("1.5S") instanceof Error);
});
