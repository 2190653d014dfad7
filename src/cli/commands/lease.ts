// lease grant/revoke/timetolive/list/keep-alive.
import type { CommandSpec, RunContext } from "../command.js";
import { commandTimeout, display, mustClient } from "../global.js";
import { hex64, parseDecimal, parseHexInt } from "../go/format.js";
import { ExitCode, type Io } from "../io.js";
import { exitWithError, SimplePrinter } from "../printers/index.js";
import { rethrowExit } from "./kv.js";

function leaseFromArgs(io: Io, arg: string): bigint {
  try {
    return parseHexInt(arg, true);
  } catch (err) {
    return exitWithError(
      io,
      ExitCode.BadArgs,
      `bad lease ID arg (${(err as Error).message}), expecting ID in Hex`,
    );
  }
}

async function grant(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 1)
    exitWithError(ctx.io, ExitCode.BadArgs, "lease grant command needs TTL argument");
  let ttl: number;
  try {
    ttl = Number(parseDecimal(ctx.args[0] as string));
  } catch (err) {
    return exitWithError(ctx.io, ExitCode.BadArgs, `bad TTL (${(err as Error).message})`);
  }
  const c = await mustClient(ctx);
  try {
    const r = await c
      .leaseGrant(ttl, 0n, commandTimeout(ctx))
      .catch((err: Error) => exitWithError(ctx.io, ExitCode.Error, `failed to grant lease (${err.message})`));
    display(ctx).grant(r);
  } finally {
    c.close();
  }
}

async function revoke(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 1) exitWithError(ctx.io, ExitCode.BadArgs, "lease revoke command needs 1 argument");
  const id = leaseFromArgs(ctx.io, ctx.args[0] as string);
  const c = await mustClient(ctx);
  try {
    const r = await c
      .leaseRevoke(id, commandTimeout(ctx))
      .catch((err: Error) =>
        exitWithError(ctx.io, ExitCode.Error, `failed to revoke lease (${err.message})`),
      );
    display(ctx).revoke(id, r);
  } finally {
    c.close();
  }
}

async function timeToLive(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 1) {
    exitWithError(ctx.io, ExitCode.BadArgs, "lease timetolive command needs lease ID as argument");
  }
  const keys = ctx.flags.lookup("keys")?.value === true;
  const c = await mustClient(ctx);
  try {
    const r = await c
      .leaseTimeToLive(leaseFromArgs(ctx.io, ctx.args[0] as string), { keys })
      .catch((err: Error) => exitWithError(ctx.io, ExitCode.BadConnection, err));
    display(ctx).timeToLive(r, keys);
  } finally {
    c.close();
  }
}

async function list(ctx: RunContext): Promise<void> {
  const c = await mustClient(ctx);
  try {
    const r = await c.leaseLeases().catch((err: Error) => exitWithError(ctx.io, ExitCode.BadConnection, err));
    display(ctx).leases(r);
  } finally {
    c.close();
  }
}

async function keepAlive(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 1) {
    exitWithError(ctx.io, ExitCode.BadArgs, "lease keep-alive command needs lease ID as argument");
  }
  const id = leaseFromArgs(ctx.io, ctx.args[0] as string);
  const c = await mustClient(ctx);
  const printer = display(ctx);
  try {
    if (ctx.flags.lookup("once")?.value === true) {
      const r = await c.leaseKeepAliveOnce(id).catch((err: Error) => {
        rethrowExit(err);
        return exitWithError(ctx.io, ExitCode.BadConnection, err);
      });
      printer.keepAlive(r);
      return;
    }
    // Like etcdctl, a signal simply ends the process.
    const ka = c.leaseKeepAlive(id);
    try {
      for await (const r of ka) printer.keepAlive(r);
    } catch (err) {
      rethrowExit(err);
    }
    if (printer instanceof SimplePrinter) ctx.io.out(`lease ${hex64(id)} expired or revoked.\n`);
  } finally {
    c.close();
  }
}

export function leaseCommands(): CommandSpec[] {
  return [
    {
      use: "lease <subcommand>",
      short: "Lease related commands",
      subcommands: [
        { use: "grant <ttl>", short: "Creates leases", run: grant },
        { use: "revoke <leaseID>", short: "Revokes leases", run: revoke },
        {
          use: "timetolive <leaseID> [options]",
          short: "Get lease information",
          flags: [{ name: "keys", kind: "bool", default: "false", usage: "Get keys attached to this lease" }],
          run: timeToLive,
        },
        { use: "list", short: "List all active leases", run: list },
        {
          use: "keep-alive [options] <leaseID>",
          short: "Keeps leases alive (renew)",
          flags: [
            {
              name: "once",
              kind: "bool",
              default: "false",
              usage: "Resets the keep-alive time to its original value and exits immediately",
            },
          ],
          run: keepAlive,
        },
      ],
    },
  ];
}
