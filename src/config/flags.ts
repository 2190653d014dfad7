// Every etcd 3.4 server flag, with etcd's name, value type and default; the one table
// that command-line parsing, ETCD_* variables, the config file and --help all read.

/**
 * How a flag's text becomes a value (etcd's flag.Value types):
 * - string, bool, duration (ms), uint/uint64/int/int64 (Go base-0 integers)
 * - uint32raw: etcd's own uint32 flag, which reports strconv's raw error text
 * - urls: etcd's UniqueURLs ("" keeps the current list), a sorted EtcdUrl list
 * - cors: UniqueURLs with "*" allowed, as a sorted list of origins
 * - uniqueStrings: comma-separated, deduplicated, sorted
 * - strings: comma-separated, in order
 * - choice: one of `choices`
 * - ignored: a pre-3.0 flag that only warns
 */
export type FlagKind =
  | "string"
  | "bool"
  | "duration"
  | "uint"
  | "uint64"
  | "int"
  | "int64"
  | "uint32raw"
  | "urls"
  | "cors"
  | "uniqueStrings"
  | "strings"
  | "choice"
  | "ignored";

export type Section =
  | "Member"
  | "Clustering"
  | "Security"
  | "Auth"
  | "Profiling and Monitoring"
  | "Logging"
  | "v2 Proxy (to be deprecated in v4)"
  | "Experimental feature"
  | "Unsafe feature"
  | "TO BE DEPRECATED"
  | "tetcd"
  | "Hidden";

export interface FlagSpec {
  readonly name: string;
  readonly kind: FlagKind;
  /** The default as flag text, parsed like a command-line value. */
  readonly defaultText: string;
  /** How --help shows the default, when not `defaultText`. */
  readonly helpDefault?: string;
  readonly section: Section;
  /** One line for --help, in our words. */
  readonly usage: string;
  readonly choices?: readonly string[];
  /** False when etcd 3.4's config file has no key for the flag. */
  readonly inConfigFile?: false;
}

/** The etcd release whose behaviour tetcd presents unless told otherwise (kube-apiserver
 * turns on watch progress requests from 3.4.31). */
export const DEFAULT_EMULATED_ETCD_VERSION = "3.4.31";

// Flags etcd 1.x/2.x had; etcd 3.4 still accepts and ignores them with a warning.
const IGNORED = [
  "cluster-active-size",
  "cluster-remove-delay",
  "cluster-sync-interval",
  "config",
  "force",
  "max-result-buffer",
  "max-retry-attempts",
  "peer-heartbeat-interval",
  "peer-election-timeout",
  "retry-interval",
  "snapshot",
  "v",
  "vv",
  "test.coverprofile",
  "test.outputdir",
];

const MEMBER: readonly FlagSpec[] = [
  {
    name: "name",
    kind: "string",
    defaultText: "default",
    section: "Member",
    usage: "Human-readable name of this member.",
  },
  {
    name: "data-dir",
    kind: "string",
    defaultText: "",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: etcd's help shows the placeholder literally
    helpDefault: "${name}.tetcd",
    section: "Member",
    usage: "Directory holding this member's data.",
  },
  {
    name: "wal-dir",
    kind: "string",
    defaultText: "",
    section: "Member",
    usage: "Dedicated directory for the write-ahead log (default: <data-dir>/member/wal).",
  },
  {
    name: "snapshot-count",
    kind: "uint64",
    defaultText: "100000",
    section: "Member",
    usage: "Committed entries between two snapshots to disk.",
  },
  {
    name: "heartbeat-interval",
    kind: "uint",
    defaultText: "100",
    section: "Member",
    usage: "Milliseconds between heartbeats (one Raft tick).",
  },
  {
    name: "election-timeout",
    kind: "uint",
    defaultText: "1000",
    section: "Member",
    usage: "Milliseconds without a leader before an election starts.",
  },
  {
    name: "initial-election-tick-advance",
    kind: "bool",
    defaultText: "true",
    section: "Member",
    usage: "Fast-forward election ticks at boot so the first election happens sooner.",
  },
  {
    name: "listen-peer-urls",
    kind: "urls",
    defaultText: "http://localhost:2380",
    section: "Member",
    usage: "URLs to listen on for traffic from other members.",
  },
  {
    name: "listen-client-urls",
    kind: "urls",
    defaultText: "http://localhost:2379",
    section: "Member",
    usage: "URLs to listen on for client traffic.",
  },
  {
    name: "max-snapshots",
    kind: "uint",
    defaultText: "5",
    section: "Member",
    usage: "Snapshot files to keep (0 keeps all).",
  },
  {
    name: "max-wals",
    kind: "uint",
    defaultText: "5",
    section: "Member",
    usage: "WAL files to keep (0 keeps all).",
  },
  {
    name: "quota-backend-bytes",
    kind: "int64",
    defaultText: "0",
    section: "Member",
    usage:
      "Raise a NOSPACE alarm when the backend grows past this many bytes (0: 2 GiB; negative: no quota).",
  },
  {
    name: "backend-batch-interval",
    kind: "duration",
    defaultText: "0s",
    section: "Member",
    usage: "Longest time a backend transaction stays open before it commits (0: 100ms).",
  },
  {
    name: "backend-batch-limit",
    kind: "int",
    defaultText: "0",
    section: "Member",
    usage: "Most operations in one backend transaction before it commits (0: 10000).",
  },
  {
    name: "max-txn-ops",
    kind: "uint",
    defaultText: "128",
    section: "Member",
    usage: "Most operations allowed in one transaction.",
  },
  {
    name: "max-request-bytes",
    kind: "uint",
    defaultText: "1572864",
    section: "Member",
    usage: "Largest client request accepted, in bytes.",
  },
  {
    name: "max-concurrent-streams",
    kind: "uint32raw",
    defaultText: "4294967295",
    section: "Member",
    usage: "Most concurrent streams one client connection may open.",
  },
  {
    name: "grpc-keepalive-min-time",
    kind: "duration",
    defaultText: "5s",
    section: "Member",
    usage: "Shortest interval a client may ping the server at.",
  },
  {
    name: "grpc-keepalive-interval",
    kind: "duration",
    defaultText: "2h0m0s",
    section: "Member",
    usage: "How often the server pings an idle client connection (0 disables).",
  },
  {
    name: "grpc-keepalive-timeout",
    kind: "duration",
    defaultText: "20s",
    section: "Member",
    usage: "How long to wait for a ping answer before closing the connection (0 disables).",
  },
];

const CLUSTERING: readonly FlagSpec[] = [
  {
    name: "initial-advertise-peer-urls",
    kind: "urls",
    defaultText: "http://localhost:2380",
    section: "Clustering",
    usage: "This member's peer URLs as the rest of the cluster should reach them.",
  },
  {
    name: "initial-cluster",
    kind: "string",
    defaultText: "default=http://localhost:2380",
    section: "Clustering",
    usage: "The bootstrap cluster as name=peer-url pairs, comma-separated.",
  },
  {
    name: "initial-cluster-state",
    kind: "choice",
    choices: ["new", "existing"],
    defaultText: "new",
    section: "Clustering",
    usage: "'new' to bootstrap a cluster, 'existing' to join one.",
  },
  {
    name: "initial-cluster-token",
    kind: "string",
    defaultText: "etcd-cluster",
    section: "Clustering",
    usage: "Token that keeps separate clusters from mixing during bootstrap.",
  },
  {
    name: "advertise-client-urls",
    kind: "urls",
    defaultText: "http://localhost:2379",
    section: "Clustering",
    usage: "This member's client URLs as clients should reach them.",
  },
  {
    name: "discovery",
    kind: "string",
    defaultText: "",
    section: "Clustering",
    usage: "Discovery service URL to bootstrap with.",
  },
  {
    name: "discovery-fallback",
    kind: "choice",
    choices: ["proxy", "exit"],
    defaultText: "proxy",
    section: "Clustering",
    usage: "What to do when discovery fails: 'exit' or 'proxy' (v2 API only).",
  },
  {
    name: "discovery-proxy",
    kind: "string",
    defaultText: "",
    section: "Clustering",
    usage: "HTTP proxy for traffic to the discovery service.",
  },
  {
    name: "discovery-srv",
    kind: "string",
    defaultText: "",
    section: "Clustering",
    usage: "DNS domain whose SRV records list the bootstrap cluster.",
  },
  {
    name: "discovery-srv-name",
    kind: "string",
    defaultText: "",
    section: "Clustering",
    usage: "Suffix of the SRV names queried during DNS discovery.",
  },
  {
    name: "strict-reconfig-check",
    kind: "bool",
    defaultText: "true",
    section: "Clustering",
    usage: "Refuse membership changes that would lose quorum.",
  },
  {
    name: "pre-vote",
    kind: "bool",
    defaultText: "false",
    section: "Clustering",
    usage: "Run Raft's pre-vote phase before an election.",
  },
  {
    name: "auto-compaction-retention",
    kind: "string",
    defaultText: "0",
    section: "Clustering",
    usage:
      "History to keep when compacting automatically: hours or a duration (periodic), or revisions (0 disables).",
  },
  {
    name: "auto-compaction-mode",
    kind: "string",
    defaultText: "periodic",
    section: "Clustering",
    usage: "How to read --auto-compaction-retention: 'periodic' or 'revision'.",
  },
  {
    name: "enable-v2",
    kind: "bool",
    defaultText: "false",
    section: "Clustering",
    usage: "Serve the etcd v2 API.",
  },
];

const SECURITY: readonly FlagSpec[] = [
  {
    name: "cert-file",
    kind: "string",
    defaultText: "",
    section: "Security",
    usage: "TLS certificate for client traffic.",
  },
  {
    name: "key-file",
    kind: "string",
    defaultText: "",
    section: "Security",
    usage: "TLS key for client traffic.",
  },
  {
    name: "client-cert-auth",
    kind: "bool",
    defaultText: "false",
    section: "Security",
    usage: "Require client certificates signed by the trusted CA.",
  },
  {
    name: "client-crl-file",
    kind: "string",
    defaultText: "",
    section: "Security",
    usage: "Revoked client certificates.",
    inConfigFile: false,
  },
  {
    name: "client-cert-allowed-hostname",
    kind: "string",
    defaultText: "",
    section: "Security",
    usage: "Hostname a client certificate must carry.",
    inConfigFile: false,
  },
  {
    name: "trusted-ca-file",
    kind: "string",
    defaultText: "",
    section: "Security",
    usage: "CA that signs client certificates.",
  },
  {
    name: "auto-tls",
    kind: "bool",
    defaultText: "false",
    section: "Security",
    usage: "Serve clients over TLS with a generated certificate.",
  },
  {
    name: "peer-cert-file",
    kind: "string",
    defaultText: "",
    section: "Security",
    usage: "TLS certificate for peer traffic.",
  },
  {
    name: "peer-key-file",
    kind: "string",
    defaultText: "",
    section: "Security",
    usage: "TLS key for peer traffic.",
  },
  {
    name: "peer-client-cert-auth",
    kind: "bool",
    defaultText: "false",
    section: "Security",
    usage: "Require peer certificates signed by the peer trusted CA.",
  },
  {
    name: "peer-trusted-ca-file",
    kind: "string",
    defaultText: "",
    section: "Security",
    usage: "CA that signs peer certificates.",
  },
  {
    name: "peer-cert-allowed-cn",
    kind: "string",
    defaultText: "",
    section: "Security",
    usage: "Common name a peer certificate must carry.",
    inConfigFile: false,
  },
  {
    name: "peer-cert-allowed-hostname",
    kind: "string",
    defaultText: "",
    section: "Security",
    usage: "Hostname a peer certificate must carry.",
    inConfigFile: false,
  },
  {
    name: "peer-auto-tls",
    kind: "bool",
    defaultText: "false",
    section: "Security",
    usage: "Talk to peers over TLS with a generated certificate when no peer certificate is given.",
  },
  {
    name: "peer-crl-file",
    kind: "string",
    defaultText: "",
    section: "Security",
    usage: "Revoked peer certificates.",
    inConfigFile: false,
  },
  {
    name: "cipher-suites",
    kind: "strings",
    defaultText: "",
    section: "Security",
    usage: "TLS cipher suites for client and peer traffic, comma-separated (empty: the runtime's defaults).",
  },
  {
    name: "cors",
    kind: "cors",
    defaultText: "*",
    section: "Security",
    usage: "Origins allowed for cross-origin requests, comma-separated ('*' allows all).",
  },
  {
    name: "host-whitelist",
    kind: "uniqueStrings",
    defaultText: "*",
    section: "Security",
    usage: "Host names accepted on insecure HTTP requests, comma-separated ('*' allows all).",
  },
  {
    name: "experimental-peer-skip-client-san-verification",
    kind: "bool",
    defaultText: "false",
    section: "Security",
    usage: "Do not check the SAN of peer client certificates.",
    inConfigFile: false,
  },
];

const AUTH: readonly FlagSpec[] = [
  {
    name: "auth-token",
    kind: "string",
    defaultText: "simple",
    section: "Auth",
    usage: "Authentication token type and options ('simple' or 'jwt,...').",
  },
  {
    name: "bcrypt-cost",
    kind: "uint",
    defaultText: "10",
    section: "Auth",
    usage: "bcrypt cost for password hashes (4 to 31).",
  },
  {
    name: "auth-token-ttl",
    kind: "uint",
    defaultText: "300",
    section: "Auth",
    usage: "Seconds a simple token stays valid.",
  },
];

const MONITORING: readonly FlagSpec[] = [
  {
    name: "enable-pprof",
    kind: "bool",
    defaultText: "false",
    section: "Profiling and Monitoring",
    usage: "Serve runtime profiles under /debug/pprof/ on the client URLs.",
  },
  {
    name: "metrics",
    kind: "string",
    defaultText: "basic",
    section: "Profiling and Monitoring",
    usage: "Metric detail: 'basic', or 'extensive' to add histograms.",
  },
  {
    name: "listen-metrics-urls",
    kind: "urls",
    defaultText: "",
    section: "Profiling and Monitoring",
    usage: "Extra URLs serving only /metrics and /health.",
  },
  {
    name: "enable-grpc-gateway",
    kind: "bool",
    defaultText: "true",
    section: "Profiling and Monitoring",
    usage: "Serve the JSON gateway to the gRPC API on the client URLs.",
  },
];

const LOGGING: readonly FlagSpec[] = [
  {
    name: "logger",
    kind: "string",
    defaultText: "zap",
    section: "Logging",
    usage: "'zap' for JSON lines or 'capnslog' for etcd 3.4's text lines.",
  },
  {
    name: "log-outputs",
    kind: "uniqueStrings",
    defaultText: "default",
    section: "Logging",
    usage: "Where logs go, comma-separated: 'default', 'stderr', 'stdout' or file paths.",
  },
  {
    name: "log-level",
    kind: "string",
    defaultText: "info",
    section: "Logging",
    usage: "Lowest level logged: debug, info, warn, error, panic or fatal.",
  },
];

const PROXY: readonly FlagSpec[] = [
  {
    name: "proxy",
    kind: "choice",
    choices: ["off", "readonly", "on"],
    defaultText: "off",
    section: "v2 Proxy (to be deprecated in v4)",
    usage: "v2 proxy mode: 'off', 'readonly' or 'on'.",
  },
  {
    name: "proxy-failure-wait",
    kind: "uint",
    defaultText: "5000",
    section: "v2 Proxy (to be deprecated in v4)",
    usage: "Milliseconds a failed endpoint stays out of rotation.",
  },
  {
    name: "proxy-refresh-interval",
    kind: "uint",
    defaultText: "30000",
    section: "v2 Proxy (to be deprecated in v4)",
    usage: "Milliseconds between endpoint refreshes.",
  },
  {
    name: "proxy-dial-timeout",
    kind: "uint",
    defaultText: "1000",
    section: "v2 Proxy (to be deprecated in v4)",
    usage: "Milliseconds before a dial times out.",
  },
  {
    name: "proxy-write-timeout",
    kind: "uint",
    defaultText: "5000",
    section: "v2 Proxy (to be deprecated in v4)",
    usage: "Milliseconds before a write times out.",
  },
  {
    name: "proxy-read-timeout",
    kind: "uint",
    defaultText: "0",
    section: "v2 Proxy (to be deprecated in v4)",
    usage: "Milliseconds before a read times out (0: none).",
  },
];

const EXPERIMENTAL: readonly FlagSpec[] = [
  {
    name: "experimental-initial-corrupt-check",
    kind: "bool",
    defaultText: "false",
    section: "Experimental feature",
    usage: "Check for data corruption before serving clients or peers.",
  },
  {
    name: "experimental-corrupt-check-time",
    kind: "duration",
    defaultText: "0s",
    section: "Experimental feature",
    usage: "Time between cluster corruption checks (0 disables).",
  },
  {
    name: "experimental-enable-v2v3",
    kind: "string",
    defaultText: "",
    section: "Experimental feature",
    usage: "Serve the v2 API from the v3 store under this prefix.",
  },
  {
    name: "experimental-backend-bbolt-freelist-type",
    kind: "string",
    defaultText: "",
    helpDefault: "array",
    section: "Experimental feature",
    usage: "bbolt freelist type, 'array' or 'map' (no effect on tetcd's backend).",
  },
  {
    name: "experimental-enable-lease-checkpoint",
    kind: "bool",
    defaultText: "false",
    section: "Experimental feature",
    usage: "Have the leader checkpoint lease TTLs so a leader change does not reset them.",
  },
  {
    name: "experimental-enable-lease-checkpoint-persist",
    kind: "bool",
    defaultText: "false",
    section: "Experimental feature",
    usage: "Persist checkpointed lease TTLs (needs --experimental-enable-lease-checkpoint).",
  },
  {
    name: "experimental-compaction-batch-limit",
    kind: "int",
    defaultText: "0",
    helpDefault: "1000",
    section: "Experimental feature",
    usage: "Most revisions deleted in one compaction batch (0: 1000).",
  },
  {
    name: "experimental-watch-progress-notify-interval",
    kind: "duration",
    defaultText: "0s",
    helpDefault: "10m0s",
    section: "Experimental feature",
    usage: "Interval of progress notifications to idle watchers (0: 10m0s).",
  },
  {
    name: "experimental-warning-apply-duration",
    kind: "duration",
    defaultText: "100ms",
    section: "Experimental feature",
    usage: "Warn about requests that take longer than this to apply.",
  },
];

const UNSAFE: readonly FlagSpec[] = [
  {
    name: "force-new-cluster",
    kind: "bool",
    defaultText: "false",
    section: "Unsafe feature",
    usage: "Start as a new one-member cluster from the existing data.",
  },
  {
    name: "unsafe-no-fsync",
    kind: "bool",
    defaultText: "false",
    section: "Unsafe feature",
    usage: "Never fsync; a crash can lose or corrupt data.",
  },
];

const DEPRECATED: readonly FlagSpec[] = [
  {
    name: "debug",
    kind: "bool",
    defaultText: "false",
    section: "TO BE DEPRECATED",
    usage: "Debug logging (capnslog only); use --log-level=debug.",
  },
  {
    name: "log-package-levels",
    kind: "string",
    defaultText: "",
    section: "TO BE DEPRECATED",
    usage: "Per-package capnslog levels, e.g. 'etcdmain=CRITICAL,etcdserver=DEBUG'.",
  },
  {
    name: "log-output",
    kind: "uniqueStrings",
    defaultText: "default",
    section: "TO BE DEPRECATED",
    usage: "Old name of --log-outputs.",
  },
];

const TETCD: readonly FlagSpec[] = [
  {
    name: "emulated-etcd-version",
    kind: "string",
    defaultText: DEFAULT_EMULATED_ETCD_VERSION,
    section: "tetcd",
    usage: "etcd version shown in /version, Status and etcd_server_version (env ETCD_EMULATED_ETCD_VERSION).",
  },
];

const COMMAND: readonly FlagSpec[] = [
  {
    name: "config-file",
    kind: "string",
    defaultText: "",
    section: "Hidden",
    usage: "Server configuration file; when given, other flags and ETCD_* variables are ignored.",
    inConfigFile: false,
  },
  {
    name: "version",
    kind: "bool",
    defaultText: "false",
    section: "Hidden",
    usage: "Print the version and exit.",
    inConfigFile: false,
  },
];

export const FLAGS: readonly FlagSpec[] = [
  ...COMMAND,
  ...MEMBER,
  ...CLUSTERING,
  ...PROXY,
  ...SECURITY,
  ...LOGGING,
  ...MONITORING,
  ...AUTH,
  ...EXPERIMENTAL,
  ...UNSAFE,
  ...DEPRECATED,
  ...TETCD,
  ...IGNORED.map(
    (name): FlagSpec => ({
      name,
      kind: "ignored",
      defaultText: "",
      section: "Hidden",
      usage: "",
      inConfigFile: false,
    }),
  ),
];

export const FLAGS_BY_NAME: ReadonlyMap<string, FlagSpec> = new Map(FLAGS.map((f) => [f.name, f]));

/** The default of a flag as --help shows it. */
export function helpDefault(flag: FlagSpec): string {
  return flag.helpDefault ?? flag.defaultText;
}
