import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrLeaseExists, ErrLeaseNotFound, ErrLeaseTTLTooLarge, ErrNotPrimary } from "./errors.js";
import { type LeaseWriter, Lessor, MAX_LEASE_TTL_SECONDS, type PersistedLease } from "./lessor.js";

function setup(minTtlSeconds = 2) {
  const clock = { ms: 1_000_000 };
  const stored = new Map<bigint, PersistedLease>();
  const writer: LeaseWriter = {
    put: (l) => stored.set(l.id, l),
    delete: (id) => stored.delete(id),
  };
  const lessor = new Lessor({ minTtlSeconds, now: () => clock.ms, expiredRetryMs: 3000 });
  return { clock, stored, writer, lessor };
}

test("lessor - grant persists the lease and raises a short TTL to the minimum", () => {
  const { lessor, writer, stored } = setup(5);
  const status = lessor.grant(7n, 1, writer);
  assert.equal(status.grantedTtlSeconds, 5);
  assert.deepEqual(stored.get(7n), { id: 7n, ttlSeconds: 5, remainingTtlSeconds: 0 });
});

test("lessor - grant rejects id 0, duplicates and TTLs beyond etcd's maximum", () => {
  const { lessor, writer } = setup();
  assert.throws(() => lessor.grant(0n, 10, writer), ErrLeaseNotFound);
  lessor.grant(1n, 10, writer);
  assert.throws(() => lessor.grant(1n, 10, writer), ErrLeaseExists);
  assert.throws(() => lessor.grant(2n, MAX_LEASE_TTL_SECONDS + 1, writer), ErrLeaseTTLTooLarge);
});

test("lessor - revoke deletes attached keys in key order, then the lease", () => {
  const { lessor, writer, stored } = setup();
  lessor.grant(1n, 10, writer);
  lessor.attach(1n, Buffer.from("b"));
  lessor.attach(1n, Buffer.from([0xff, 0x00]));
  lessor.attach(1n, Buffer.from("a"));
  lessor.detach(1n, Buffer.from("b"));
  const deleted: Buffer[] = [];
  lessor.revoke(1n, writer, (k) => deleted.push(k));
  assert.deepEqual(deleted, [Buffer.from("a"), Buffer.from([0xff, 0x00])]);
  assert.equal(lessor.has(1n), false);
  assert.equal(stored.has(1n), false);
  assert.throws(() => lessor.revoke(1n, writer, () => {}), ErrLeaseNotFound);
});

test("lessor - only the primary renews, and expiry hands out leases once per retry interval", () => {
  const { lessor, writer, clock } = setup();
  lessor.grant(1n, 10, writer);
  assert.throws(() => lessor.renew(1n), ErrNotPrimary);
  assert.deepEqual(lessor.takeExpired(10), [], "a follower never expires leases");
  lessor.promote(0);
  clock.ms += 9_000;
  assert.deepEqual(lessor.takeExpired(10), []);
  assert.equal(lessor.renew(1n), 10);
  clock.ms += 9_999;
  assert.deepEqual(lessor.takeExpired(10), []);
  clock.ms += 1;
  assert.deepEqual(lessor.takeExpired(10), [1n]);
  assert.deepEqual(lessor.takeExpired(10), [], "not handed out again before the retry interval");
  assert.throws(() => lessor.renew(1n), ErrLeaseNotFound, "an expired lease cannot be renewed");
  clock.ms += 3_000;
  assert.deepEqual(lessor.takeExpired(10), [1n], "handed out again while it still exists");
});

test("lessor - takeExpired honours its limit and skips renewed leases", () => {
  const { lessor, writer, clock } = setup();
  lessor.promote(0);
  for (let i = 1n; i <= 5n; i++) lessor.grant(i, 10, writer);
  clock.ms += 5_000;
  lessor.renew(3n);
  clock.ms += 5_000;
  const first = lessor.takeExpired(2);
  const rest = lessor.takeExpired(10);
  assert.equal(first.length, 2);
  assert.deepEqual([...first, ...rest].sort(), [1n, 2n, 4n, 5n]);
});

test("lessor - time to live truncates to whole seconds and lists keys", () => {
  const { lessor, writer, clock } = setup();
  lessor.promote(0);
  lessor.grant(9n, 10, writer);
  lessor.attach(9n, Buffer.from("k"));
  clock.ms += 2_500;
  const status = lessor.timeToLive(9n, true);
  assert.equal(status.remainingSeconds, 7);
  assert.equal(status.grantedTtlSeconds, 10);
  assert.deepEqual(status.keys, [Buffer.from("k")]);
  assert.deepEqual(lessor.timeToLive(9n, false).keys, []);
  assert.throws(() => lessor.timeToLive(10n, false), ErrLeaseNotFound);
});

test("lessor - promotion extends every lease and restarts checkpointed ones from their remaining TTL", () => {
  const { lessor, writer, clock } = setup();
  lessor.restore({ id: 1n, ttlSeconds: 100, remainingTtlSeconds: 0 });
  lessor.restore({ id: 2n, ttlSeconds: 100, remainingTtlSeconds: 0 });
  lessor.checkpoint(2n, 20, writer);
  lessor.promote(1_000);
  clock.ms += 20_999;
  assert.deepEqual(lessor.takeExpired(10), []);
  clock.ms += 1;
  assert.deepEqual(lessor.takeExpired(10), [2n]);
  lessor.demote();
  clock.ms += 1_000_000;
  assert.deepEqual(lessor.takeExpired(10), []);
});
