// The `tetcd` command: etcd's argument handling, exit statuses and early log lines, then
// the member. Exit statuses are etcd's: 0 for --help and --version, 2 for a usage error
// (unknown flag, bad value), 1 for an invalid configuration or a failed start.
import {
  ConfigError,
  emitNotices,
  type ParseOptions,
  parseServerArgs,
  reportConfigError,
  type ServerConfig,
} from "../config/index.js";
import { createLogger, type Logger, LogOutputError, type LogSettings, stderr, stdout } from "../log/index.js";

export type StartMember = (config: ServerConfig, logger: Logger) => Promise<void>;

const FALLBACK_LOG: LogSettings = { logger: "capnslog", logLevel: "info", logOutputs: ["stderr"] };

/** Runs the command; resolves to the exit status. */
export async function runTetcd(
  args: readonly string[],
  start: StartMember,
  options: ParseOptions = {},
): Promise<number> {
  const sub = args[0];
  if (sub === "gateway" || sub === "grpc-proxy") {
    stderr().write(`tetcd: the '${sub}' command is not built yet\n`);
    return 1;
  }
  const outcome = parseServerArgs(args, options);
  switch (outcome.kind) {
    case "exit":
      if (outcome.stderr !== "") stderr().write(outcome.stderr);
      if (outcome.stdout !== "") stdout().write(outcome.stdout);
      return outcome.code;
    case "invalid":
      return fail(outcome.error, outcome.notices, outcome.log);
    case "run": {
      let logger: Logger;
      try {
        logger = createLogger(outcome.config);
      } catch (e) {
        if (!(e instanceof LogOutputError)) throw e;
        return fail(new ConfigError(e.message), outcome.notices, FALLBACK_LOG);
      }
      emitNotices(outcome.notices, logger);
      try {
        await start(outcome.config, logger);
      } catch (e) {
        logger.log("fatal", "failed to start etcd", { error: e as Error }, `${(e as Error).message}`);
        logger.flush();
        return 1;
      }
      logger.flush();
      return 0;
    }
  }
}

function fail(error: ConfigError, notices: Parameters<typeof emitNotices>[0], log: LogSettings): number {
  let logger: Logger;
  try {
    logger = createLogger(log);
  } catch {
    logger = createLogger(FALLBACK_LOG);
  }
  emitNotices(notices, logger);
  reportConfigError(error, logger);
  logger.flush();
  return 1;
}
