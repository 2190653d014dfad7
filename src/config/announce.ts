// The line etcd logs as a member starts ("starting an etcd server" in zap; name, data dir,
// heartbeat ... lines in capnslog), built from the configuration it describes.
import { availableParallelism, cpus } from "node:os";
import { formatDuration, type Logger } from "../log/index.js";
import type { ServerConfig } from "./types.js";
import { goPlatform, TETCD_VERSION } from "./version.js";

const hrefs = (urls: readonly { href: string }[]) => urls.map((u) => u.href);

/** etcd's `types.URLsMap.String()`: name=url pairs, sorted. */
function clusterText(config: ServerConfig): string {
  const pairs: string[] = [];
  for (const [name, urls] of config.initialClusterMembers)
    for (const u of urls) pairs.push(`${name}=${u.href}`);
  return pairs.sort().join(",");
}

function retentionMs(config: ServerConfig): number {
  const c = config.autoCompaction;
  return c.mode === "periodic" ? c.retentionMs : c.retainRevisions / 1e6;
}

/** Call once the data directory has been inspected (`memberInitialized`: a WAL exists). */
export function logServerStarting(log: Logger, config: ServerConfig, memberInitialized: boolean): void {
  const embed = log.child("embed");
  const electionMs = config.electionTicks * config.heartbeatIntervalMs;
  if (log.format === "zap") {
    const { os, arch } = goPlatform();
    embed.log(
      "info",
      "starting an etcd server",
      {
        "etcd-version": config.emulatedEtcdVersion,
        "tetcd-version": TETCD_VERSION,
        "node-version": process.version,
        "go-os": os,
        "go-arch": arch,
        "max-cpu-set": availableParallelism(),
        "max-cpu-available": cpus().length,
        "member-initialized": memberInitialized,
        name: config.name,
        "data-dir": config.dataDir,
        "wal-dir": config.walDirDedicated ? config.walDir : "",
        "wal-dir-dedicated": config.walDirDedicated ? config.walDir : "",
        "member-dir": config.memberDir,
        "force-new-cluster": config.forceNewCluster,
        "heartbeat-interval": formatDuration(config.heartbeatIntervalMs),
        "election-timeout": formatDuration(electionMs),
        "initial-election-tick-advance": config.initialElectionTickAdvance,
        "snapshot-count": config.snapshotCount,
        "max-wals": config.maxWals,
        "max-snapshots": config.maxSnapshots,
        "snapshot-catchup-entries": config.snapshotCatchUpEntries,
        "initial-advertise-peer-urls": hrefs(config.initialAdvertisePeerUrls),
        "listen-peer-urls": hrefs(config.listenPeerUrls),
        "advertise-client-urls": hrefs(config.advertiseClientUrls),
        "listen-client-urls": hrefs(config.listenClientUrls),
        "listen-metrics-urls": hrefs(config.listenMetricsUrls),
        cors: config.cors,
        "host-whitelist": config.hostWhitelist,
        "initial-cluster": clusterText(config),
        "initial-cluster-state": config.initialClusterState,
        "initial-cluster-token": config.initialClusterToken,
        "quota-backend-bytes": config.quotaBackendBytes,
        "max-request-bytes": config.maxRequestBytes,
        "max-concurrent-streams": config.maxConcurrentStreams,
        "pre-vote": config.preVote,
        "initial-corrupt-check": config.experimentalInitialCorruptCheck,
        "corrupt-check-time-interval": formatDuration(config.experimentalCorruptCheckTimeMs),
        "auto-compaction-mode": config.autoCompactionMode,
        "auto-compaction-retention": formatDuration(retentionMs(config)),
        "auto-compaction-interval": formatDuration(retentionMs(config)),
        "discovery-url": config.discovery,
        "discovery-proxy": config.discoveryProxy,
      },
      undefined,
      1,
    );
    return;
  }
  const lines = [`name = ${config.name}`];
  if (config.forceNewCluster) lines.push("force new cluster");
  lines.push(`data dir = ${config.dataDir}`, `member dir = ${config.memberDir}`);
  if (config.walDirDedicated) lines.push(`dedicated WAL dir = ${config.walDir}`);
  lines.push(
    `heartbeat = ${config.heartbeatIntervalMs}ms`,
    `election = ${electionMs}ms`,
    `snapshot count = ${config.snapshotCount}`,
  );
  if (config.discovery !== "") {
    lines.push(`discovery URL= ${config.discovery}`);
    if (config.discoveryProxy !== "") lines.push(`discovery proxy = ${config.discoveryProxy}`);
  }
  lines.push(`advertise client URLs = ${hrefs(config.advertiseClientUrls).join(",")}`);
  if (memberInitialized) {
    lines.push(
      `initial advertise peer URLs = ${hrefs(config.initialAdvertisePeerUrls).join(",")}`,
      `initial cluster = ${clusterText(config)}`,
    );
  }
  for (const line of lines) embed.log("info", line, undefined, undefined, 1);
}
