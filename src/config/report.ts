// Reporting a configuration error the way etcd's main does before exiting 1.
import type { Logger } from "../log/index.js";
import { type ConfigError, UNSET_ADVERTISE_CLIENT_URLS } from "./errors.js";
import { emitNotices } from "./notices.js";

export function reportConfigError(error: ConfigError, logger: Logger, program = "tetcd"): void {
  if (error.report) {
    emitNotices([error.report], logger);
    return;
  }
  const main = logger.child("etcdmain");
  // zap warns, capnslog errors (etcd's own choice of levels).
  const level = logger.format === "zap" ? "warn" : "error";
  main.log(
    level,
    "failed to verify flags",
    { error: error.message },
    `error verifying flags, ${error.message}. See '${program} --help'.`,
  );
  if (error.message === UNSET_ADVERTISE_CLIENT_URLS) {
    main.log(
      level,
      "advertise client URLs are not set",
      { error: error.message },
      "When listening on specific address(es), this etcd process must advertise accessible url(s) to each connected client.",
    );
  }
}
