// Exclusive use of a WAL directory. etcd flocks its segment files; Node has no flock, so
// tetcd keeps a lock file beside the directory (`<wal dir>.lock`) naming its owner: pid,
// host, boot id and the process's start time. A lock whose owner is gone (other boot,
// dead pid, or a pid reused by a younger process) is stale and taken over. The file is
// created whole with link(2), so no reader ever sees it half-written. On Linux we also
// read /proc/locks: a segment flocked by a running etcd refuses us too.
import { readFileSync } from "node:fs";
import { link, readFile, stat, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { WalLockedError } from "./errors.js";

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly bootId: string;
  /** Process start time in clock ticks since boot (/proc/<pid>/stat field 22). */
  readonly startTicks: string;
}

export interface WalLock {
  readonly path: string;
  release(): Promise<void>;
}

function tryRead(path: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return "";
  }
}

function bootId(): string {
  return tryRead("/proc/sys/kernel/random/boot_id");
}

function startTicks(pid: number): string {
  const stat = tryRead(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[19] ?? "";
}

function self(): Owner {
  return { pid: process.pid, host: hostname(), bootId: bootId(), startTicks: startTicks(process.pid) };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether the recorded owner may still hold the lock (when in doubt, it does). */
function holds(owner: Owner): boolean {
  if (owner.host !== hostname()) return true;
  const boot = bootId();
  if (boot !== "" && owner.bootId !== "" && boot !== owner.bootId) return false;
  if (!alive(owner.pid)) return false;
  const ticks = startTicks(owner.pid);
  if (ticks !== "" && owner.startTicks !== "" && ticks !== owner.startTicks) return false;
  return true;
}

function parseOwner(text: string): Owner | undefined {
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    if (typeof o.pid !== "number" || typeof o.host !== "string") return undefined;
    return {
      pid: o.pid,
      host: o.host,
      bootId: String(o.bootId ?? ""),
      startTicks: String(o.startTicks ?? ""),
    };
  } catch {
    return undefined;
  }
}

function describe(o: Owner): string {
  return `pid ${o.pid} on ${o.host}`;
}

/** Takes the lock at `path`, or throws WalLockedError naming the holder. */
export async function acquireLock(path: string): Promise<WalLock> {
  const me = self();
  const body = `${JSON.stringify(me)}\n`;
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, body, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await createWhole(tmp, path, body);
        return lockAt(path, body);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
      const text = await readFile(path, "utf8").catch(() => "");
      const owner = parseOwner(text);
      // Unparseable content cannot come from link(2); treat it as a crashed writer's.
      if (owner !== undefined && holds(owner)) throw new WalLockedError(path, describe(owner));
      // Stale: remove it if it is still the file we judged, then try again.
      const now = await readFile(path, "utf8").catch(() => "");
      if (now === text) await unlink(path).catch(() => {});
    }
    throw new WalLockedError(path, "a process that keeps retaking it");
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

/** Creates `path` holding `body`, failing with EEXIST if it exists; whole via link(2) where possible. */
async function createWhole(tmp: string, path: string, body: string): Promise<void> {
  try {
    await link(tmp, path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // File systems without hard links: O_EXCL creation (a reader may see it empty for a moment).
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw err;
    await writeFile(path, body, { flag: "wx", mode: 0o600 });
  }
}

function lockAt(path: string, body: string): WalLock {
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      // Only remove the file if it is still ours.
      const text = await readFile(path, "utf8").catch(() => "");
      if (text === body) await unlink(path);
    },
  };
}

/**
 * Linux: whether a process holds a POSIX, OFD or flock lock on any of `paths` (etcd locks
 * its segments this way). Elsewhere, or if /proc/locks is unreadable, reports none.
 */
export async function lockedByOthers(paths: readonly string[]): Promise<string | undefined> {
  const table = tryRead("/proc/locks");
  if (table === "") return undefined;
  const held = new Map<string, string>();
  for (const line of table.split("\n")) {
    // "1: OFDLCK ADVISORY  WRITE -1 fd:01:1234 0 EOF" (pid -1 for OFD locks)
    const f = line.trim().split(/\s+/);
    const id = f[5];
    if (id !== undefined && f[1] !== "->") held.set(id, `${f[1]} lock by pid ${f[4]}`);
  }
  for (const p of paths) {
    const st = await stat(p).catch(() => undefined);
    if (st === undefined) continue;
    const major = Number((BigInt(st.dev) >> 8n) & 0xfffn) | Number((BigInt(st.dev) >> 32n) & ~0xfffn);
    const minor = Number(BigInt(st.dev) & 0xffn) | Number((BigInt(st.dev) >> 12n) & ~0xffn);
    const key = `${major.toString(16).padStart(2, "0")}:${minor.toString(16).padStart(2, "0")}:${st.ino}`;
    const holder = held.get(key);
    if (holder !== undefined) return `${p}: ${holder}`;
  }
  return undefined;
}
