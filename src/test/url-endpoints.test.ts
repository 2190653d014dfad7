// etcdctl 3.4 (grpc-go) dials each endpoint for Maintenance calls with the endpoint as
// written; "http://127.0.0.1:PORT" then arrives as that :authority, which node's nghttp2
// refuses on its own. These run every such command both ways against a real tetcd.
import assert from "node:assert/strict";
import { rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { etcdctl, type Member, startMember, tempDir } from "./harness.js";

let member: Member;
let dir: string;

before(async () => {
  member = await startMember();
  dir = await tempDir("tetcd-url-endpoints-");
});

after(async () => {
  await member.destroy();
  await rm(dir, { recursive: true, force: true });
});

for (const form of ["url", "host:port"] as const) {
  describe(`etcdctl with ${form} endpoints`, () => {
    const endpoint = (): string => (form === "url" ? member.clientUrl : member.endpoint);

    const ok = async (args: string[]): Promise<string> => {
      const r = await etcdctl(endpoint(), args);
      assert.equal(r.code, 0, `etcdctl ${args.join(" ")} failed:\n${r.stderr}`);
      return r.stdout;
    };

    test(`url endpoints - ${form}: endpoint status names the endpoint as given`, async () => {
      const out = await ok(["endpoint", "status", "-w", "json"]);
      const [status] = JSON.parse(out) as { Endpoint: string; Status: { header: { member_id: number } } }[];
      assert.equal(status!.Endpoint, endpoint());
      assert.ok(status!.Status.header.member_id !== 0);
    });

    test(`url endpoints - ${form}: defrag, hashkv, alarm list, put/get`, async () => {
      assert.match(await ok(["defrag"]), /Finished defragmenting etcd member\[/);
      await ok(["put", `k-${form}`, "v"]);
      assert.equal(await ok(["get", `k-${form}`, "--print-value-only"]), "v\n");
      const [hash] = JSON.parse(await ok(["endpoint", "hashkv", "-w", "json"])) as {
        HashKV: { hash: number };
      }[];
      assert.ok(hash!.HashKV.hash > 0);
      assert.equal(await ok(["alarm", "list"]), "");
    });

    test(`url endpoints - ${form}: snapshot save`, async () => {
      const path = join(dir, `${form === "url" ? "url" : "plain"}.db`);
      const out = await ok(["snapshot", "save", path]);
      assert.match(out, /Snapshot saved at /);
      assert.ok((await stat(path)).size > 0);
    });
  });
}
