// Configuration errors carry etcd's exact message; `report` says how etcd reports the
// rare ones that are not "error verifying flags" (a fatal log line, or raw stderr).
import type { Notice } from "./notices.js";

export class ConfigError extends Error {
  override name = "ConfigError";

  constructor(
    message: string,
    /** How etcd reports this error instead of the usual "error verifying flags" line. */
    readonly report?: Notice,
  ) {
    super(message);
  }
}

/** etcd's ErrUnsetAdvertiseClientURLsFlag, reported with an extra hint line. */
export const UNSET_ADVERTISE_CLIENT_URLS =
  "--advertise-client-urls is required when --listen-client-urls is set explicitly";

/** etcd's ErrConflictBootstrapFlags. */
export const CONFLICTING_BOOTSTRAP_FLAGS =
  'multiple discovery or bootstrap flags are set. Choose one of "initial-cluster", "discovery" or "discovery-srv"';
