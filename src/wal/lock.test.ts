import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { WalLockedError } from "./errors.js";
import { acquireLock, lockedByOthers } from "./lock.js";
import { withTempDir } from "./testkit.js";

function bootId(): string {
  return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "0"]);
  return child.pid!;
}

test("lock - a held lock refuses a second taker and is removed on release", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "wal.lock");
    const lock = await acquireLock(path);
    await assert.rejects(acquireLock(path), (err: unknown) => {
      assert.ok(err instanceof WalLockedError);
      assert.match(err.message, new RegExp(`pid ${process.pid}`));
      return true;
    });
    await lock.release();
    assert.deepEqual(await readdir(dir), []);
    const again = await acquireLock(path);
    await again.release();
  });
});

test("lock - a lock left by a dead or reborn owner is taken over", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "wal.lock");
    const me = JSON.parse(
      await acquireLock(path).then(async (l) => {
        const text = await readFile(path, "utf8");
        await l.release();
        return text;
      }),
    ) as Record<string, unknown>;
    const stale = [
      { ...me, pid: deadPid() }, // the process is gone
      { ...me, startTicks: "1" }, // our pid, but a process started at another time held it
      { ...me, bootId: "00000000-0000-0000-0000-000000000000" }, // before a reboot
      "{not json", // a crashed writer (link(2) never leaves this, but be robust)
    ];
    if (bootId() === "") stale.splice(2, 1);
    for (const content of stale) {
      await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
      const lock = await acquireLock(path);
      assert.equal(JSON.parse(await readFile(path, "utf8")).pid, process.pid);
      await lock.release();
    }
  });
});

test("lock - a lock held from another host is respected", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "wal.lock");
    const other = { pid: deadPid(), host: `${hostname()}-elsewhere`, bootId: "x", startTicks: "1" };
    await writeFile(path, JSON.stringify(other));
    await assert.rejects(acquireLock(path), WalLockedError);
  });
});

test("lock - release leaves a lock that another process took over", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "wal.lock");
    const lock = await acquireLock(path);
    const foreign = JSON.stringify({ pid: 1, host: "h", bootId: "b", startTicks: "s" });
    await writeFile(path, foreign);
    await lock.release();
    assert.equal(await readFile(path, "utf8"), foreign);
  });
});

test("lock - a file flocked by another process is reported (Linux)", async (t) => {
  if (spawnSync("flock", ["--version"]).status !== 0 || bootId() === "") {
    t.skip("needs flock(1) and /proc");
    return;
  }
  await withTempDir(async (dir) => {
    const file = join(dir, "0000000000000000-0000000000000000.wal");
    await writeFile(file, "x");
    assert.equal(await lockedByOthers([file]), undefined);
    const child = spawn("flock", [file, "sleep", "30"], { stdio: "ignore" });
    try {
      let holder: string | undefined;
      for (let i = 0; i < 500 && holder === undefined; i++) {
        await new Promise((r) => setTimeout(r, 10));
        holder = await lockedByOthers([file]);
      }
      assert.match(holder ?? "", /FLOCK lock by pid/);
    } finally {
      child.kill();
    }
  });
});
