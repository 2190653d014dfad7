// Test harness for integration tests: real tetcd processes on free ports, driven by
// real clients (Debian's etcdctl 3.4, the npm etcd3 client).

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { childEnv } from "./child-env.js";

const TETCD = new URL("../bin/tetcd.js", import.meta.url).pathname;
export const ETCDCTL = process.env.ETCDCTL ?? "/usr/bin/etcdctl";
const READY_LINE = "ready to serve client requests";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export async function tempDir(prefix = "tetcd-test-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export interface MemberOptions {
  /** Reuse a data dir (for restarts); a fresh temp dir otherwise. */
  readonly dataDir?: string;
  readonly clientPort?: number;
  readonly peerPort?: number;
  readonly extraArgs?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly readyTimeoutMs?: number;
}

export interface Member {
  readonly endpoint: string; // host:port, as etcdctl takes it
  readonly clientUrl: string;
  readonly dataDir: string;
  readonly clientPort: number;
  readonly peerPort: number;
  readonly process: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM and wait for exit; returns the exit code or signal. */
  stop(): Promise<number | NodeJS.Signals | null>;
  /** SIGKILL: no chance to flush anything. */
  kill9(): Promise<void>;
  /** Stop and delete the data dir. */
  destroy(): Promise<void>;
}

export async function startMember(options: MemberOptions = {}): Promise<Member> {
  const dataDir = options.dataDir ?? (await tempDir());
  const clientPort = options.clientPort ?? (await freePort());
  const peerPort = options.peerPort ?? (await freePort());
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const args = [
    TETCD,
    "--name",
    "test",
    "--data-dir",
    dataDir,
    "--listen-client-urls",
    clientUrl,
    "--advertise-client-urls",
    clientUrl,
    "--listen-peer-urls",
    peerUrl,
    "--initial-advertise-peer-urls",
    peerUrl,
    "--initial-cluster",
    `test=${peerUrl}`,
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(process.execPath, args, {
    env: childEnv(options.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? code)),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`tetcd not ready after ${options.readyTimeoutMs ?? 20_000} ms:\n${output}`)),
      options.readyTimeoutMs ?? 20_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(READY_LINE)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`tetcd exited (${how}) before it was ready:\n${output}`));
    });
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    return exited;
  };
  return {
    endpoint: `127.0.0.1:${clientPort}`,
    clientUrl,
    dataDir,
    clientPort,
    peerPort,
    process: child,
    output: () => output,
    stop,
    kill9: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    destroy: async () => {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

/** Runs a command to completion, feeding `input` on stdin. */
export function run(
  command: string,
  args: readonly string[],
  options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: childEnv(options.env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** The real etcdctl 3.4 against one endpoint. */
export function etcdctl(endpoint: string, args: readonly string[], input?: string): Promise<CommandResult> {
  return run(ETCDCTL, ["--endpoints", endpoint, ...args], {
    env: { ETCDCTL_API: "3" },
    ...(input === undefined ? {} : { input }),
  });
}
