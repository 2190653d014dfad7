// The real etcdctl 3.4 (Debian's etcd-client) against a real tetcd process: every
// command family a script uses, with etcdctl's own output checked.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { etcdctl, type Member, startMember } from "./harness.js";

describe("etcdctl 3.4 against tetcd", () => {
  let member: Member;
  const ctl = (...args: string[]) => etcdctl(member.endpoint, args);
  const ok = async (...args: string[]) => {
    const r = await ctl(...args);
    assert.equal(r.code, 0, `etcdctl ${args.join(" ")} failed: ${r.stderr}`);
    return r.stdout;
  };

  before(async () => {
    member = await startMember();
  });
  after(async () => {
    await member.destroy();
  });

  test("etcdctl - put, get in every output format, delete", async () => {
    assert.equal(await ok("put", "foo", "bar"), "OK\n");
    assert.equal(await ok("get", "foo"), "foo\nbar\n");
    assert.equal(await ok("get", "foo", "--print-value-only"), "bar\n");
    const json = JSON.parse(await ok("get", "foo", "-w", "json"));
    assert.equal(Buffer.from(json.kvs[0].key, "base64").toString(), "foo");
    assert.equal(json.kvs[0].version, 1);
    assert.match(await ok("get", "foo", "-w", "fields"), /"Key" : "foo"\n"CreateRevision" : \d+/);
    const table = await ctl("get", "foo", "-w", "table");
    assert.deepEqual([table.code, table.stderr], [4, "Error: table not supported as output format\n"]);
    assert.equal(await ok("get", "foo", "--hex", "--print-value-only"), "\\x62\\x61\\x72\n");
    assert.equal(await ok("del", "foo"), "1\n");
    assert.equal(await ok("get", "foo"), "");
  });

  test("etcdctl - prefix, sorting, limits, revisions and keys-only", async () => {
    for (const k of ["p/a", "p/b", "p/c"]) await ok("put", k, `v-${k}`);
    assert.equal(await ok("get", "p/", "--prefix", "--keys-only"), "p/a\n\np/b\n\np/c\n\n");
    assert.equal(await ok("get", "p/", "--prefix", "--limit", "2", "--print-value-only"), "v-p/a\nv-p/b\n");
    assert.equal(
      await ok("get", "p/", "--prefix", "--order", "DESCEND", "--sort-by", "KEY", "--keys-only"),
      "p/c\n\np/b\n\np/a\n\n",
    );
    const rev = JSON.parse(await ok("get", "p/a", "-w", "json")).header.revision as number;
    await ok("put", "p/a", "newer");
    assert.equal(await ok("get", "p/a", "--rev", String(rev), "--print-value-only"), "v-p/a\n");
    assert.equal(JSON.parse(await ok("get", "p/", "--prefix", "-w", "json")).count, 3);
  });

  test("etcdctl - txn from stdin takes the right branch", async () => {
    await ok("put", "t/k", "1");
    const input = 'value("t/k") = "1"\n\nput t/k 2\n\nput t/k fail\n\n';
    const r = await etcdctl(member.endpoint, ["txn"], input);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "SUCCESS\n\nOK\n");
    assert.equal(await ok("get", "t/k", "--print-value-only"), "2\n");
  });

  test("etcdctl - compaction refuses old revisions afterwards", async () => {
    await ok("put", "c/k", "1");
    const rev = JSON.parse(await ok("put", "c/k", "2", "-w", "json")).header.revision as number;
    assert.equal(await ok("compaction", String(rev), "--physical"), `compacted revision ${rev}\n`);
    const r = await ctl("get", "c/k", "--rev", String(rev - 1));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /required revision has been compacted/);
  });

  test("etcdctl - leases grant, attach keys, list, time-to-live, revoke", async () => {
    const grant = await ok("lease", "grant", "60");
    const id = /lease ([0-9a-f]+) granted with TTL\(60s\)/.exec(grant)?.[1];
    assert.ok(id, grant);
    await ok("put", "l/k", "v", "--lease", id);
    assert.match(await ok("lease", "list"), new RegExp(`found 1 leases\n${id}\n`));
    assert.match(
      await ok("lease", "timetolive", id, "--keys"),
      new RegExp(`lease ${id} granted with TTL\\(60s\\), remaining\\(\\d+s\\), attached keys\\(\\[l/k\\]\\)`),
    );
    assert.match(
      await ok("lease", "keep-alive", "--once", id),
      new RegExp(`lease ${id} keepalived with TTL\\(60\\)`),
    );
    assert.equal(await ok("lease", "revoke", id), `lease ${id} revoked\n`);
    assert.equal(await ok("get", "l/k"), "");
  });

  test("etcdctl - member list, endpoint status, health and hashkv", async () => {
    assert.match(
      await ok("member", "list"),
      /^[0-9a-f]+, started, test, http:\/\/127\.0\.0\.1:\d+, http:\/\/127\.0\.0\.1:\d+, false\n$/,
    );
    const status = JSON.parse(await ok("endpoint", "status", "-w", "json"))[0].Status;
    assert.equal(status.version, "3.4.31");
    assert.equal(status.leader, status.header.member_id);
    const health = await ctl("endpoint", "health");
    assert.equal(health.code, 0);
    assert.match(health.stderr, /is healthy: successfully committed proposal/);
    assert.match(await ok("endpoint", "hashkv"), /, \d+\n$/);
  });

  test("etcdctl - alarm list, defrag and snapshot save", async () => {
    assert.equal(await ok("alarm", "list"), "");
    assert.match(await ok("defrag"), /Finished defragmenting etcd member/);
    const file = `${member.dataDir}/snap.out`;
    assert.match(await ok("snapshot", "save", file), new RegExp(`Snapshot saved at ${file}`));
  });

  test("etcdctl - lock runs a command while holding the lock", async () => {
    assert.equal(await ok("lock", "mylock", "echo", "inside"), "inside\n");
    assert.equal(
      await ok("get", "mylock/", "--prefix", "--keys-only"),
      "",
      "the lock key is gone afterwards",
    );
  });

  test("etcdctl - errors carry etcd's text and exit codes", async () => {
    const empty = await ctl("put", "", "v");
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /key is not provided/);
    const future = await ctl("get", "x", "--rev", "99999999");
    assert.match(future.stderr, /required revision is a future revision/);
    const lease = await ctl("put", "k", "v", "--lease", "1234");
    assert.match(lease.stderr, /requested lease not found/);
  });
});
