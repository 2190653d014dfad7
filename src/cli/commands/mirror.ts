// make-mirror: copy a prefix to another cluster, then follow its changes.
import { Client, type Op, op } from "../../client/index.js";
import type { CommandSpec, RunContext } from "../command.js";
import { clientConfig, clientSettings, connect, num } from "../global.js";
import { ExitCode } from "../io.js";
import { exitWithError } from "../printers/index.js";

const SYNC_BATCH = 1000;

async function makeMirror(ctx: RunContext): Promise<void> {
  if (ctx.args.length !== 1)
    exitWithError(ctx.io, ExitCode.BadArgs, "make-mirror takes one destination argument");
  const f = (name: string) => ctx.flags.lookup(name)?.value;
  const prefix = f("prefix") as string;
  let destPrefix = f("dest-prefix") as string;
  const noDestPrefix = f("no-dest-prefix") === true;
  const dest = await Client.connect(
    clientConfig(
      {
        endpoints: [ctx.args[0] as string],
        dialTimeoutMs: num(ctx, "dial-timeout"),
        keepaliveTimeMs: num(ctx, "keepalive-time"),
        keepaliveTimeoutMs: num(ctx, "keepalive-timeout"),
        sec: {
          cert: f("dest-cert") as string,
          key: f("dest-key") as string,
          cacert: f("dest-cacert") as string,
          serverName: "",
          insecureTransport: f("dest-insecure-transport") === true,
          insecureSkipVerify: false,
        },
        auth: undefined,
      },
      ctx.io,
    ),
  ).catch((err: Error) => exitWithError(ctx.io, ExitCode.BadConnection, err));
  const src = await connect(await clientSettings(ctx), ctx.io);
  let total = 0;
  const ticker = setInterval(() => ctx.io.out(`${total}\n`), 30_000);
  const fail = (err: unknown) => {
    clearInterval(ticker);
    return exitWithError(ctx.io, ExitCode.Error, err);
  };
  const modify = (key: Buffer) => {
    const k = key.toString("latin1");
    const i = k.indexOf(prefix);
    return Buffer.from(i === -1 ? k : k.slice(0, i) + destPrefix + k.slice(i + prefix.length), "latin1");
  };
  // Sync the base: read the prefix at one revision in batches.
  const first = await src.get(prefix, { prefix: true, limit: 1, countOnly: false }).catch(fail);
  const rev = first.header?.revision ?? 0;
  if (noDestPrefix && destPrefix.length > 0) {
    exitWithError(
      ctx.io,
      ExitCode.BadArgs,
      "`--dest-prefix` and `--no-dest-prefix` cannot be set at the same time, choose one",
    );
  }
  if (!noDestPrefix && destPrefix.length === 0) destPrefix = prefix;
  let from: Buffer | undefined;
  for (;;) {
    const r = from
      ? await src.get(from, { rangeEnd: rangeEndOf(prefix), revision: rev, limit: SYNC_BATCH }).catch(fail)
      : await src.get(prefix, { prefix: true, revision: rev, limit: SYNC_BATCH }).catch(fail);
    for (const kv of r.kvs) {
      await dest.put(modify(kv.key), kv.value).catch(fail);
      total++;
    }
    const last = r.kvs[r.kvs.length - 1];
    if (!r.more || !last) break;
    from = Buffer.concat([last.key, Buffer.from([0])]);
  }
  // Then follow every change after that revision, one transaction per revision.
  const w = src.watch(prefix, { prefix: true, startRevision: rev + 1 });
  for await (const wr of w) {
    if (wr.compactRevision !== 0) fail("etcdserver: mvcc: required revision has been compacted");
    let lastRev = 0;
    let ops: Op[] = [];
    for (const ev of wr.events) {
      const kv = ev.kv;
      if (!kv) continue;
      if (lastRev !== 0 && kv.modRevision > lastRev) {
        await dest.txn({ success: ops }).catch(fail);
        ops = [];
      }
      lastRev = kv.modRevision;
      ops.push(ev.type === 0 ? op.put(modify(kv.key), kv.value) : op.delete(modify(kv.key)));
      total++;
    }
    if (ops.length > 0) await dest.txn({ success: ops }).catch(fail);
  }
  fail("watch closed");
}

function rangeEndOf(prefix: string): Buffer {
  const b = Buffer.from(prefix);
  for (let i = b.length - 1; i >= 0; i--) {
    if ((b[i] as number) < 0xff) {
      b[i] = (b[i] as number) + 1;
      return b.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

export function mirrorCommands(): CommandSpec[] {
  return [
    {
      use: "make-mirror [options] <destination>",
      short: "Makes a mirror at the destination etcd cluster",
      flags: [
        { name: "prefix", kind: "string", default: "", usage: "Key-value prefix to mirror" },
        {
          name: "dest-prefix",
          kind: "string",
          default: "",
          usage: "destination prefix to mirror a prefix to a different prefix in the destination cluster",
        },
        {
          name: "no-dest-prefix",
          kind: "bool",
          default: "false",
          usage: "mirror key-values to the root of the destination cluster",
        },
        {
          name: "dest-cert",
          kind: "string",
          default: "",
          usage: "Identify secure client using this TLS certificate file for the destination cluster",
        },
        {
          name: "dest-key",
          kind: "string",
          default: "",
          usage: "Identify secure client using this TLS key file",
        },
        {
          name: "dest-cacert",
          kind: "string",
          default: "",
          usage: "Verify certificates of TLS enabled secure servers using this CA bundle",
        },
        {
          name: "dest-insecure-transport",
          kind: "bool",
          default: "true",
          usage: "Disable transport security for client connections",
        },
      ],
      run: makeMirror,
    },
  ];
}
