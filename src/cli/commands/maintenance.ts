// alarm, snapshot, version and migrate.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { type AlarmResponse, Client } from "../../client/index.js";
import type { CommandSpec, RunContext } from "../command.js";
import { changed, clientConfig, clientSettings, commandTimeout, connect, display, num } from "../global.js";
import { humanizeBytes } from "../go/format.js";
import { API_VERSION, ETCDCTL_VERSION } from "../help.js";
import { ExitCode } from "../io.js";
import { exitWithError } from "../printers/index.js";

async function alarmDisarm(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 0)
    exitWithError(ctx.io, ExitCode.BadArgs, "alarm disarm command accepts no arguments");
  const c = await connect(await clientSettings(ctx), ctx.io);
  let resp: AlarmResponse;
  try {
    // Disarming "everything" is: list the alarms, then disarm each (clientv3 does so, and
    // its combined response carries no header).
    const opts = commandTimeout(ctx);
    const list = await c.alarmList(opts);
    resp = { header: null, alarms: [] };
    for (const a of list.alarms) resp.alarms.push(...(await c.alarmDisarm(a.memberID, a.alarm, opts)).alarms);
  } catch (err) {
    return exitWithError(ctx.io, ExitCode.Error, err);
  } finally {
    c.close();
  }
  display(ctx).alarm(resp);
}

async function alarmList(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 0)
    exitWithError(ctx.io, ExitCode.BadArgs, "alarm list command accepts no arguments");
  const c = await connect(await clientSettings(ctx), ctx.io);
  let resp: AlarmResponse;
  try {
    resp = await c.alarmList(commandTimeout(ctx));
  } catch (err) {
    return exitWithError(ctx.io, ExitCode.Error, err);
  } finally {
    c.close();
  }
  display(ctx).alarm(resp);
}

/** zap's production JSON line as etcd's snapshot manager logs it (ts in epoch seconds). */
function zapInfo(
  ctx: RunContext,
  caller: string,
  msg: string,
  fields: Record<string, string | number>,
): void {
  const extra = Object.entries(fields)
    .map(([k, v]) => `,${JSON.stringify(k)}:${typeof v === "number" ? v : JSON.stringify(v)}`)
    .join("");
  ctx.io.err(`{"level":"info","ts":${Date.now() / 1000},"caller":"${caller}","msg":"${msg}"${extra}}\n`);
}

function clientZapInfo(ctx: RunContext, caller: string, msg: string): void {
  ctx.io.err(`{"level":"info","ts":"${new Date().toISOString()}","caller":"${caller}","msg":"${msg}"}\n`);
}

async function snapshotSave(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 1) exitWithError(ctx.io, ExitCode.BadArgs, "snapshot save expects one argument");
  const settings = await clientSettings(ctx);
  const path = ctx.args[0] as string;
  const fail = (err: unknown) => exitWithError(ctx.io, ExitCode.Interrupted, err);
  if (settings.endpoints.length !== 1) {
    fail(`snapshot must be requested to one selected node, not multiple [${settings.endpoints.join(" ")}]`);
  }
  let c: Client;
  try {
    c = await Client.connect(clientConfig(settings, ctx.io));
  } catch (err) {
    return fail(err);
  }
  const part = `${path}.part`;
  let fd: number;
  try {
    fd = openSync(part, "w", 0o600);
  } catch (err) {
    c.close();
    return fail(`could not open ${part} (${(err as Error).message})`);
  }
  try {
    zapInfo(ctx, "snapshot/v3_snapshot.go:119", "created temporary db file", { path: part });
    const start = process.hrtime.bigint();
    // Without --command-timeout the download may take as long as it needs.
    const opts = changed(ctx, "command-timeout") ? { timeoutMs: num(ctx, "command-timeout") } : {};
    const chunks = await c.snapshot(opts);
    clientZapInfo(ctx, "clientv3/maintenance.go:200", "opened snapshot stream; downloading");
    zapInfo(ctx, "snapshot/v3_snapshot.go:127", "fetching snapshot", {
      endpoint: settings.endpoints[0] as string,
    });
    let size = 0;
    for await (const chunk of chunks) {
      writeSync(fd, chunk.blob);
      size += chunk.blob.length;
    }
    clientZapInfo(ctx, "clientv3/maintenance.go:208", "completed snapshot read; closing");
    fsyncSync(fd);
    closeSync(fd);
    const took = Number(process.hrtime.bigint() - start) / 1e9;
    zapInfo(ctx, "snapshot/v3_snapshot.go:142", "fetched snapshot", {
      endpoint: settings.endpoints[0] as string,
      size: humanizeBytes(size),
      took,
    });
    renameSync(part, path);
    zapInfo(ctx, "snapshot/v3_snapshot.go:152", "saved", { path });
  } catch (err) {
    rmSync(part, { force: true });
    if ((err as Error).name === "Exit") throw err;
    return fail(err);
  } finally {
    c.close();
  }
  ctx.io.out(`Snapshot saved at ${path}\n`);
}

const NEEDS_BBOLT =
  "reading etcd's bbolt snapshot files is not supported by tetcdctl yet; it comes with the interchange of etcd's data files";

function snapshotStatus(ctx: RunContext): void {
  if (ctx.args.length !== 1)
    exitWithError(ctx.io, ExitCode.BadArgs, "snapshot status requires exactly one argument");
  display(ctx);
  exitWithError(ctx.io, ExitCode.Error, `snapshot status: ${NEEDS_BBOLT}`);
}

function snapshotRestore(ctx: RunContext): void {
  if (ctx.args.length !== 1)
    exitWithError(ctx.io, ExitCode.BadArgs, "snapshot restore requires exactly one argument");
  exitWithError(ctx.io, ExitCode.Error, `snapshot restore: ${NEEDS_BBOLT}`);
}

export function maintenanceCommands(): CommandSpec[] {
  return [
    {
      use: "alarm <subcommand>",
      short: "Alarm related commands",
      subcommands: [
        { use: "disarm", short: "Disarms all alarms", run: alarmDisarm },
        { use: "list", short: "Lists all alarms", run: alarmList },
      ],
    },
    {
      use: "snapshot <subcommand>",
      short: "Manages etcd node snapshots",
      subcommands: [
        {
          use: "save <filename>",
          short: "Stores an etcd node backend snapshot to a given file",
          run: snapshotSave,
        },
        {
          use: "restore <filename> [options]",
          short: "Restores an etcd member snapshot to an etcd directory",
          flags: [
            { name: "data-dir", kind: "string", default: "", usage: "Path to the data directory" },
            {
              name: "wal-dir",
              kind: "string",
              default: "",
              usage: "Path to the WAL directory (use --data-dir if none given)",
            },
            {
              name: "initial-cluster",
              kind: "string",
              default: "default=http://localhost:2380",
              usage: "Initial cluster configuration for restore bootstrap",
            },
            {
              name: "initial-cluster-token",
              kind: "string",
              default: "etcd-cluster",
              usage: "Initial cluster token for the etcd cluster during restore bootstrap",
            },
            {
              name: "initial-advertise-peer-urls",
              kind: "string",
              default: "http://localhost:2380",
              usage: "List of this member's peer URLs to advertise to the rest of the cluster",
            },
            {
              name: "name",
              kind: "string",
              default: "default",
              usage: "Human-readable name for this member",
            },
            {
              name: "skip-hash-check",
              kind: "bool",
              default: "false",
              usage: "Ignore snapshot integrity hash value (required if copied from data directory)",
            },
          ],
          run: snapshotRestore,
        },
        {
          use: "status <filename>",
          short: "Gets backend snapshot status of a given file",
          long: "When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.\nThe items in the lists are hash, revision, total keys, total size.\n",
          run: snapshotStatus,
        },
      ],
    },
    {
      use: "version",
      short: "Prints the version of etcdctl",
      run: (ctx) => {
        ctx.io.out(`etcdctl version: ${ETCDCTL_VERSION}\nAPI version: ${API_VERSION}\n`);
      },
    },
    {
      use: "migrate",
      short: "Migrates keys in a v2 store to a mvcc store",
      flags: [
        { name: "no-ttl", kind: "bool", default: "false", usage: "Do not convert TTL keys" },
        { name: "data-dir", kind: "string", default: "", usage: "Path to the data directory" },
        { name: "wal-dir", kind: "string", default: "", usage: "Path to the WAL directory" },
        {
          name: "transformer",
          kind: "string",
          default: "",
          usage: "Path to the user-provided transformer program",
        },
      ],
      run: (ctx) =>
        exitWithError(
          ctx.io,
          ExitCode.Error,
          "migrate: converting a v2 store is not supported by tetcdctl (it comes with the v2 API)",
        ),
    },
  ];
}
