// lock and elect, on clientv3's concurrency recipes (a session lease kept alive, keys
// under `<name>/<lease id>`), so they interoperate with etcdctl and Go programs.
import { spawnSync } from "node:child_process";
import { Election, Mutex, observeElection, Session } from "../../client/index.js";
import type { CommandSpec, RunContext } from "../command.js";
import { display, mustClient } from "../global.js";
import { ExitCode } from "../io.js";
import { exitWithError } from "../printers/index.js";

/** Resolves on SIGINT or SIGTERM (and stops listening once resolved). */
function interrupted(): { promise: Promise<void>; controller: AbortController; dispose: () => void } {
  const controller = new AbortController();
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  const on = () => {
    controller.abort();
    resolve();
  };
  process.on("SIGINT", on);
  process.on("SIGTERM", on);
  return {
    promise,
    controller,
    dispose: () => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
    },
  };
}

async function lockCommand(ctx: RunContext): Promise<void> {
  if (ctx.args.length === 0) {
    exitWithError(
      ctx.io,
      ExitCode.BadArgs,
      "lock takes a lock name argument and an optional command to execute",
    );
  }
  const c = await mustClient(ctx);
  const printer = display(ctx);
  const fail = (err: unknown) => exitWithError(ctx.io, ExitCode.Error, err);
  const session = await Session.create(c, ctx.flags.lookup("ttl")?.value as number).catch(fail);
  const m = new Mutex(session, ctx.args[0] as string);
  const sig = interrupted();
  try {
    await m.lock(sig.controller.signal).catch(fail);
    const cmd = ctx.args.slice(1);
    if (cmd.length > 0) {
      const env = {
        ...process.env,
        ETCD_LOCK_KEY: m.key.toString(),
        ETCD_LOCK_REV: String(m.header?.revision ?? 0),
      };
      const res = spawnSync(cmd[0] as string, cmd.slice(1), { stdio: ["ignore", "inherit", "inherit"], env });
      await m.unlock().catch(fail);
      if (res.error) fail(`exec: "${cmd[0]}": executable file not found in $PATH`);
      if (res.status !== 0) fail(res.signal ? `signal: ${res.signal}` : `exit status ${res.status}`);
      return;
    }
    const k = await c.get(m.key).catch(fail);
    if (k.kvs.length === 0) fail("lock lost on init");
    printer.get(k);
    const outcome = await Promise.race([
      sig.promise.then(() => "signal"),
      session.done.then(() => "expired"),
    ]);
    if (outcome === "signal") {
      await m.unlock().catch(fail);
      return;
    }
    fail("session expired");
  } finally {
    sig.dispose();
    c.close();
  }
}

async function electCommand(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 1 && ctx.args.length !== 2) {
    exitWithError(
      ctx.io,
      ExitCode.BadArgs,
      "elect takes one election name argument and an optional proposal argument",
    );
  }
  const listen = ctx.flags.lookup("listen")?.value === true;
  const c = await mustClient(ctx);
  const printer = display(ctx);
  const fail = (err: unknown) => exitWithError(ctx.io, ExitCode.Error, err);
  const name = ctx.args[0] as string;
  if (ctx.args.length === 1 && !listen)
    exitWithError(ctx.io, ExitCode.BadArgs, "no proposal argument but -l not set");
  if (ctx.args.length === 2 && listen)
    exitWithError(ctx.io, ExitCode.BadArgs, "proposal given but -l is set");
  const session = await Session.create(c).catch(fail);
  const sig = interrupted();
  try {
    if (ctx.args.length === 1) {
      try {
        for await (const r of observeElection(c, name, sig.controller.signal)) printer.get(r);
      } catch (err) {
        if ((err as Error).name === "Exit") throw err;
      }
      if (!sig.controller.signal.aborted) fail("elect: observer lost");
      return;
    }
    const e = new Election(session, name);
    await e.campaign(ctx.args[1] as string, sig.controller.signal).catch(fail);
    const resp = await c.get(e.key).catch(fail);
    printer.get(resp);
    const outcome = await Promise.race([
      sig.promise.then(() => "signal"),
      session.done.then(() => "expired"),
    ]);
    if (outcome === "expired") fail("elect: session expired");
    await e.resign().catch(fail);
  } finally {
    sig.dispose();
    c.close();
  }
}

export function concurrencyCommands(): CommandSpec[] {
  return [
    {
      use: "lock <lockname> [exec-command arg1 arg2 ...]",
      short: "Acquires a named lock",
      flags: [{ name: "ttl", kind: "int", default: "10", usage: "timeout for session" }],
      run: lockCommand,
    },
    {
      use: "elect <election-name> [proposal]",
      short: "Observes and participates in leader election",
      flags: [{ name: "listen", shorthand: "l", kind: "bool", default: "false", usage: "observation mode" }],
      run: electCommand,
    },
  ];
}
