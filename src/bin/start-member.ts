// PLACEHOLDER for the lead: replace this file's body with the server's startMember
// (import it from "../server/index.js"). It receives the validated configuration and
// the process logger; it resolves when the member has stopped.
import type { ServerConfig } from "../config/index.js";
import type { Logger } from "../log/index.js";

export async function startMember(config: ServerConfig, logger: Logger): Promise<void> {
  void config;
  void logger;
  throw new Error("startMember: the server is not built yet");
}
