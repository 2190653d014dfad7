// member add/remove/update/list/promote.
import type { CommandSpec, RunContext } from "../command.js";
import { commandTimeout, display, mustClient } from "../global.js";
import { goQuote, parseHexInt } from "../go/format.js";
import { ExitCode, type Io } from "../io.js";
import { exitWithError, SimplePrinter } from "../printers/index.js";

function memberId(io: Io, arg: string): bigint {
  try {
    return parseHexInt(arg, false);
  } catch (err) {
    return exitWithError(
      io,
      ExitCode.BadArgs,
      `bad member ID arg (${(err as Error).message}), expecting ID in Hex`,
    );
  }
}

const peerUrls = (ctx: RunContext) => ctx.flags.lookup("peer-urls")?.value as string;

async function add(ctx: RunContext): Promise<void> {
  if (ctx.args.length < 1) exitWithError(ctx.io, ExitCode.BadArgs, "member name not provided");
  if (ctx.args.length > 1) {
    let ev = "too many arguments";
    for (const s of ctx.args) if (s.toLowerCase().startsWith("http")) ev += `, did you mean --peer-urls=${s}`;
    exitWithError(ctx.io, ExitCode.BadArgs, ev);
  }
  const name = ctx.args[0] as string;
  if (peerUrls(ctx).length === 0) exitWithError(ctx.io, ExitCode.BadArgs, "member peer urls not provided");
  const urls = peerUrls(ctx).split(",");
  const learner = ctx.flags.lookup("learner")?.value === true;
  const c = await mustClient(ctx);
  try {
    const r = await c
      .memberAdd(urls, { learner }, commandTimeout(ctx))
      .catch((err: Error) => exitWithError(ctx.io, ExitCode.Error, err));
    const printer = display(ctx);
    printer.memberAdd(r);
    if (printer instanceof SimplePrinter) {
      const newId = r.member?.ID;
      const conf: string[] = [];
      for (const m of r.members)
        for (const u of m.peerURLs) conf.push(`${m.ID === newId ? name : m.name}=${u}`);
      ctx.io.out("\n");
      ctx.io.out(`ETCD_NAME=${goQuote(name)}\n`);
      ctx.io.out(`ETCD_INITIAL_CLUSTER=${goQuote(conf.join(","))}\n`);
      ctx.io.out(`ETCD_INITIAL_ADVERTISE_PEER_URLS=${goQuote(peerUrls(ctx))}\n`);
      ctx.io.out('ETCD_INITIAL_CLUSTER_STATE="existing"\n');
    }
  } finally {
    c.close();
  }
}

async function remove(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 1) exitWithError(ctx.io, ExitCode.BadArgs, "member ID is not provided");
  const id = memberId(ctx.io, ctx.args[0] as string);
  const c = await mustClient(ctx);
  try {
    const r = await c
      .memberRemove(id, commandTimeout(ctx))
      .catch((err: Error) => exitWithError(ctx.io, ExitCode.Error, err));
    display(ctx).memberRemove(id, r);
  } finally {
    c.close();
  }
}

async function update(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 1) exitWithError(ctx.io, ExitCode.BadArgs, "member ID is not provided");
  const id = memberId(ctx.io, ctx.args[0] as string);
  if (peerUrls(ctx).length === 0) exitWithError(ctx.io, ExitCode.BadArgs, "member peer urls not provided");
  const c = await mustClient(ctx);
  try {
    const r = await c
      .memberUpdate(id, peerUrls(ctx).split(","), commandTimeout(ctx))
      .catch((err: Error) => exitWithError(ctx.io, ExitCode.Error, err));
    display(ctx).memberUpdate(id, r);
  } finally {
    c.close();
  }
}

async function list(ctx: RunContext): Promise<void> {
  const c = await mustClient(ctx);
  try {
    const r = await c
      .memberList(commandTimeout(ctx))
      .catch((err: Error) => exitWithError(ctx.io, ExitCode.Error, err));
    display(ctx).memberList(r);
  } finally {
    c.close();
  }
}

async function promote(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 1) exitWithError(ctx.io, ExitCode.BadArgs, "member ID is not provided");
  const id = memberId(ctx.io, ctx.args[0] as string);
  const c = await mustClient(ctx);
  try {
    const r = await c
      .memberPromote(id, commandTimeout(ctx))
      .catch((err: Error) => exitWithError(ctx.io, ExitCode.Error, err));
    display(ctx).memberPromote(id, r);
  } finally {
    c.close();
  }
}

export function memberCommands(): CommandSpec[] {
  return [
    {
      use: "member <subcommand>",
      short: "Membership related commands",
      subcommands: [
        {
          use: "add <memberName> [options]",
          short: "Adds a member into the cluster",
          flags: [
            {
              name: "peer-urls",
              kind: "string",
              default: "",
              usage: "comma separated peer URLs for the new member.",
            },
            {
              name: "learner",
              kind: "bool",
              default: "false",
              usage: "indicates if the new member is raft learner",
            },
          ],
          run: add,
        },
        { use: "remove <memberID>", short: "Removes a member from the cluster", run: remove },
        {
          use: "update <memberID> [options]",
          short: "Updates a member in the cluster",
          flags: [
            {
              name: "peer-urls",
              kind: "string",
              default: "",
              usage: "comma separated peer URLs for the updated member.",
            },
          ],
          run: update,
        },
        {
          use: "list",
          short: "Lists all members in the cluster",
          long: "When --write-out is set to simple, this command prints out comma-separated member lists for each endpoint.\nThe items in the lists are ID, Status, Name, Peer Addrs, Client Addrs, Is Learner.\n",
          run: list,
        },
        {
          use: "promote <memberID>",
          short: "Promotes a non-voting member in the cluster",
          long: "Promotes a non-voting learner member to a voting one in the cluster.\n",
          run: promote,
        },
      ],
    },
  ];
}
