import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { authpb, etcdserverpb as pb } from "../../proto/index.js";
import { GoJsonError, parseDocument } from "./gojson.js";
import { jsonToMessage, lowerCamel, messageToJson, messageType, methodTypes } from "./jsonpb.js";

const toJson = (name: string, bytes: Uint8Array) => messageToJson(messageType(name), bytes);
const fromJson = (name: string, json: string) =>
  jsonToMessage(messageType(name), parseDocument(Buffer.from(json)));
const errorOf = (name: string, json: string): string => {
  try {
    fromJson(name, json);
    return "<nil>";
  } catch (error) {
    assert.ok(error instanceof GoJsonError, String(error));
    return error.message;
  }
};

test("jsonpb - output as JSONPb{OrigName}: snake_case, int64 strings, enum names, defaults left out", () => {
  const bytes = pb.WatchCreateRequest.encode({
    key: Buffer.from("k"),
    startRevision: 0,
    filters: [pb.WatchCreateRequest.FilterType.NODELETE],
    prevKv: true,
    watchId: 9,
  }).finish();
  assert.equal(
    toJson("etcdserverpb.WatchCreateRequest", bytes),
    '{"key":"aw==","filters":["NODELETE"],"prev_kv":true,"watch_id":"9"}',
  );
  const status = pb.StatusResponse.encode({
    header: {},
    version: "3.4.23",
    dbSize: 20480,
    leader: 1,
    raftIndex: 4,
  }).finish();
  assert.equal(
    toJson("etcdserverpb.StatusResponse", status),
    '{"header":{},"version":"3.4.23","dbSize":"20480","leader":"1","raftIndex":"4"}',
  );
  assert.equal(
    toJson("etcdserverpb.HashResponse", pb.HashResponse.encode({ hash: 4000000000 }).finish()),
    '{"hash":4000000000}',
  );
});

test("jsonpb - oneofs print under their member's name, even at a default value", () => {
  const op = pb.RequestOp.encode({ requestPut: { key: Buffer.from("a") } }).finish();
  assert.equal(toJson("etcdserverpb.RequestOp", op), '{"request_put":{"key":"YQ=="}}');
  const cmp = pb.Compare.encode({
    key: Buffer.from("a"),
    version: 0,
    target: pb.Compare.CompareTarget.VERSION,
  }).finish();
  assert.equal(toJson("etcdserverpb.Compare", cmp), '{"key":"YQ==","version":"0"}');
});

test("jsonpb - strings escaped as Go's json.Marshal, unknown enum values as numbers", () => {
  const user = pb.AuthUserGetResponse.encode({ roles: ["<admin> & co"] }).finish();
  assert.equal(
    toJson("etcdserverpb.AuthUserGetResponse", user),
    '{"roles":["\\u003cadmin\\u003e \\u0026 co"]}',
  );
  const perm = authpb.Permission.encode({
    permType: 7 as authpb.Permission.Type,
    key: Buffer.from("k"),
  }).finish();
  assert.equal(toJson("authpb.Permission", perm), '{"permType":7,"key":"aw=="}');
});

test("jsonpb - input: either name (camel wins), numbers quoted or not, enums by name or number, null unset", () => {
  const bytes = fromJson(
    "etcdserverpb.WatchCreateRequest",
    '{"key":"aw==","startRevision":"5","start_revision":6,"filters":["NOPUT",1],"prev_kv":null,"watchId":" 7 "}',
  );
  const w = pb.WatchCreateRequest.decode(bytes);
  assert.equal(Number(w.startRevision), 5);
  assert.deepEqual(w.filters, [0, 1]);
  assert.equal(w.prevKv, false);
  assert.equal(Number(w.watchId), 7);
  const u = pb.AlarmRequest.decode(
    fromJson("etcdserverpb.AlarmRequest", '{"memberID":"18446744073709551615","action":"ACTIVATE"}'),
  );
  assert.equal(BigInt(u.memberID.toString()), 2n ** 64n - 1n);
  assert.equal(u.action, pb.AlarmRequest.AlarmAction.ACTIVATE);
  const txn = pb.TxnRequest.decode(
    fromJson(
      "etcdserverpb.TxnRequest",
      '{"success":[{"requestRange":{"key":"YQ=="}},{"request_delete_range":{}}]}',
    ),
  );
  assert.equal(Buffer.from(txn.success[0]!.requestRange!.key!).toString(), "a");
  assert.ok(txn.success[1]!.requestDeleteRange);
});

test("jsonpb - type errors name Go's types", () => {
  assert.equal(
    errorOf("etcdserverpb.RangeRequest", '{"limit":"1e2"}'),
    "json: cannot unmarshal number 1e2 into Go value of type int64",
  );
  assert.equal(
    errorOf("etcdserverpb.AlarmRequest", '{"memberID":-1}'),
    "json: cannot unmarshal number -1 into Go value of type uint64",
  );
  assert.equal(
    errorOf("etcdserverpb.AuthRoleGrantPermissionRequest", '{"perm":{"permType":"ALL"}}'),
    'unknown value "ALL" for enum authpb.Permission_Type',
  );
  assert.equal(
    errorOf("etcdserverpb.AuthRoleGrantPermissionRequest", '{"perm":{"permType":true}}'),
    "json: cannot unmarshal bool into Go value of type authpb.Permission_Type",
  );
  assert.equal(
    errorOf("etcdserverpb.AuthRoleGrantPermissionRequest", '{"perm":[]}'),
    "json: cannot unmarshal array into Go value of type map[string]json.RawMessage",
  );
  assert.equal(
    errorOf("etcdserverpb.MemberAddRequest", '{"peerURLs":"http://x"}'),
    "json: cannot unmarshal string into Go value of type []json.RawMessage",
  );
  assert.equal(
    errorOf("etcdserverpb.MemberAddRequest", '{"peerURLs":[1]}'),
    "json: cannot unmarshal number into Go value of type string",
  );
  assert.equal(errorOf("etcdserverpb.RangeRequest", '{"limit":""}'), "unexpected end of JSON input");
  assert.equal(errorOf("etcdserverpb.RangeRequest", '{"limit":"null"}'), "<nil>");
});

test("jsonpb - every request survives encode -> JSON -> decode", () => {
  const kvArb = fc.record({
    key: fc.uint8Array({ maxLength: 8 }),
    rangeEnd: fc.uint8Array({ maxLength: 8 }),
    limit: fc.integer({ min: 0, max: 2 ** 40 }),
    revision: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
    sortOrder: fc.constantFrom(0, 1, 2),
    sortTarget: fc.constantFrom(0, 1, 2, 3, 4),
    serializable: fc.boolean(),
    keysOnly: fc.boolean(),
    countOnly: fc.boolean(),
  });
  fc.assert(
    fc.property(kvArb, (request) => {
      const bytes = pb.RangeRequest.encode(request).finish();
      const json = toJson("etcdserverpb.RangeRequest", bytes);
      const again = fromJson("etcdserverpb.RangeRequest", json);
      assert.deepEqual(Buffer.from(again), Buffer.from(bytes));
    }),
  );
});

test("jsonpb - helpers", () => {
  assert.equal(lowerCamel("create_revision"), "createRevision");
  assert.equal(lowerCamel("ID"), "ID");
  const watch = methodTypes("/etcdserverpb.Watch/Watch");
  assert.deepEqual(
    [watch.request.name, watch.requestStream, watch.responseStream],
    ["WatchRequest", true, true],
  );
});
