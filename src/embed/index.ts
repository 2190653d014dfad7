// Embedding: an in-process tetcd member for Node programs and tests.
//
//   const etcd = await startServer();                 // temp data dir, free port
//   // ... point any etcd client at etcd.endpoints ...
//   await etcd.close();                                // stops; deletes a temp data dir
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger, type Logger } from "../log/index.js";
import { DEFAULT_SERVER_OPTIONS } from "../server/index.js";
import { type RunningMember, startMember } from "./member.js";

export { type MemberOptions, type RunningMember, startMember } from "./member.js";

export interface StartServerOptions {
  /** Where to keep data; a temp dir (deleted on close) when omitted. */
  readonly dataDir?: string;
  /** Client port; 0 (default) picks a free one. */
  readonly port?: number;
  readonly host?: string;
  readonly name?: string;
  /** The etcd version to present (default 3.4.31). */
  readonly etcdVersion?: string;
  /** Default: errors only, to stderr. */
  readonly logger?: Logger;
  readonly quotaBackendBytes?: number;
}

export interface EmbeddedServer {
  /** Client URLs, e.g. ["http://127.0.0.1:40123"]. */
  readonly endpoints: readonly string[];
  readonly member: RunningMember;
  close(): Promise<void>;
}

export async function startServer(options: StartServerOptions = {}): Promise<EmbeddedServer> {
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "tetcd-")));
  const host = options.host ?? "127.0.0.1";
  const name = options.name ?? "default";
  // The peer URL only names the member (its ID derives from it); nothing connects to it.
  const peerUrl = `unix://${join(dataDir, "peer.sock")}`;
  const logger = options.logger ?? createLogger({ logger: "zap", logLevel: "error", logOutputs: ["stderr"] });
  const clientUrl = `http://${host}:${options.port ?? 0}`;
  const member = await startMember({
    ...DEFAULT_SERVER_OPTIONS,
    name,
    dataDir,
    advertisePeerUrls: [peerUrl],
    advertiseClientUrls: [clientUrl],
    initialCluster: new Map([[name, [peerUrl]]]),
    initialClusterToken: "etcd-cluster",
    initialClusterState: "new",
    etcdVersion: options.etcdVersion ?? "3.4.31",
    ...(options.quotaBackendBytes === undefined ? {} : { quotaBackendBytes: options.quotaBackendBytes }),
    logger,
    listenClientUrls: [clientUrl],
    listenPeerUrls: [peerUrl],
    listenMetricsUrls: [],
    maxConcurrentStreams: 2 ** 32 - 1,
    grpcKeepaliveMinTimeMs: 5_000,
    grpcKeepaliveIntervalMs: 2 * 60 * 60 * 1000,
    grpcKeepaliveTimeoutMs: 20_000,
    watchProgressNotifyIntervalMs: 10 * 60 * 1000,
  });
  await member.server.ready;
  return {
    endpoints: member.clientUrls,
    member,
    close: async () => {
      await member.close();
      if (temporary) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
