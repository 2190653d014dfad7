// One client port for everything, as etcd's: a listener for a client URL (http, https,
// unix, unixs) that serves HTTP/1.1 and HTTP/2 on the same socket and sends gRPC calls to
// the GrpcServer and every other request to an HTTP handler.
//
// Cleartext connections are told apart by the HTTP/2 connection preface (h2c with prior
// knowledge); TLS connections by the protocol ALPN negotiated ("h2" or "http/1.1").
// HTTP/2 connections whose first request is a gRPC call are framed by us (H2Connection: a
// unary response leaves in one write); the others go to node:http2, through an AuthorityShim
// when their :authority would be refused by nghttp2 (grpc-go dialed with a URL sends
// "http://host:port").
import assert from "node:assert";
import { unlinkSync } from "node:fs";
import http from "node:http";
import http2, { type IncomingHttpHeaders, type ServerHttp2Stream } from "node:http2";
import net from "node:net";
import tls from "node:tls";
import type { GrpcServer } from "../grpc/index.js";
import { isGrpcRequest } from "../grpc/index.js";
import { gateAuthority } from "./authority-gate.js";
import { AuthorityShim } from "./authority-shim.js";
import { H2Connection } from "./h2-connection.js";
import type { HttpHandler } from "./router.js";

/** TLS settings for https:// and unixs:// URLs (node:tls server options: key, cert, ca, ...). */
export type ListenerTls = tls.TlsOptions;

export interface ListenerOptions {
  /** Receives gRPC calls (HTTP/2 requests with content-type application/grpc*). */
  grpc?: GrpcServer;
  /** Receives every other request, HTTP/1.1 or HTTP/2. */
  http: HttpHandler;
  /** Required for https:// and unixs:// URLs. */
  tls?: ListenerTls;
  /** HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS per connection (etcd --max-concurrent-streams, default 2^32-1). */
  maxConcurrentStreams?: number;
  /**
   * Who frames connections whose first request is gRPC: "own" (default) or "node" (node:http2,
   * as every other HTTP/2 connection). Both serve the whole protocol; tests run against both.
   */
  grpcFraming?: GrpcFraming;
}

export type GrpcFraming = "own" | "node";

export interface ClientListener {
  /** The URL as bound: "http://127.0.0.1:2379" (the real port when 0 was asked), "unix://path". */
  readonly url: string;
  /** The TCP address, or the socket path. */
  readonly address: net.AddressInfo | string;
  /** True for https:// and unixs://. */
  readonly secure: boolean;
  /**
   * Stops accepting, sends GOAWAY on HTTP/2 connections and closes idle HTTP/1.1 ones; after
   * `graceMs` (default 0: at once) destroys whatever is still open.
   */
  close(graceMs?: number): Promise<void>;
}

interface ParsedUrl {
  scheme: "http" | "https" | "unix" | "unixs";
  host: string;
  port: number;
  path: string;
}

/** Splits a client URL as etcd does (unix://host:port names a socket file "host:port"). */
export function parseClientUrl(url: string): ParsedUrl {
  const match = /^(https?|unixs?):\/\/(.*)$/.exec(url);
  if (match === null)
    throw new Error(`unsupported client URL ${JSON.stringify(url)} (want http, https, unix or unixs)`);
  const scheme = match[1] as ParsedUrl["scheme"];
  const rest = match[2]!;
  if (scheme === "unix" || scheme === "unixs") {
    if (rest === "") throw new Error(`client URL ${url} names no socket`);
    return { scheme, host: "", port: 0, path: rest };
  }
  const hostPort = rest.replace(/\/.*$/, "");
  const m = /^(\[[^\]]+\]|[^:]*):(\d+)$/.exec(hostPort);
  if (m === null) throw new Error(`client URL ${url} must have a host and a port`);
  const host = m[1]!.replace(/^\[(.*)\]$/, "$1");
  const port = Number(m[2]);
  if (port > 65535) throw new Error(`client URL ${url} has an invalid port`);
  return { scheme, host, port, path: "" };
}

const preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
const streamWindowBytes = 1 << 20;
const connectionWindowBytes = 16 << 20;

/** Starts listening on a client URL. */
export async function listen(url: string, options: ListenerOptions): Promise<ClientListener> {
  const parsed = parseClientUrl(url);
  const secure = parsed.scheme === "https" || parsed.scheme === "unixs";
  if (secure) assert(options.tls !== undefined, `${url} needs TLS settings`);

  const maxConcurrentStreams = options.maxConcurrentStreams ?? 2 ** 32 - 1;
  const h1 = http.createServer({ requestTimeout: 0 }, options.http);
  const h2 = http2.createServer({
    // Flow-control windows sized for etcd's large messages (requests up to 1.5 MiB, big
    // range answers) rather than HTTP/2's 64 KiB default: 1 MiB per stream, 16 MiB per connection.
    settings: {
      maxConcurrentStreams,
      initialWindowSize: streamWindowBytes,
    },
    // Sessions carry many streams with large messages; node's 10 MB default would reset them.
    maxSessionMemory: 1024,
  });
  const grpc = options.grpc;
  const httpHandler = options.http;
  // Connections framed by node:http2 (sessions) or by us: both get GOAWAY on close.
  const sessions = new Set<http2.ServerHttp2Session | H2Connection>();
  const shims = new WeakMap<http2.Http2Session, AuthorityShim>();
  h2.on("session", (session) => {
    sessions.add(session);
    session.once("connect", () => session.setLocalWindowSize(connectionWindowBytes));
    const shim = AuthorityShim.adopt(session);
    if (shim !== undefined) shims.set(session, shim);
    session.once("close", () => sessions.delete(session));
    session.on("error", ignore);
    grpc?.handleSession(session);
  });
  h2.on(
    "stream",
    (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, _flags: number, rawHeaders: string[]) => {
      // Handlers see the :authority the client sent, not the one nghttp2 was shown.
      const shim = stream.session === undefined ? undefined : shims.get(stream.session);
      if (shim !== undefined && stream.id !== undefined)
        shim.restoreOriginals(stream.id, headers, rawHeaders);
      if (grpc !== undefined && isGrpcRequest(headers)) {
        grpc.handleStream(stream, headers);
        return;
      }
      serveCompat(stream, headers, rawHeaders, httpHandler);
    },
  );

  const ownGrpc =
    grpc === undefined || options.grpcFraming === "node"
      ? undefined
      : (socket: net.Socket, initial: Buffer): void => {
          const connection = grpc.handleConnection(socket, {
            initial,
            maxConcurrentStreams,
            streamWindowBytes,
            connectionWindowBytes,
          });
          sessions.add(connection);
          void connection.closed.then(() => sessions.delete(connection));
        };
  const toH2 = (socket: net.Socket): void =>
    gateAuthority(socket, {
      direct: (raw) => h2.emit("connection", raw),
      shimmed: (shim) => h2.emit("connection", shim),
      ...(ownGrpc !== undefined && { grpc: ownGrpc }),
    });

  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", ignore);
  };

  let server: net.Server;
  if (secure) {
    server = tls.createServer(
      { noDelay: true, ...options.tls, ALPNProtocols: ["h2", "http/1.1"] },
      (socket) => {
        if (socket.alpnProtocol === "h2") toH2(socket);
        else h1.emit("connection", socket);
      },
    );
    server.on("connection", track);
    server.on("tlsClientError", ignore);
  } else {
    // Small request/response messages must not wait for Nagle's algorithm.
    server = net.createServer({ noDelay: true }, (socket) => {
      track(socket);
      sniff(socket, h1, toH2);
    });
  }

  const isUnix = parsed.path !== "";
  if (isUnix) {
    // A socket file left by a previous run would make listen fail; etcd removes it too.
    try {
      unlinkSync(parsed.path);
    } catch {}
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    const ready = (): void => {
      server.off("error", reject);
      resolve();
    };
    if (isUnix) server.listen(parsed.path, ready);
    else server.listen(parsed.port, parsed.host === "" ? undefined : parsed.host, ready);
  });

  const bound = server.address();
  assert(bound !== null);
  const address = typeof bound === "string" ? bound : bound;
  const boundUrl =
    typeof address === "string"
      ? `${parsed.scheme}://${parsed.path}`
      : `${parsed.scheme}://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;

  let closing: Promise<void> | undefined;
  const close = (graceMs = 0): Promise<void> => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      h1.closeIdleConnections();
      for (const session of sessions) session.close();
      if (graceMs > 0 && sockets.size > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, graceMs);
          const check = setInterval(() => {
            if (sockets.size === 0) {
              clearTimeout(timer);
              clearInterval(check);
              resolve();
            }
          }, 10);
          timer.unref();
          check.unref();
        });
      }
      const sessionsClosed = [...sessions].map((session) =>
        session instanceof H2Connection
          ? session.closed
          : new Promise((resolve) => session.once("close", resolve)),
      );
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
      // Once every session has closed, every call on it has been cancelled.
      await Promise.all(sessionsClosed);
      await closed;
      if (isUnix) {
        try {
          unlinkSync(parsed.path);
        } catch {}
      }
    })();
    return closing;
  };

  return { url: boundUrl, address, secure, close };
}

function ignore(): void {}

/**
 * Reads the first bytes of a cleartext connection and hands it, bytes put back, to the
 * HTTP/2 server if they are the HTTP/2 preface, else to the HTTP/1.1 server.
 */
function sniff(socket: net.Socket, h1: http.Server, h2: (socket: net.Socket) => void): void {
  let head: Buffer = Buffer.alloc(0);
  const onReadable = (): void => {
    for (let chunk: Buffer | null = socket.read(); chunk !== null; chunk = socket.read()) {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
    }
    if (head.length === 0) return;
    const n = Math.min(head.length, preface.length);
    const isH2 = head.compare(preface, 0, n, 0, n) === 0;
    if (isH2 && n < preface.length) return; // a prefix of the preface so far: wait for more
    socket.off("readable", onReadable);
    socket.unshift(head);
    if (isH2) h2(socket);
    else h1.emit("connection", socket);
  };
  socket.on("readable", onReadable);
}

/** Serves a non-gRPC HTTP/2 stream through node's compatibility API, as its own server would. */
function serveCompat(
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  rawHeaders: string[],
  handler: HttpHandler,
): void {
  stream.on("error", ignore);
  const Request = http2.Http2ServerRequest as unknown as new (
    stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    options: undefined,
    rawHeaders: string[],
  ) => http2.Http2ServerRequest;
  const Response = http2.Http2ServerResponse as unknown as new (
    stream: ServerHttp2Stream,
  ) => http2.Http2ServerResponse;
  const req = new Request(stream, headers, undefined, rawHeaders);
  const res = new Response(stream);
  if (headers.expect === "100-continue") res.writeContinue();
  handler(req, res);
}
