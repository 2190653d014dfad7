import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { etcdserverpb, Long } from "../proto/index.js";
import { fromWire, toWire } from "./convert.js";
import type { RangeResponse } from "./types.js";

const wire = (v: number | bigint) => Long.fromString(v.toString(), true);

test("convert - IDs become bigint, revisions number, bytes Buffer", () => {
  const msg = etcdserverpb.RangeResponse.decode(
    etcdserverpb.RangeResponse.encode({
      header: { clusterId: wire(18217426409587408124n), memberId: wire(7n), revision: 5, raftTerm: 2 },
      kvs: [
        {
          key: Buffer.from("k"),
          value: Buffer.from("v"),
          createRevision: 2,
          modRevision: 5,
          version: 3,
          lease: 9,
        },
      ],
      count: 1,
    }).finish(),
  );
  const r = fromWire<RangeResponse>("etcdserverpb.RangeResponse", msg);
  assert.equal(r.header?.clusterId, 18217426409587408124n);
  assert.equal(r.header?.revision, 5);
  assert.equal(r.kvs[0]?.lease, 9n);
  assert.ok(Buffer.isBuffer(r.kvs[0]?.key));
  assert.equal(r.more, false);
});

test("convert - toWire then encode gives the bytes that were decoded (Go's proto3 encoding)", () => {
  fc.assert(
    fc.property(
      fc.record({
        revision: fc.nat(),
        key: fc.uint8Array({ maxLength: 8 }),
        value: fc.uint8Array({ maxLength: 8 }),
        version: fc.nat(),
        count: fc.nat(),
        more: fc.boolean(),
      }),
      (x) => {
        const bytes = etcdserverpb.RangeResponse.encode({
          header: { revision: x.revision || null },
          kvs: [
            {
              key: x.key.length ? x.key : null,
              value: x.value.length ? x.value : null,
              version: x.version || null,
            },
          ],
          count: x.count || null,
          more: x.more || null,
        }).finish();
        const friendly = fromWire("etcdserverpb.RangeResponse", etcdserverpb.RangeResponse.decode(bytes));
        const again = etcdserverpb.RangeResponse.encode(
          etcdserverpb.RangeResponse.create(toWire("etcdserverpb.RangeResponse", friendly)),
        ).finish();
        assert.deepEqual(Buffer.from(again), Buffer.from(bytes));
      },
    ),
  );
});
