// A running member: the server, its gRPC services and HTTP endpoints on every client
// URL, and its peer and metrics listeners. `bin/tetcd` and `startServer` both build on it.

import { rm } from "node:fs/promises";
import net from "node:net";
import { registerEtcdHttp, registerMetricsOnly } from "../api/etcdhttp/index.js";
import { GrpcServer, messageBytes } from "../api/grpc/index.js";
import { type ClientListener, HttpRouter, JsonGateway, listen, parseClientUrl } from "../api/http/index.js";
import { registerV3Services } from "../api/v3/index.js";
import { logReadyToServe, logServingClients } from "../log/index.js";
import { networkMetrics, setServerId, setServerVersion } from "../metrics/index.js";
import { EtcdServer, type ServerOptions } from "../server/index.js";

/** grpc-go's allowance on top of etcd's --max-request-bytes for a message's framing. */
const GRPC_OVERHEAD_BYTES = 512 * 1024;

export interface MemberOptions extends ServerOptions {
  readonly listenClientUrls: readonly string[];
  readonly listenPeerUrls: readonly string[];
  readonly listenMetricsUrls: readonly string[];
  readonly maxConcurrentStreams: number;
  readonly grpcKeepaliveMinTimeMs: number;
  readonly grpcKeepaliveIntervalMs: number;
  readonly grpcKeepaliveTimeoutMs: number;
  readonly watchProgressNotifyIntervalMs: number;
}

export interface RunningMember {
  readonly server: EtcdServer;
  /** The client URLs as bound (real ports when 0 was asked). */
  readonly clientUrls: readonly string[];
  /** Resolves when the member stopped, with the error that stopped it, if any. */
  readonly done: Promise<Error | undefined>;
  /** Stops accepting, lets in-flight work finish, and closes the data dir. */
  close(): Promise<void>;
}

/**
 * Binds a peer URL. Members talk to each other only once clustering arrives; until then
 * the address is taken (so a second member cannot claim it) and connections are closed.
 */
async function bindPeer(url: string): Promise<() => Promise<void>> {
  const parsed = parseClientUrl(url);
  const server = net.createServer((socket) => socket.destroy());
  const isUnix = parsed.scheme === "unix" || parsed.scheme === "unixs";
  if (isUnix) await rm(parsed.path, { force: true }); // a stale socket file from a crash
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    if (isUnix) server.listen(parsed.path, resolve);
    else server.listen(parsed.port, parsed.host, resolve);
  });
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      if (isUnix) void rm(parsed.path, { force: true });
    });
}

export async function startMember(opts: MemberOptions): Promise<RunningMember> {
  setServerVersion(opts.etcdVersion);
  const server = await EtcdServer.start(opts);
  setServerId(server.memberId);
  const closers: Array<() => Promise<void>> = [];
  const clientUrls: string[] = [];
  try {
    const grpc = new GrpcServer({
      maxReceiveMessageBytes: opts.maxRequestBytes + GRPC_OVERHEAD_BYTES,
      keepalive: {
        minTimeMs: opts.grpcKeepaliveMinTimeMs,
        intervalMs: opts.grpcKeepaliveIntervalMs,
        timeoutMs: opts.grpcKeepaliveTimeoutMs,
      },
    });
    networkMetrics.clientGrpcReceivedBytes.report(() => messageBytes().received);
    networkMetrics.clientGrpcSentBytes.report(() => messageBytes().sent);
    registerV3Services(grpc, server, {
      progressNotifyIntervalMs: opts.watchProgressNotifyIntervalMs,
      maxRequestBytes: opts.maxRequestBytes,
    });
    const router = new HttpRouter();
    registerEtcdHttp(router, server);
    const gateway = new JsonGateway({ grpc, maxConcurrentStreams: opts.maxConcurrentStreams });
    router.handle("/v3/", gateway.serve);
    router.handle("/v3beta/", gateway.serve);
    for (const url of opts.listenPeerUrls) closers.push(await bindPeer(url));
    const listeners: ClientListener[] = [];
    for (const url of opts.listenClientUrls) {
      const listener = await listen(url, {
        grpc,
        http: router.serve,
        maxConcurrentStreams: opts.maxConcurrentStreams,
      });
      listeners.push(listener);
      closers.push(() => listener.close(1000));
      clientUrls.push(listener.url);
    }
    for (const url of opts.listenMetricsUrls) {
      const metricsRouter = new HttpRouter();
      registerMetricsOnly(metricsRouter, server);
      const listener = await listen(url, { http: metricsRouter.serve });
      closers.push(() => listener.close());
    }
    void server.ready.then(() => {
      logReadyToServe(opts.logger);
      for (const l of listeners) {
        const address = typeof l.address === "string" ? l.address : `${l.address.address}:${l.address.port}`;
        logServingClients(opts.logger, address, l.secure);
      }
    });
  } catch (e) {
    for (const close of closers.reverse()) await close();
    await server.stop();
    throw e;
  }
  let closing: Promise<void> | undefined;
  return {
    server,
    clientUrls,
    done: server.done,
    close: () => {
      closing ??= (async () => {
        for (const close of closers.reverse()) await close();
        await server.stop();
      })();
      return closing;
    },
  };
}
