// A member in a temp dir for tests of the server layer.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger, memoryWriter } from "../log/index.js";
import { DEFAULT_SERVER_OPTIONS, type Logger, type ServerOptions } from "./options.js";
import { EtcdServer } from "./server.js";

/** Writes nothing but errors, to memory. */
export const silentLogger: Logger = createLogger(
  { logger: "zap", logLevel: "error", logOutputs: ["stderr"] },
  { writer: memoryWriter() },
);

export async function tempServerOptions(overrides: Partial<ServerOptions> = {}): Promise<ServerOptions> {
  const dataDir = overrides.dataDir ?? (await mkdtemp(join(tmpdir(), "tetcd-server-")));
  return {
    ...DEFAULT_SERVER_OPTIONS,
    name: "default",
    dataDir,
    advertisePeerUrls: ["http://localhost:2380"],
    advertiseClientUrls: ["http://localhost:2379"],
    initialCluster: new Map([["default", ["http://localhost:2380"]]]),
    initialClusterToken: "etcd-cluster",
    initialClusterState: "new",
    etcdVersion: "3.4.31",
    logger: silentLogger,
    ...overrides,
  };
}

/** Starts a member and waits until it serves; `cleanup` stops it and deletes its data. */
export async function startTestServer(overrides: Partial<ServerOptions> = {}) {
  const opts = await tempServerOptions(overrides);
  const server = await EtcdServer.start(opts);
  await server.ready;
  return {
    server,
    opts,
    cleanup: async () => {
      await server.stop();
      await rm(opts.dataDir, { recursive: true, force: true });
    },
  };
}
