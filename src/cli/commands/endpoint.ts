// endpoint health/status/hashkv, each endpoint on its own (--cluster: every member's
// client URLs), plus defrag and move-leader which address endpoints the same way.
import { Client, PermissionDeniedError } from "../../client/index.js";
import type { CommandSpec, RunContext } from "../command.js";
import type { FlagSpec } from "../flags.js";
import {
  applyEnv,
  authCfg,
  bool,
  clientConfig,
  clientSettings,
  commandTimeout,
  connect,
  display,
  inheritedFlagList,
  num,
  secureCfg,
} from "../global.js";
import { durationString, parseHexInt } from "../go/format.js";
import { Exit, ExitCode } from "../io.js";
import { type EpHashKV, type EpHealth, type EpStatus, exitWithError } from "../printers/index.js";

export const CLUSTER_FLAG: FlagSpec = {
  name: "cluster",
  kind: "bool",
  default: "false",
  usage: "use all endpoints from the cluster member list",
};

function flagEndpoints(ctx: RunContext): string[] {
  return ctx.flags.lookup("endpoints")?.value as string[];
}

/** etcdctl's endpointsFromCluster. */
async function endpointsFromCluster(ctx: RunContext): Promise<string[]> {
  if (!bool(ctx, "cluster")) return flagEndpoints(ctx);
  const sec = secureCfg(ctx);
  const c = new Client(
    clientConfig(
      {
        endpoints: flagEndpoints(ctx).map((e) => e.trim()),
        dialTimeoutMs: num(ctx, "dial-timeout"),
        keepaliveTimeMs: num(ctx, "keepalive-time"),
        keepaliveTimeoutMs: num(ctx, "keepalive-timeout"),
        sec,
        auth: undefined,
      },
      ctx.io,
    ),
  );
  try {
    const r = await c.memberList(commandTimeout(ctx));
    return r.members.flatMap((m) => m.clientURLs);
  } catch (err) {
    return exitWithError(
      ctx.io,
      ExitCode.Error,
      `failed to fetch endpoints from etcd cluster member list: ${(err as Error).message}`,
    );
  } finally {
    c.close();
  }
}

async function health(ctx: RunContext): Promise<void> {
  applyEnv(ctx, inheritedFlagList(ctx));
  const printer = display(ctx);
  const sec = secureCfg(ctx);
  const auth = await authCfg(ctx);
  const eps = await endpointsFromCluster(ctx);
  const list = await Promise.all(
    eps.map(async (ep): Promise<EpHealth> => {
      let c: Client;
      try {
        c = await Client.connect(
          clientConfig(
            {
              endpoints: [ep],
              dialTimeoutMs: num(ctx, "dial-timeout"),
              keepaliveTimeMs: num(ctx, "keepalive-time"),
              keepaliveTimeoutMs: num(ctx, "keepalive-timeout"),
              sec,
              auth,
            },
            ctx.io,
          ),
        );
      } catch (err) {
        return { ep, health: false, took: "", error: (err as Error).message };
      }
      const start = process.hrtime.bigint();
      try {
        await c.get("health", {}, commandTimeout(ctx));
        return { ep, health: true, took: durationString(process.hrtime.bigint() - start), error: "" };
      } catch (err) {
        const took = durationString(process.hrtime.bigint() - start);
        if (err instanceof PermissionDeniedError) return { ep, health: true, took, error: "" };
        return { ep, health: false, took, error: (err as Error).message };
      } finally {
        c.close();
      }
    }),
  );
  printer.endpointHealth(list);
  if (list.some((h) => h.error !== "")) exitWithError(ctx.io, ExitCode.Error, "unhealthy cluster");
}

async function status(ctx: RunContext): Promise<void> {
  const c = await connect(await clientSettings(ctx), ctx.io);
  const list: EpStatus[] = [];
  let failed = false;
  try {
    for (const ep of await endpointsFromCluster(ctx)) {
      try {
        list.push({ ep, resp: await c.status(ep, commandTimeout(ctx)) });
      } catch (err) {
        failed = true;
        ctx.io.err(`Failed to get the status of endpoint ${ep} (${(err as Error).message})\n`);
      }
    }
  } finally {
    c.close();
  }
  display(ctx).endpointStatus(list);
  if (failed) throw new Exit(ExitCode.Error);
}

async function hashkv(ctx: RunContext): Promise<void> {
  const c = await connect(await clientSettings(ctx), ctx.io);
  const list: EpHashKV[] = [];
  let last: Error | undefined;
  try {
    for (const ep of await endpointsFromCluster(ctx)) {
      try {
        list.push({ ep, resp: await c.hashKV(ep, num(ctx, "rev"), commandTimeout(ctx)) });
      } catch (err) {
        last = err as Error;
        ctx.io.err(`Failed to get the hash of endpoint ${ep} (${last.message})\n`);
      }
    }
  } finally {
    c.close();
  }
  display(ctx).endpointHashKV(list);
  if (last) exitWithError(ctx.io, ExitCode.Error, last);
}

async function defrag(ctx: RunContext): Promise<void> {
  const dataDir = ctx.flags.lookup("data-dir")?.value as string;
  if (dataDir.length > 0) {
    ctx.io.err(
      `Failed to defragment etcd data[${dataDir}] (offline defragmentation of a bbolt data directory is not supported by tetcdctl yet; it comes with the interchange of etcd's data files)\n`,
    );
    throw new Exit(ExitCode.Error);
  }
  let failures = 0;
  const c = await connect(await clientSettings(ctx), ctx.io);
  try {
    for (const ep of await endpointsFromCluster(ctx)) {
      try {
        await c.defragment(ep, commandTimeout(ctx));
        ctx.io.out(`Finished defragmenting etcd member[${ep}]\n`);
      } catch (err) {
        ctx.io.err(`Failed to defragment etcd member[${ep}] (${(err as Error).message})\n`);
        failures++;
      }
    }
  } finally {
    c.close();
  }
  if (failures !== 0) throw new Exit(ExitCode.Error);
}

async function moveLeader(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 1) exitWithError(ctx.io, ExitCode.BadArgs, "move-leader command needs 1 argument");
  let target: bigint;
  try {
    target = parseHexInt(ctx.args[0] as string, false);
  } catch (err) {
    return exitWithError(ctx.io, ExitCode.BadArgs, err);
  }
  const settings = await clientSettings(ctx);
  const eps = settings.endpoints;
  const deadline = Date.now() + num(ctx, "command-timeout");
  let leader: { client: Client; id: bigint } | undefined;
  for (const ep of eps) {
    const cli = await connect({ ...settings, endpoints: [ep] }, ctx.io);
    let resp: Awaited<ReturnType<Client["status"]>>;
    try {
      resp = await cli.status(ep, { deadline });
    } catch (err) {
      cli.close();
      return exitWithError(ctx.io, ExitCode.Error, err);
    }
    if (resp.header?.memberId === resp.leader) {
      leader = { client: cli, id: resp.leader };
      break;
    }
    cli.close();
  }
  if (!leader)
    return exitWithError(ctx.io, ExitCode.BadArgs, `no leader endpoint given at [${eps.join(" ")}]`);
  try {
    const r = await leader.client.moveLeader(target, { deadline });
    display(ctx).moveLeader(leader.id, target, r);
  } catch (err) {
    if (err instanceof Exit) throw err;
    exitWithError(ctx.io, ExitCode.Error, err);
  } finally {
    leader.client.close();
  }
}

export function endpointCommands(): CommandSpec[] {
  return [
    {
      use: "defrag",
      short: "Defragments the storage of the etcd members with given endpoints",
      persistentFlags: [CLUSTER_FLAG],
      flags: [
        {
          name: "data-dir",
          kind: "string",
          default: "",
          usage: "Optional. If present, defragments a data directory not in use by etcd.",
        },
      ],
      run: defrag,
    },
    {
      use: "endpoint <subcommand>",
      short: "Endpoint related commands",
      persistentFlags: [CLUSTER_FLAG],
      subcommands: [
        {
          use: "health",
          short: "Checks the healthiness of endpoints specified in `--endpoints` flag",
          run: health,
        },
        {
          use: "status",
          short: "Prints out the status of endpoints specified in `--endpoints` flag",
          long: "When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.\nThe items in the lists are endpoint, ID, version, db size, is leader, is learner, raft term, raft index, raft applied index, errors.\n",
          run: status,
        },
        {
          use: "hashkv",
          short: "Prints the KV history hash for each endpoint in --endpoints",
          persistentFlags: [
            {
              name: "rev",
              kind: "int64",
              default: "0",
              usage: "maximum revision to hash (default: all revisions)",
            },
          ],
          run: hashkv,
        },
      ],
    },
    {
      use: "move-leader <transferee-member-id>",
      short: "Transfers leadership to another etcd cluster member.",
      run: moveLeader,
    },
  ];
}
