// Logs in etcd's shapes: zap JSON lines (tetcd's default, as etcd 3.5) and capnslog text
// lines (etcd 3.4's default), plus etcd's well-known lines and Go's duration text.
export { DurationSyntaxError, formatDuration, parseDuration } from "./duration.js";
export {
  isLogLevelName,
  type Level,
  LOG_LEVEL_NAMES,
  type LogLevelName,
  parsePackageLevels,
} from "./levels.js";
export {
  idHex,
  logCapabilities,
  logPublished,
  logReadyToServe,
  logServingClients,
  type Published,
} from "./lines.js";
export {
  createLogger,
  type Fields,
  type LogFormat,
  type Logger,
  type LoggerOptions,
  type LogSettings,
} from "./logger.js";
export { type MemoryWriter, memoryWriter } from "./memory.js";
export { goOpenError, LogOutputError, type LogWriter, stderr, stdout } from "./outputs.js";
