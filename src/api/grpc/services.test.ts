import assert from "node:assert/strict";
import { test } from "node:test";
import type { INamespace } from "protobufjs";
import { descriptor, etcdserverpb as pb } from "../../proto/index.js";
import { allServices, serviceMethods } from "./services.js";

function descriptorServices(ns: INamespace, prefix = ""): string[] {
  return Object.entries(ns.nested ?? {}).flatMap(([name, child]) => {
    const full = prefix === "" ? name : `${prefix}.${name}`;
    return [...("methods" in child ? [full] : []), ...descriptorServices(child as INamespace, full)];
  });
}

test("services - every service of the descriptor has a typed table", () => {
  assert.deepEqual([...allServices().keys()].sort(), descriptorServices(descriptor).sort());
});

test("services - methods carry path, kind and working codecs", () => {
  const kv = serviceMethods("etcdserverpb.KV");
  assert.equal(kv.Range.path, "/etcdserverpb.KV/Range");
  assert.equal(kv.Range.kind, "unary");
  assert.equal(serviceMethods("etcdserverpb.Watch").Watch.kind, "bidi");
  assert.equal(serviceMethods("etcdserverpb.Maintenance").Snapshot.kind, "serverStream");
  const request = kv.Range.decode(pb.RangeRequest.encode({ key: Buffer.from("k"), limit: 3 }).finish());
  assert.equal(Buffer.from(request.key).toString(), "k");
  assert.equal(Number(request.limit), 3);
  const framed = kv.Range.encodeFramed({ count: 5 });
  assert.equal(framed.readUInt32BE(1), framed.length - 5);
  assert.equal(Number(pb.RangeResponse.decode(framed.subarray(5)).count), 5);
  assert.deepEqual([...kv.Range.encode({ count: 5 })], [...framed.subarray(5)]);
  assert.equal(serviceMethods("no.Such"), undefined);
});
