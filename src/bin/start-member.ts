// `tetcd` runs one member with the validated configuration until SIGTERM or SIGINT
// (or a fatal error), then stops it cleanly.
import type { ServerConfig } from "../config/index.js";
import { logServerStarting } from "../config/index.js";
import { startMember as startRunningMember } from "../embed/index.js";
import type { Logger } from "../log/index.js";

/** etcd turns auto-compaction off with a zero retention. */
function autoCompactionEnabled(policy: ServerConfig["autoCompaction"]): boolean {
  return policy.mode === "periodic" ? policy.retentionMs > 0 : policy.retainRevisions > 0;
}

export async function startMember(config: ServerConfig, logger: Logger): Promise<void> {
  const hrefs = (urls: readonly { href: string }[]) => urls.map((u) => u.href);
  logServerStarting(logger, config, false);
  const member = await startRunningMember({
    name: config.name,
    dataDir: config.dataDir,
    walDir: config.walDir,
    advertisePeerUrls: hrefs(config.initialAdvertisePeerUrls),
    advertiseClientUrls: hrefs(config.advertiseClientUrls),
    initialCluster: new Map([...config.initialClusterMembers].map(([name, urls]) => [name, hrefs(urls)])),
    initialClusterToken: config.initialClusterToken,
    initialClusterState: config.initialClusterState,
    heartbeatMs: config.heartbeatIntervalMs,
    electionMs: config.electionTimeoutMs,
    snapshotCount: config.snapshotCount,
    quotaBackendBytes: config.quotaBackendBytes,
    maxRequestBytes: config.maxRequestBytes,
    maxTxnOps: config.maxTxnOps,
    ...(autoCompactionEnabled(config.autoCompaction) ? { autoCompaction: config.autoCompaction } : {}),
    etcdVersion: config.emulatedEtcdVersion,
    unsafeNoFsync: config.unsafeNoFsync,
    backendBatchIntervalMs: config.backendBatchIntervalMs,
    backendBatchLimit: config.backendBatchLimit,
    logger,
    listenClientUrls: hrefs(config.listenClientUrls),
    listenPeerUrls: hrefs(config.listenPeerUrls),
    listenMetricsUrls: hrefs(config.listenMetricsUrls),
    maxConcurrentStreams: config.maxConcurrentStreams,
    grpcKeepaliveMinTimeMs: config.grpcKeepAliveMinTimeMs,
    grpcKeepaliveIntervalMs: config.grpcKeepAliveIntervalMs,
    grpcKeepaliveTimeoutMs: config.grpcKeepAliveTimeoutMs,
    watchProgressNotifyIntervalMs: config.experimentalWatchProgressNotifyIntervalMs,
  });
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
  const outcome = await Promise.race([signalled, member.done]);
  if (typeof outcome === "string") logger.info("received signal; shutting down", { signal: outcome });
  await member.close();
  const failure = await member.done;
  if (failure) throw failure;
}
