import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { decodeGrpcMessage, encodeGrpcMessage, GrpcError, Status, statusName } from "./status.js";

test("status - grpc-message percent-encoding as grpc-go does it", () => {
  assert.equal(encodeGrpcMessage("plain message"), "plain message");
  assert.equal(encodeGrpcMessage("100%"), "100%25");
  assert.equal(encodeGrpcMessage("a\nb"), "a%0Ab");
  assert.equal(encodeGrpcMessage("ü"), "%C3%BC");
  assert.equal(encodeGrpcMessage("~ok"), "~ok");
});

test("status - percent-encoding round-trips any text", () => {
  fc.assert(
    fc.property(
      fc.string({ unit: "grapheme" }),
      (text) => decodeGrpcMessage(encodeGrpcMessage(text)) === text,
    ),
  );
});

test("status - names as grpc-go prints them, errors map to codes", () => {
  assert.equal(statusName(Status.DEADLINE_EXCEEDED), "DeadlineExceeded");
  assert.equal(statusName(Status.CANCELLED), "Canceled");
  assert.equal(statusName(99 as Status), "Code(99)");
  assert.equal(GrpcError.from(new Error("x")).code, Status.UNKNOWN);
  const e = new GrpcError(Status.NOT_FOUND, "gone");
  assert.equal(GrpcError.from(e), e);
});
