// The server's configuration: etcd 3.4's settings, typed, validated and frozen. Units
// are in the names: durations in milliseconds (`...Ms`), sizes in bytes (`...Bytes`).
// Where etcd's server replaces a 0 with a built-in default, the value here is already
// the effective one, so the server has no magic numbers of its own.
import type { LogLevelName } from "../log/index.js";
import type { EtcdUrl } from "./urls.js";

export interface TlsSettings {
  /** --cert-file / --peer-cert-file. */
  readonly certFile: string;
  /** --key-file / --peer-key-file. */
  readonly keyFile: string;
  /** --trusted-ca-file / --peer-trusted-ca-file. */
  readonly trustedCaFile: string;
  /** --client-cert-auth / --peer-client-cert-auth: require a certificate signed by the trusted CA. */
  readonly clientCertAuth: boolean;
  /** --client-crl-file / --peer-crl-file. */
  readonly crlFile: string;
  /** --client-cert-allowed-hostname / --peer-cert-allowed-hostname. */
  readonly allowedHostname: string;
  /** --peer-cert-allowed-cn ("" for clients: there is no such client flag). */
  readonly allowedCn: string;
  /** --auto-tls / --peer-auto-tls: generate a self-signed certificate under <data-dir>/fixtures. */
  readonly autoTls: boolean;
  /** --experimental-peer-skip-client-san-verification (false for clients). */
  readonly skipClientSanVerification: boolean;
  /** Whether any certificate, key or CA file is given (etcd's TLSInfo.Empty() negated). */
  readonly configured: boolean;
}

/** --auto-compaction-mode with --auto-compaction-retention parsed; a zero retention disables it. */
export type AutoCompaction =
  | { readonly mode: "periodic"; readonly retentionMs: number }
  | { readonly mode: "revision"; readonly retainRevisions: number };

export interface ServerConfig {
  // ---- tetcd ----
  /** --emulated-etcd-version / ETCD_EMULATED_ETCD_VERSION: the etcd version presented in
   * /version, Status and etcd_server_version ("3.4.31"). */
  readonly emulatedEtcdVersion: string;
  /** The "major.minor" cluster version of the emulated release ("3.4"). */
  readonly emulatedClusterVersion: string;
  /** --config-file / ETCD_CONFIG_FILE, or "" when flags and ETCD_* variables were used. */
  readonly configFile: string;

  // ---- Member ----
  /** --name. */
  readonly name: string;
  /** --data-dir; `<name>.tetcd` in the working directory when not given (etcd: `<name>.etcd`). */
  readonly dataDir: string;
  /** `<dataDir>/member`. */
  readonly memberDir: string;
  /** `<dataDir>/member/snap`: snapshots and the backend database. */
  readonly snapDir: string;
  /** --wal-dir, or `<dataDir>/member/wal` when not given. */
  readonly walDir: string;
  /** Whether --wal-dir was given (etcd's "wal-dir-dedicated"). */
  readonly walDirDedicated: boolean;
  /** --snapshot-count: committed entries between snapshots. */
  readonly snapshotCount: number;
  /** Entries kept behind a snapshot for slow followers (etcd's fixed 5000). */
  readonly snapshotCatchUpEntries: number;
  /** --max-snapshots (0: keep all). */
  readonly maxSnapshots: number;
  /** --max-wals (0: keep all). */
  readonly maxWals: number;
  /** --heartbeat-interval: one Raft tick. */
  readonly heartbeatIntervalMs: number;
  /** --election-timeout. */
  readonly electionTimeoutMs: number;
  /** Election timeout in ticks (etcd: electionTimeoutMs / heartbeatIntervalMs, truncated). */
  readonly electionTicks: number;
  /** --initial-election-tick-advance. */
  readonly initialElectionTickAdvance: boolean;
  /** --listen-peer-urls. */
  readonly listenPeerUrls: readonly EtcdUrl[];
  /** --listen-client-urls. */
  readonly listenClientUrls: readonly EtcdUrl[];
  /** --listen-metrics-urls (empty: none). */
  readonly listenMetricsUrls: readonly EtcdUrl[];
  /** --quota-backend-bytes, effective: 0 becomes etcd's 2 GiB default; negative means no quota. */
  readonly quotaBackendBytes: number;
  /** --backend-batch-interval, effective (0 becomes etcd's 100ms). */
  readonly backendBatchIntervalMs: number;
  /** --backend-batch-limit, effective (0 becomes etcd's 10000). */
  readonly backendBatchLimit: number;
  /** --max-txn-ops. */
  readonly maxTxnOps: number;
  /** --max-request-bytes. */
  readonly maxRequestBytes: number;
  /** --max-concurrent-streams (per client connection; default 2^32-1). */
  readonly maxConcurrentStreams: number;
  /** --grpc-keepalive-min-time. */
  readonly grpcKeepAliveMinTimeMs: number;
  /** --grpc-keepalive-interval (0 disables server pings). */
  readonly grpcKeepAliveIntervalMs: number;
  /** --grpc-keepalive-timeout (0 disables). */
  readonly grpcKeepAliveTimeoutMs: number;

  // ---- Clustering ----
  /** --initial-advertise-peer-urls (a 0.0.0.0 default is replaced by the default host, as etcd does). */
  readonly initialAdvertisePeerUrls: readonly EtcdUrl[];
  /** --advertise-client-urls (empty only when this member may act as a v2 proxy). */
  readonly advertiseClientUrls: readonly EtcdUrl[];
  /** --initial-cluster as given or derived from --name ("" when discovery replaces it). */
  readonly initialCluster: string;
  /** --initial-cluster parsed: member name -> peer URLs (empty when discovery is used). */
  readonly initialClusterMembers: ReadonlyMap<string, readonly EtcdUrl[]>;
  /** --initial-cluster-token. */
  readonly initialClusterToken: string;
  /** --initial-cluster-state. */
  readonly initialClusterState: "new" | "existing";
  /** --discovery. */
  readonly discovery: string;
  /** --discovery-fallback. */
  readonly discoveryFallback: "exit" | "proxy";
  /** --discovery-proxy. */
  readonly discoveryProxy: string;
  /** --discovery-srv. */
  readonly discoverySrv: string;
  /** --discovery-srv-name. */
  readonly discoverySrvName: string;
  /** --strict-reconfig-check. */
  readonly strictReconfigCheck: boolean;
  /** --enable-v2. */
  readonly enableV2: boolean;
  /** --pre-vote. */
  readonly preVote: boolean;
  /** --auto-compaction-mode as given ("" only from a config file without the key). */
  readonly autoCompactionMode: "periodic" | "revision" | "";
  /** --auto-compaction-retention as given ("0" when empty). */
  readonly autoCompactionRetention: string;
  /** Both parsed as etcd's server reads them. */
  readonly autoCompaction: AutoCompaction;

  // ---- v2 proxy ----
  /** --proxy. */
  readonly proxy: "off" | "readonly" | "on";
  /** --proxy-failure-wait. */
  readonly proxyFailureWaitMs: number;
  /** --proxy-refresh-interval. */
  readonly proxyRefreshIntervalMs: number;
  /** --proxy-dial-timeout. */
  readonly proxyDialTimeoutMs: number;
  /** --proxy-write-timeout. */
  readonly proxyWriteTimeoutMs: number;
  /** --proxy-read-timeout (0: none). */
  readonly proxyReadTimeoutMs: number;

  // ---- Security ----
  /** Client-facing TLS: --cert-file, --key-file, --trusted-ca-file, --client-cert-auth, --client-crl-file,
   * --client-cert-allowed-hostname, --auto-tls. */
  readonly clientTls: TlsSettings;
  /** Peer-facing TLS: the --peer-* flags and --experimental-peer-skip-client-san-verification. */
  readonly peerTls: TlsSettings;
  /** --cipher-suites, in the order given (empty: the runtime's defaults). */
  readonly cipherSuites: readonly string[];
  /** --cors: allowed origins, sorted ("*" allows all). */
  readonly cors: readonly string[];
  /** --host-whitelist: allowed Host headers on insecure requests, sorted ("*" allows all). */
  readonly hostWhitelist: readonly string[];

  // ---- Auth ----
  /** --auth-token ("simple" or "jwt,pub-key=...,priv-key=...,sign-method=..."). */
  readonly authToken: string;
  /** --bcrypt-cost. */
  readonly bcryptCost: number;
  /** --auth-token-ttl (given in seconds). */
  readonly authTokenTtlMs: number;

  // ---- Profiling and monitoring ----
  /** --enable-pprof. */
  readonly enablePprof: boolean;
  /** --metrics: "basic" or "extensive" (adds gRPC latency histograms). */
  readonly metrics: string;
  /** --enable-grpc-gateway (off by default with a config file, as in etcd 3.4). */
  readonly enableGrpcGateway: boolean;

  // ---- Logging (createLogger takes these) ----
  /** --logger: "zap" (tetcd's default, etcd 3.5's) or "capnslog" (etcd 3.4's). */
  readonly logger: "zap" | "capnslog";
  /** --log-level. */
  readonly logLevel: LogLevelName;
  /** --log-outputs (or the deprecated --log-output), in the order they take effect. */
  readonly logOutputs: readonly string[];
  /** --log-package-levels (capnslog only). */
  readonly logPackageLevels: string;
  /** --debug (capnslog at DEBUG; deprecated). */
  readonly debug: boolean;

  // ---- Experimental ----
  /** --experimental-initial-corrupt-check. */
  readonly experimentalInitialCorruptCheck: boolean;
  /** --experimental-corrupt-check-time (0: no periodic check). */
  readonly experimentalCorruptCheckTimeMs: number;
  /** --experimental-enable-v2v3 (the v3 prefix for the emulated v2 store; "" off). */
  readonly experimentalEnableV2v3: string;
  /** --experimental-backend-bbolt-freelist-type ("" means array). */
  readonly experimentalBackendBboltFreelistType: string;
  /** --experimental-enable-lease-checkpoint. */
  readonly experimentalEnableLeaseCheckpoint: boolean;
  /** --experimental-enable-lease-checkpoint-persist. */
  readonly experimentalEnableLeaseCheckpointPersist: boolean;
  /** --experimental-compaction-batch-limit, effective (0 becomes etcd's 1000). */
  readonly experimentalCompactionBatchLimit: number;
  /** --experimental-watch-progress-notify-interval, effective (0 becomes etcd's 10 minutes). */
  readonly experimentalWatchProgressNotifyIntervalMs: number;
  /** --experimental-warning-apply-duration. */
  readonly experimentalWarningApplyDurationMs: number;

  // ---- Unsafe ----
  /** --force-new-cluster. */
  readonly forceNewCluster: boolean;
  /** --unsafe-no-fsync. */
  readonly unsafeNoFsync: boolean;
}
