// From flag values to a validated, frozen ServerConfig: etcd's post-parse adjustments
// (etcdmain's configFromCmdLine / configFromFile), embed.Config.Validate with its messages,
// the derived values (default host, initial cluster from the name, data directory),
// and warnings for flags tetcd accepts but does not act on yet.
import {
  isLogLevelName,
  type LogLevelName,
  type LogSettings,
  parseDuration,
  parsePackageLevels,
} from "../log/index.js";
import type { DefaultHost } from "./defaulthost.js";
import { CONFLICTING_BOOTSTRAP_FLAGS, ConfigError, UNSET_ADVERTISE_CLIENT_URLS } from "./errors.js";
import { FLAGS_BY_NAME } from "./flags.js";
import type { FlagSet } from "./flagset.js";
import { goQuote, goQuoteList } from "./gosyntax.js";
import { logNotice, type Notice, stderrNotice } from "./notices.js";
import type { AutoCompaction, ServerConfig, TlsSettings } from "./types.js";
import { NOT_YET_IMPLEMENTED } from "./unimplemented.js";
import { checkBindUrls, checkHostUrls, type EtcdUrl, parseEtcdUrl, parseUrlsMap } from "./urls.js";
import { versionBanner } from "./version.js";

export const DEFAULT_QUOTA_BACKEND_BYTES = 2 * 1024 * 1024 * 1024;
const DEFAULT_BACKEND_BATCH_INTERVAL_MS = 100;
const DEFAULT_BACKEND_BATCH_LIMIT = 10_000;
const DEFAULT_COMPACTION_BATCH_LIMIT = 1000;
const DEFAULT_WATCH_PROGRESS_NOTIFY_MS = 10 * 60_000;
const MIN_WATCH_PROGRESS_NOTIFY_MS = 100;
const MAX_ELECTION_MS = 50_000;
const SNAPSHOT_CATCH_UP_ENTRIES = 5000;
const DEFAULT_ADVERTISE_PEER_URL = "http://localhost:2380";
const DEFAULT_ADVERTISE_CLIENT_URL = "http://localhost:2379";

export interface BuildContext {
  /** Where the values came from: flags and ETCD_* variables, or a config file. */
  readonly source: "flags" | "file";
  /** The config file path ("" for flags). */
  readonly configFile: string;
  /** The machine's default host, for advertising in place of 0.0.0.0 (etcd's netutil.GetDefaultHost). */
  readonly defaultHost: () => DefaultHost;
  /** ETCD_EMULATED_ETCD_VERSION, which applies even with a config file. */
  readonly emulatedEtcdVersionEnv: string | undefined;
}

export type BuildResult =
  | { readonly ok: true; readonly config: ServerConfig; readonly notices: readonly Notice[] }
  | {
      readonly ok: false;
      readonly error: ConfigError;
      readonly notices: readonly Notice[];
      /** The logging settings when they were valid before the error (etcd then reports through them). */
      readonly log?: LogSettings;
    };

/** Mutable working copy of the values the checks adjust, in etcd's order. */
interface Draft {
  name: string;
  dataDir: string;
  initialCluster: string;
  listenPeerUrls: readonly EtcdUrl[];
  listenClientUrls: readonly EtcdUrl[];
  listenMetricsUrls: readonly EtcdUrl[];
  advertisePeerUrls: readonly EtcdUrl[];
  advertiseClientUrls: readonly EtcdUrl[];
  logOutputs: readonly string[];
  logOutput: readonly string[];
}

export function buildConfig(flags: FlagSet, ctx: BuildContext): BuildResult {
  const notices: Notice[] = [];
  const progress: { log?: LogSettings } = {};
  try {
    const config = build(flags, ctx, notices, progress);
    return { ok: true, config, notices };
  } catch (e) {
    if (e instanceof ConfigError) return { ok: false, error: e, notices, ...progress };
    throw e;
  }
}

const hrefs = (urls: readonly EtcdUrl[]) => urls.map((u) => u.href);

function initialClusterFromName(name: string, peerUrls: readonly EtcdUrl[]): string {
  const n = name === "" ? "default" : name;
  return peerUrls.map((u) => `${n}=${u.href}`).join(",");
}

function build(
  flags: FlagSet,
  ctx: BuildContext,
  notices: Notice[],
  progress: { log?: LogSettings },
): ServerConfig {
  const draft: Draft = {
    name: flags.string("name"),
    dataDir: flags.string("data-dir"),
    initialCluster: flags.string("initial-cluster"),
    listenPeerUrls: flags.urls("listen-peer-urls"),
    listenClientUrls: flags.urls("listen-client-urls"),
    listenMetricsUrls: flags.urls("listen-metrics-urls"),
    advertisePeerUrls: flags.urls("initial-advertise-peer-urls"),
    advertiseClientUrls: flags.urls("advertise-client-urls"),
    logOutputs: flags.strings("log-outputs"),
    logOutput: flags.strings("log-output"),
  };
  const defaultInitialCluster = FLAGS_BY_NAME.get("initial-cluster")!.defaultText;
  const discovery = flags.string("discovery");
  const discoverySrv = flags.string("discovery-srv");
  const proxy = flags.string("proxy") as ServerConfig["proxy"];
  const fallback = flags.string("discovery-fallback") as ServerConfig["discoveryFallback"];
  const mayBeProxy = proxy !== "off" || (discovery !== "" && fallback === "proxy");

  if (ctx.source === "flags") {
    // A member listening on chosen client URLs must say which to advertise.
    if (flags.isSet("listen-client-urls") && !flags.isSet("advertise-client-urls") && !mayBeProxy) {
      draft.advertiseClientUrls = [];
    }
    if (
      (discovery !== "" || discoverySrv !== "" || flags.string("discovery-srv-name") !== "") &&
      !flags.isSet("initial-cluster")
    ) {
      draft.initialCluster = "";
    }
  } else if ((discovery !== "" || discoverySrv !== "") && draft.initialCluster === defaultInitialCluster) {
    draft.initialCluster = "";
  }

  const logging = validateLogging(flags, draft, notices);
  progress.log = {
    ...logging,
    logOutputs: draft.logOutputs,
    logPackageLevels: flags.string("log-package-levels"),
    debug: flags.bool("debug"),
  };
  validateEmbed(flags, draft, ctx.source === "flags" && mayBeProxy, notices);

  const emulatedEtcdVersion = ctx.emulatedEtcdVersionEnv || flags.string("emulated-etcd-version");
  const version = /^(\d+)\.(\d+)\.(\d+)$/.exec(emulatedEtcdVersion);
  if (!version) {
    throw new ConfigError(
      `invalid emulated etcd version ${goQuote(emulatedEtcdVersion)} (want MAJOR.MINOR.PATCH)`,
    );
  }

  const autoCompactionMode = flags.string("auto-compaction-mode") as ServerConfig["autoCompactionMode"];
  const autoCompactionRetention = flags.string("auto-compaction-retention") || "0";
  const autoCompaction = parseCompactionRetention(autoCompactionMode, autoCompactionRetention);

  // etcd 3.4's capnslog banner comes here, between validation and the default host.
  for (const line of versionBanner(emulatedEtcdVersion)) {
    notices.push({ kind: "log", level: "info", pkg: "etcdmain", msg: line, only: "capnslog" });
  }
  applyDefaultHost(draft, defaultInitialCluster, ctx.defaultHost, notices);
  if (draft.dataDir === "") {
    draft.dataDir = `${draft.name}.tetcd`;
    notices.push(
      logNotice(
        "warn",
        "etcdmain",
        "'data-dir' was empty; using default",
        { "data-dir": draft.dataDir },
        `no data-dir provided, using default data-dir ./${draft.dataDir}`,
      ),
    );
  }

  let initialClusterMembers: ReadonlyMap<string, readonly EtcdUrl[]> = new Map();
  if (draft.initialCluster !== "" && discovery === "" && discoverySrv === "") {
    try {
      initialClusterMembers = parseUrlsMap(draft.initialCluster);
    } catch (e) {
      throw new ConfigError((e as Error).message);
    }
  }

  const heartbeatIntervalMs = flags.number("heartbeat-interval");
  const electionTimeoutMs = flags.number("election-timeout");
  let watchProgressMs = flags.number("experimental-watch-progress-notify-interval");
  if (watchProgressMs <= 0) watchProgressMs = DEFAULT_WATCH_PROGRESS_NOTIFY_MS;
  else if (watchProgressMs < MIN_WATCH_PROGRESS_NOTIFY_MS) {
    watchProgressMs = MIN_WATCH_PROGRESS_NOTIFY_MS;
    notices.push(
      logNotice(
        "warn",
        "etcdserver/api/v3rpc",
        "adjusting watch progress notify interval to minimum period",
        { "min-watch-progress-notify-interval": "100ms" },
        "adjusting watch progress notify interval to minimum period 100ms",
      ),
    );
  }
  warnNotYetImplemented(flags, notices);

  const memberDir = `${draft.dataDir}/member`;
  const walDir = flags.string("wal-dir");
  const quota = flags.number("quota-backend-bytes");
  const config: ServerConfig = {
    emulatedEtcdVersion,
    emulatedClusterVersion: `${version[1]}.${version[2]}`,
    configFile: ctx.configFile,

    name: draft.name,
    dataDir: draft.dataDir,
    memberDir,
    snapDir: `${memberDir}/snap`,
    walDir: walDir === "" ? `${memberDir}/wal` : walDir,
    walDirDedicated: walDir !== "",
    snapshotCount: flags.number("snapshot-count"),
    snapshotCatchUpEntries: SNAPSHOT_CATCH_UP_ENTRIES,
    maxSnapshots: flags.number("max-snapshots"),
    maxWals: flags.number("max-wals"),
    heartbeatIntervalMs,
    electionTimeoutMs,
    electionTicks: Math.floor(electionTimeoutMs / heartbeatIntervalMs),
    initialElectionTickAdvance: flags.bool("initial-election-tick-advance"),
    listenPeerUrls: draft.listenPeerUrls,
    listenClientUrls: draft.listenClientUrls,
    listenMetricsUrls: draft.listenMetricsUrls,
    quotaBackendBytes: quota === 0 ? DEFAULT_QUOTA_BACKEND_BYTES : quota,
    backendBatchIntervalMs: flags.number("backend-batch-interval") || DEFAULT_BACKEND_BATCH_INTERVAL_MS,
    backendBatchLimit: flags.number("backend-batch-limit") || DEFAULT_BACKEND_BATCH_LIMIT,
    maxTxnOps: flags.number("max-txn-ops"),
    maxRequestBytes: flags.number("max-request-bytes"),
    maxConcurrentStreams: flags.number("max-concurrent-streams"),
    grpcKeepAliveMinTimeMs: flags.number("grpc-keepalive-min-time"),
    grpcKeepAliveIntervalMs: flags.number("grpc-keepalive-interval"),
    grpcKeepAliveTimeoutMs: flags.number("grpc-keepalive-timeout"),

    initialAdvertisePeerUrls: draft.advertisePeerUrls,
    advertiseClientUrls: draft.advertiseClientUrls,
    initialCluster: draft.initialCluster,
    initialClusterMembers,
    initialClusterToken: flags.string("initial-cluster-token"),
    initialClusterState: (flags.string("initial-cluster-state") ||
      "new") as ServerConfig["initialClusterState"],
    discovery,
    discoveryFallback: fallback,
    discoveryProxy: flags.string("discovery-proxy"),
    discoverySrv,
    discoverySrvName: flags.string("discovery-srv-name"),
    strictReconfigCheck: flags.bool("strict-reconfig-check"),
    enableV2: flags.bool("enable-v2"),
    preVote: flags.bool("pre-vote"),
    autoCompactionMode,
    autoCompactionRetention,
    autoCompaction,

    proxy,
    proxyFailureWaitMs: flags.number("proxy-failure-wait"),
    proxyRefreshIntervalMs: flags.number("proxy-refresh-interval"),
    proxyDialTimeoutMs: flags.number("proxy-dial-timeout"),
    proxyWriteTimeoutMs: flags.number("proxy-write-timeout"),
    proxyReadTimeoutMs: flags.number("proxy-read-timeout"),

    clientTls: tls(flags, ""),
    peerTls: tls(flags, "peer-"),
    cipherSuites: flags.strings("cipher-suites"),
    cors: flags.strings("cors"),
    hostWhitelist: flags.strings("host-whitelist"),

    authToken: flags.string("auth-token"),
    bcryptCost: flags.number("bcrypt-cost"),
    authTokenTtlMs: flags.number("auth-token-ttl") * 1000,

    enablePprof: flags.bool("enable-pprof"),
    metrics: flags.string("metrics"),
    enableGrpcGateway: flags.bool("enable-grpc-gateway"),

    logger: logging.logger,
    logLevel: logging.logLevel,
    logOutputs: Object.freeze([...draft.logOutputs]),
    logPackageLevels: flags.string("log-package-levels"),
    debug: flags.bool("debug"),

    experimentalInitialCorruptCheck: flags.bool("experimental-initial-corrupt-check"),
    experimentalCorruptCheckTimeMs: flags.number("experimental-corrupt-check-time"),
    experimentalEnableV2v3: flags.string("experimental-enable-v2v3"),
    experimentalBackendBboltFreelistType: flags.string("experimental-backend-bbolt-freelist-type"),
    experimentalEnableLeaseCheckpoint: flags.bool("experimental-enable-lease-checkpoint"),
    experimentalEnableLeaseCheckpointPersist: flags.bool("experimental-enable-lease-checkpoint-persist"),
    experimentalCompactionBatchLimit:
      flags.number("experimental-compaction-batch-limit") || DEFAULT_COMPACTION_BATCH_LIMIT,
    experimentalWatchProgressNotifyIntervalMs: watchProgressMs,
    experimentalWarningApplyDurationMs: flags.number("experimental-warning-apply-duration"),

    forceNewCluster: flags.bool("force-new-cluster"),
    unsafeNoFsync: flags.bool("unsafe-no-fsync"),
  };
  return Object.freeze(config);
}

function tls(flags: FlagSet, prefix: "" | "peer-"): TlsSettings {
  const certFile = flags.string(`${prefix}cert-file`);
  const keyFile = flags.string(`${prefix}key-file`);
  const peer = prefix === "peer-";
  return Object.freeze({
    certFile,
    keyFile,
    trustedCaFile: flags.string(`${prefix}trusted-ca-file`),
    clientCertAuth: flags.bool(`${prefix}client-cert-auth`),
    crlFile: flags.string(peer ? "peer-crl-file" : "client-crl-file"),
    allowedHostname: flags.string(peer ? "peer-cert-allowed-hostname" : "client-cert-allowed-hostname"),
    allowedCn: peer ? flags.string("peer-cert-allowed-cn") : "",
    autoTls: flags.bool(peer ? "peer-auto-tls" : "auto-tls"),
    skipClientSanVerification: peer ? flags.bool("experimental-peer-skip-client-san-verification") : false,
    configured: certFile !== "" || keyFile !== "",
  });
}

/** embed.Config.setupLogging: the logging flags' checks and deprecation warnings. */
function validateLogging(
  flags: FlagSet,
  draft: Draft,
  notices: Notice[],
): { logger: "zap" | "capnslog"; logLevel: LogLevelName } {
  const deprecated = draft.logOutput;
  const outputs = draft.logOutputs;
  const isDefault = (list: readonly string[]) => list.length === 1 && list[0] === "default";
  if (deprecated.length !== outputs.length) {
    if (deprecated.length > outputs.length) {
      notices.push(stderrNotice("'--log-output' flag has been deprecated! Please use '--log-outputs'!"));
      draft.logOutputs = deprecated;
    }
  } else {
    if (deprecated.length > 1) {
      throw new ConfigError("both '--log-output' and '--log-outputs' are set; only set '--log-outputs'");
    }
    if (deprecated.length < 1)
      throw new ConfigError("either '--log-output' or '--log-outputs' flag must be set");
    if (deprecated[0] === outputs[0] && deprecated[0] !== "default") {
      throw new ConfigError(
        `'--log-output=${goQuoteList(deprecated)}' and '--log-outputs=${goQuoteList(outputs)}' are incompatible; only set --log-outputs`,
      );
    }
    if (!isDefault(deprecated)) {
      notices.push(
        stderrNotice(`[WARNING] Deprecated '--log-output' flag is set to ${goQuoteList(deprecated)}`),
      );
      notices.push(stderrNotice("Please use '--log-outputs' flag"));
    }
  }

  const debug = flags.bool("debug");
  const logLevel = flags.string("log-level");
  const logger = flags.string("logger");
  const packageLevels = flags.string("log-package-levels");
  if (debug) {
    notices.push(
      stderrNotice("[WARNING] Deprecated '--debug' flag is set to true (use '--log-level=debug' instead"),
    );
    if (logLevel !== "debug") {
      notices.push(
        stderrNotice(
          `[WARNING] Deprecated '--debug' flag is set to true with inconsistent '--log-level=${logLevel}' flag`,
        ),
      );
    }
  }
  if (logger === "capnslog") {
    notices.push(
      stderrNotice("[WARNING] Deprecated '--logger=capnslog' flag is set; use '--logger=zap' flag instead"),
    );
  }
  if (packageLevels !== "") {
    notices.push(
      stderrNotice(
        `[WARNING] Deprecated '--log-package-levels=${packageLevels}' flag is set; use '--logger=zap' flag instead`,
      ),
    );
  }
  // etcd panics on an unknown level; tetcd reports it.
  if (!isLogLevelName(logLevel)) throw new ConfigError(`unknown level ${goQuote(logLevel)}`);

  switch (logger) {
    case "capnslog": {
      if (packageLevels !== "") {
        const parsed = parsePackageLevels(packageLevels);
        if (!(parsed instanceof Map)) {
          notices.push(
            logNotice(
              "warn",
              "embed",
              "couldn't parse log level string, continuing with default levels",
              { error: parsed.error },
              `couldn't parse log level string: ${parsed.error}, continuing with default levels`,
            ),
          );
          // etcd returns here, skipping the output checks below.
          return { logger, logLevel };
        }
      }
      if (draft.logOutputs.length !== 1) {
        throw new ConfigError(
          `--logger=capnslog supports only 1 value in '--log-outputs', got ${goQuoteList(draft.logOutputs)}`,
        );
      }
      const output = draft.logOutputs[0]!;
      if (!["default", "stderr", "stdout"].includes(output)) {
        throw new ConfigError(
          `unknown log-output ${goQuote(output)} (only supports "default", "stderr", "stdout")`,
        );
      }
      return { logger, logLevel };
    }
    case "zap": {
      if (draft.logOutputs.length === 0) draft.logOutputs = ["default"];
      if (draft.logOutputs.length > 1 && draft.logOutputs.includes("default")) {
        throw new ConfigError('multi logoutput for "default" is not supported yet');
      }
      if (draft.logOutputs.includes("systemd/journal") && draft.logOutputs.length > 1) {
        throw new ConfigError(
          `running with systemd/journal but other '--log-outputs' values (${goQuoteList(draft.logOutputs)}) are configured with 'default'; override 'default' value with something else`,
        );
      }
      return { logger, logLevel };
    }
    default:
      throw new ConfigError(`unknown logger option ${goQuote(logger)}`);
  }
}

/** The rest of embed.Config.Validate, in etcd's order. */
function validateEmbed(flags: FlagSet, draft: Draft, mayBeProxy: boolean, notices: Notice[]): void {
  for (const urls of [draft.listenPeerUrls, draft.listenClientUrls, draft.listenMetricsUrls]) {
    const problem = checkBindUrls(urls);
    if (problem) throw new ConfigError(problem);
  }
  const peerProblem = checkHostUrls(draft.advertisePeerUrls);
  if (peerProblem) {
    throw new ConfigError(
      `--initial-advertise-peer-urls ${goQuote(hrefs(draft.advertisePeerUrls).join(","))} must be "host:port" (${peerProblem})`,
    );
  }
  const clientProblem = checkHostUrls(draft.advertiseClientUrls);
  if (clientProblem) {
    throw new ConfigError(
      `--advertise-client-urls ${goQuote(hrefs(draft.advertiseClientUrls).join(","))} must be "host:port" (${clientProblem})`,
    );
  }
  const bootstrapFlags = [flags.string("discovery"), draft.initialCluster, flags.string("discovery-srv")];
  const clusterState = flags.string("initial-cluster-state") || "new";
  if (clusterState !== "new" && clusterState !== "existing") {
    throw new ConfigError(`unexpected clusterState ${goQuote(clusterState)}`);
  }
  if (bootstrapFlags.filter((v) => v !== "").length > 1) throw new ConfigError(CONFLICTING_BOOTSTRAP_FLAGS);

  const tickMs = flags.number("heartbeat-interval");
  const electionMs = flags.number("election-timeout");
  if (tickMs <= 0) throw new ConfigError(`--heartbeat-interval must be >0 (set to ${tickMs}ms)`);
  if (electionMs <= 0) throw new ConfigError(`--election-timeout must be >0 (set to ${electionMs}ms)`);
  if (5 * tickMs > electionMs) {
    throw new ConfigError(
      `--election-timeout[${electionMs}ms] should be at least as 5 times as --heartbeat-interval[${tickMs}ms]`,
    );
  }
  if (electionMs > MAX_ELECTION_MS) {
    throw new ConfigError(
      `--election-timeout[${electionMs}ms] is too long, and should be set less than ${MAX_ELECTION_MS}ms`,
    );
  }
  // Checked last: a member that may turn into a v2 proxy needs no advertise URLs.
  if (draft.listenClientUrls.length > 0 && draft.advertiseClientUrls.length === 0 && !mayBeProxy) {
    throw new ConfigError(UNSET_ADVERTISE_CLIENT_URLS);
  }
  const mode = flags.string("auto-compaction-mode");
  if (mode !== "" && mode !== "periodic" && mode !== "revision") {
    throw new ConfigError(`unknown auto-compaction-mode ${goQuote(mode)}`);
  }
  const checkpoint = flags.bool("experimental-enable-lease-checkpoint");
  const persist = flags.bool("experimental-enable-lease-checkpoint-persist");
  if (checkpoint && !persist) {
    notices.push(
      logNotice(
        "warn",
        "embed",
        "Detected that checkpointing is enabled without persistence. Consider enabling experimental-enable-lease-checkpoint-persist",
      ),
    );
  }
  if (persist && !checkpoint) {
    throw new ConfigError(
      "setting experimental-enable-lease-checkpoint-persist requires experimental-enable-lease-checkpoint",
    );
  }
}

/** etcd's parseCompactionRetention and compactor choice. */
function parseCompactionRetention(mode: string, retention: string): AutoCompaction {
  const disabled: AutoCompaction =
    mode === "revision" ? { mode: "revision", retainRevisions: 0 } : { mode: "periodic", retentionMs: 0 };
  if (/^[+-]?\d+$/.test(retention) && Number(retention) >= 0) {
    const n = Number(retention);
    if (mode === "revision") return Object.freeze({ mode, retainRevisions: n });
    if (mode === "periodic") return Object.freeze({ mode, retentionMs: n * 3_600_000 });
    return Object.freeze(disabled);
  }
  let ms: number;
  try {
    ms = parseDuration(retention);
  } catch (e) {
    throw new ConfigError(`error parsing CompactionRetention: ${(e as Error).message}`);
  }
  if (ms < 0)
    throw new ConfigError(`error parsing CompactionRetention: negative retention ${goQuote(retention)}`);
  if (ms === 0) return Object.freeze(disabled);
  // In revision mode etcd reads a duration as that many nanoseconds' worth of revisions.
  if (mode === "revision") return Object.freeze({ mode, retainRevisions: Math.round(ms * 1e6) });
  if (mode === "periodic") return Object.freeze({ mode, retentionMs: ms });
  throw new ConfigError(`unsupported compaction mode ${mode}`);
}

/** embed.Config.UpdateDefaultClusterFromName: advertise the default host instead of 0.0.0.0. */
function applyDefaultHost(
  draft: Draft,
  defaultInitialCluster: string,
  detect: () => DefaultHost,
  notices: Notice[],
): void {
  const nameChanged = draft.name !== "default" && draft.initialCluster === defaultInitialCluster;
  const found = detect();
  if ("error" in found) {
    if (nameChanged) draft.initialCluster = initialClusterFromName(draft.name, draft.advertisePeerUrls);
    notices.push(
      logNotice(
        "notice",
        "etcdmain",
        "failed to detect default host",
        { error: found.error },
        `failed to detect default host (${found.error})`,
      ),
    );
    return;
  }
  let used = false;
  const substitute = (urls: readonly EtcdUrl[], listen: EtcdUrl | undefined, defaultHref: string) => {
    if (listen === undefined || listen.hostname !== "0.0.0.0") return urls;
    if (urls.length !== 1 || urls[0]!.href !== defaultHref) return urls;
    used = true;
    const host = found.host.includes(":") ? `[${found.host}]` : found.host;
    return Object.freeze([parseEtcdUrl(`${urls[0]!.scheme}://${host}:${listen.port}`)]);
  };
  draft.advertisePeerUrls = substitute(
    draft.advertisePeerUrls,
    draft.listenPeerUrls[0],
    DEFAULT_ADVERTISE_PEER_URL,
  );
  if (nameChanged) draft.initialCluster = initialClusterFromName(draft.name, draft.advertisePeerUrls);
  draft.advertiseClientUrls = substitute(
    draft.advertiseClientUrls,
    draft.listenClientUrls[0],
    DEFAULT_ADVERTISE_CLIENT_URL,
  );
  if (used) {
    notices.push(
      logNotice(
        "info",
        "etcdmain",
        "detected default host for advertise",
        { host: found.host },
        `advertising using detected default host ${goQuote(found.host)}`,
      ),
    );
  }
}

/** A warning per flag set away from its default whose feature tetcd does not have yet. */
function warnNotYetImplemented(flags: FlagSet, notices: Notice[]): void {
  for (const name of NOT_YET_IMPLEMENTED) {
    if (flags.isDefault(name)) continue;
    const value = flags.value(name);
    notices.push(
      logNotice(
        "warn",
        "etcdmain",
        "flag is accepted but not implemented by tetcd yet; ignoring it",
        { flag: `--${name}`, value: JSON.stringify(value) },
        `flag --${name} is accepted but not implemented by tetcd yet; ignoring it`,
      ),
    );
  }
}
