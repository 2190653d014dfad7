// Starts a throwaway etcd-compatible server for integration tests: the real etcd 3.4 by
// default, or the command in TETCD_COMPAT_SERVER (placeholders {dataDir}, {clientUrl},
// {peerUrl}, {clientPort}, {peerPort}), e.g. "node dist/bin/tetcd.js --data-dir {dataDir} ...".
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { childEnv } from "./child-env.js";

const DEFAULT_SERVER =
  "etcd --name default --data-dir {dataDir} --listen-client-urls {clientUrl} --advertise-client-urls {clientUrl} " +
  "--listen-peer-urls {peerUrl} --initial-advertise-peer-urls {peerUrl} --initial-cluster default={peerUrl}";

/** A port that was free a moment ago (the kernel's pick for port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Ports {
  client: number;
  peer: number;
}

export async function freePorts(): Promise<Ports> {
  const client = await freePort();
  let peer = await freePort();
  while (peer === client) peer = await freePort();
  return { client, peer };
}

export class EtcdServer {
  private constructor(
    private readonly proc: ChildProcess,
    readonly dataDir: string,
    readonly endpoint: string,
  ) {}

  /** Starts a server on these ports, on a fresh data directory unless one is given. */
  static async start(
    ports: Ports,
    dataDir = mkdtempSync(join(tmpdir(), "tetcd-test-")),
  ): Promise<EtcdServer> {
    const clientUrl = `http://127.0.0.1:${ports.client}`;
    const peerUrl = `http://127.0.0.1:${ports.peer}`;
    const cmd = (process.env.TETCD_COMPAT_SERVER ?? DEFAULT_SERVER)
      .replaceAll("{dataDir}", dataDir)
      .replaceAll("{clientUrl}", clientUrl)
      .replaceAll("{peerUrl}", peerUrl)
      .replaceAll("{clientPort}", String(ports.client))
      .replaceAll("{peerPort}", String(ports.peer));
    const proc = spawn("sh", ["-c", `exec ${cmd}`], {
      env: childEnv(),
      stdio: ["ignore", "ignore", "pipe"],
      detached: false,
    });
    let log = "";
    proc.stderr?.on("data", (d: Buffer) => {
      log = (log + d.toString()).slice(-4000);
    });
    const server = new EtcdServer(proc, dataDir, `127.0.0.1:${ports.client}`);
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`server exited: ${log}`);
      const r = spawnSync(
        "etcdctl",
        ["--endpoints", server.endpoint, "--command-timeout", "1s", "member", "list"],
        {
          env: { PATH: process.env.PATH, ETCDCTL_API: "3" },
          encoding: "utf8",
        },
      );
      if (r.status === 0) return server;
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error(`server did not become ready: ${log}`);
      }
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  /** Stops the server (SIGKILL: a crash, not a graceful stop). */
  async kill(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((r) => this.proc.once("exit", r));
    this.proc.kill("SIGKILL");
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
