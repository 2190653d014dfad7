// etcd 3.4's configuration: flags (Go semantics), ETCD_* variables and --config-file,
// validated with etcd's messages into one frozen ServerConfig.
export { logServerStarting } from "./announce.js";
export { DEFAULT_QUOTA_BACKEND_BYTES } from "./build.js";
export { type DefaultHost, detectDefaultHost } from "./defaulthost.js";
export { type Env, flagToEnv } from "./env.js";
export { ConfigError } from "./errors.js";
export { DEFAULT_EMULATED_ETCD_VERSION, FLAGS, type FlagKind, type FlagSpec } from "./flags.js";
export { flagsText, usageText } from "./help.js";
export { emitNotices, type Notice } from "./notices.js";
export { type ParseOptions, type ParseOutcome, parseServerArgs } from "./parse.js";
export { reportConfigError } from "./report.js";
export type { AutoCompaction, ServerConfig, TlsSettings } from "./types.js";
export { NOT_YET_IMPLEMENTED } from "./unimplemented.js";
export { type EtcdUrl, parseEtcdUrl, parseEtcdUrls, parseUrlsMap, type UrlScheme } from "./urls.js";
export { TETCD_VERSION, versionText } from "./version.js";
