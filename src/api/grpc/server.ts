// The gRPC server: a registry of methods and their handlers, fed HTTP/2 streams by the
// client listener (src/api/http) or calls from inside the process (the JSON gateway).
import assert from "node:assert";
import type { IncomingHttpHeaders, ServerHttp2Session, ServerHttp2Stream } from "node:http2";
import type net from "node:net";
import { H2Connection, H2ErrorCode, type H2ServerStream } from "../http/h2-connection.js";
import { encodeHeaderBlock } from "../http/hpack-encoder.js";
import type { CallLimits, Registered } from "./call.js";
import type { CallSetup, ConnectionActivity } from "./framed-call.js";
import { H2Call, ignoreError, respondTrailersOnly } from "./h2-call.js";
import type { HandlerFor, ServiceHandlers } from "./handlers.js";
import {
  ConnectionKeepalive,
  defaultKeepalive,
  type KeepaliveOptions,
  keepaliveForSession,
} from "./keepalive.js";
import {
  type LocalCall,
  type LocalCallListener,
  type LocalCallOptions,
  LocalServerCall,
} from "./local-call.js";
import { Metadata } from "./metadata.js";
import type { AnyMethod } from "./method.js";
import { methodStats } from "./metrics.js";
import { OwnH2Call, respondTrailersOnly as respondOwnTrailersOnly } from "./own-h2-call.js";
import { type ServiceMethods, type ServiceName, serviceMethods } from "./services.js";
import { GrpcError, Status } from "./status.js";
import { parseGrpcTimeout } from "./timeout.js";

export interface GrpcServerOptions {
  /** Largest request message accepted (grpc-go's default 4 MiB; etcd: --max-request-bytes + 512 KiB). */
  maxReceiveMessageBytes?: number;
  /** Largest response message sent (etcd: 2^31-1). */
  maxSendMessageBytes?: number;
  /** Keepalive policy per HTTP/2 connection (etcd's --grpc-keepalive-* flags). */
  keepalive?: Partial<KeepaliveOptions>;
}

const kKeepalive = Symbol("grpc.keepalive");
type Session = ServerHttp2Session & { [kKeepalive]?: ConnectionKeepalive };

/** Request header fields, from node:http2 or our own connections. */
type AnyHeaders = Record<string, string | string[] | undefined>;

function first(headers: AnyHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** True when an HTTP/2 request is a gRPC call (etcd routes on the same test). */
export function isGrpcRequest(headers: AnyHeaders): boolean {
  return first(headers, "content-type")?.startsWith("application/grpc") === true;
}

/** Settings of the HTTP/2 connections tetcd frames itself. */
export interface ConnectionSettings {
  /** Bytes already read from the socket, the client preface first. */
  initial: Buffer;
  maxConcurrentStreams: number;
  streamWindowBytes: number;
  connectionWindowBytes: number;
}

/** What a request is routed to, once its headers are found acceptable. */
interface Route {
  registered: Registered;
  timeoutMs: number | undefined;
  contentType: string;
}

/** How a transport turns a request away. */
interface Refusal {
  trailersOnly(contentType: string, code: Status, message: string, httpStatus?: number): void;
  /** Reset the stream (headers that do not parse). */
  reset(): void;
}

function responseContentType(requestType: string | undefined): string {
  if (requestType === undefined || requestType === "application/grpc") return "application/grpc";
  return /^application\/grpc\+[a-z0-9._-]+$/i.test(requestType) ? requestType : "application/grpc";
}

export class GrpcServer {
  readonly #byPath = new Map<string, Registered>();
  readonly #services = new Set<string>();
  readonly #limits: CallLimits;
  readonly #keepalive: KeepaliveOptions;

  constructor(options: GrpcServerOptions = {}) {
    this.#limits = {
      maxReceiveMessageBytes: options.maxReceiveMessageBytes ?? 4 * 1024 * 1024,
      maxSendMessageBytes: options.maxSendMessageBytes ?? 2 ** 31 - 1,
    };
    this.#keepalive = { ...defaultKeepalive, ...options.keepalive };
  }

  /** The message size limits calls are held to. */
  get limits(): CallLimits {
    return this.#limits;
  }

  /** Serves `method` with `handler` (whose shape follows the method's streaming kind). */
  register<M extends AnyMethod>(method: M, handler: HandlerFor<M>): void {
    assert(!this.#byPath.has(method.path), `${method.path} registered twice`);
    assert.equal(typeof handler, "function");
    this.#byPath.set(method.path, {
      method,
      handler: handler as Registered["handler"],
      stats: methodStats(method),
    });
    this.#services.add(method.service);
  }

  /** Serves the given methods of one of etcd's services; the others answer UNIMPLEMENTED. */
  registerService<S extends ServiceName>(service: S, handlers: ServiceHandlers<ServiceMethods<S>>): void {
    const methods = serviceMethods(service) as Record<string, AnyMethod>;
    for (const [name, handler] of Object.entries(handlers as Record<string, unknown>)) {
      const method = methods[name];
      assert(method !== undefined, `${service} has no method ${name}`);
      if (handler !== undefined) this.register(method, handler as HandlerFor<AnyMethod>);
    }
    this.#services.add(service);
  }

  /** The registered method at an HTTP/2 :path ("/etcdserverpb.KV/Range"). */
  lookup(path: string): AnyMethod | undefined {
    return this.#byPath.get(path)?.method;
  }

  /** Applies the keepalive policy to a new connection served by node:http2. */
  handleSession(session: ServerHttp2Session): void {
    const s = session as Session;
    if (s[kKeepalive] === undefined) s[kKeepalive] = keepaliveForSession(session, this.#keepalive);
  }

  /** Serves one HTTP/2 stream of node:http2 that isGrpcRequest() accepted. */
  handleStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    stream.on("error", ignoreError);
    const route = this.#route(headers, {
      trailersOnly: (contentType, code, message, httpStatus) =>
        respondTrailersOnly(stream, contentType, code, message, httpStatus),
      // grpc-go resets a stream whose headers do not parse.
      reset: () => stream.close(0x1),
    });
    if (route === undefined) return;
    const keepalive = (stream.session as Session | undefined)?.[kKeepalive];
    new H2Call(stream, this.#setup(route, headers, keepalive)).start();
  }

  /**
   * Serves an HTTP/2 connection with our own framing (its first request was gRPC). Every
   * stream on it is taken as a gRPC call; others are answered 415 Unsupported Media Type.
   */
  handleConnection(socket: net.Socket, settings: ConnectionSettings): H2Connection {
    let keepalive: ConnectionKeepalive | undefined;
    const connection: H2Connection = new H2Connection(socket, {
      ...settings,
      onStream: (stream, headers) => this.#acceptOwn(stream, headers, keepalive),
      observer: {
        readActivity: () => keepalive?.readActivity(),
        streamOpened: () => keepalive?.streamOpened(),
        streamClosed: () => keepalive?.streamClosed(),
        pingReceived: () => keepalive?.pingReceived(),
        closed: () => keepalive?.closed(),
      },
    });
    keepalive = new ConnectionKeepalive(
      {
        get gone() {
          return connection.destroyed;
        },
        get bytesWritten() {
          return socket.bytesWritten;
        },
        ping: (onAck) => connection.ping(onAck),
        tooManyPings: () => connection.goawayAndClose(H2ErrorCode.ENHANCE_YOUR_CALM, "too_many_pings"),
        destroy: () => connection.destroy(),
      },
      this.#keepalive,
    );
    return connection;
  }

  #acceptOwn(stream: H2ServerStream, headers: AnyHeaders, keepalive: ConnectionKeepalive | undefined): void {
    if (!isGrpcRequest(headers)) {
      stream.respond(encodeHeaderBlock([[":status", "415"]]), true);
      return;
    }
    const route = this.#route(headers, {
      trailersOnly: (contentType, code, message, httpStatus) =>
        respondOwnTrailersOnly(stream, contentType, code, message, httpStatus),
      reset: () => stream.reset(H2ErrorCode.PROTOCOL_ERROR),
    });
    if (route === undefined) return;
    new OwnH2Call(stream, this.#setup(route, headers, keepalive)).start();
  }

  #setup(route: Route, headers: AnyHeaders, activity: ConnectionActivity | undefined): CallSetup {
    return { ...route, metadata: new Metadata(headers), limits: this.#limits, activity };
  }

  /** Checks a gRPC request's headers as grpc-go does; undefined once `refusal` has answered it. */
  #route(headers: AnyHeaders, refusal: Refusal): Route | undefined {
    const contentType = responseContentType(first(headers, "content-type"));
    if (first(headers, ":method") !== "POST") {
      refusal.trailersOnly(contentType, Status.INTERNAL, "invalid gRPC request method", 405);
      return undefined;
    }
    let timeoutMs: number | undefined;
    const timeoutHeader = first(headers, "grpc-timeout");
    if (timeoutHeader !== undefined) {
      const parsed = parseGrpcTimeout(timeoutHeader);
      if (parsed instanceof Error) {
        refusal.reset();
        return undefined;
      }
      timeoutMs = parsed;
    }
    const path = first(headers, ":path") ?? "";
    const registered = this.#byPath.get(path);
    if (registered === undefined) {
      const { code, message } = this.#unknown(path);
      refusal.trailersOnly(contentType, code, message);
      return undefined;
    }
    const encoding = first(headers, "grpc-encoding");
    if (encoding !== undefined && encoding !== "identity") {
      refusal.trailersOnly(
        contentType,
        Status.UNIMPLEMENTED,
        `grpc: Decompressor is not installed for grpc-encoding ${JSON.stringify(encoding)}`,
      );
      return undefined;
    }
    return { registered, timeoutMs, contentType };
  }

  /**
   * Calls a registered method from inside the process, with bytes in and out. Unknown
   * methods report UNIMPLEMENTED through the listener, as over the network.
   */
  startCall(path: string, options: LocalCallOptions, listener: LocalCallListener): LocalCall {
    const registered = this.#byPath.get(path);
    if (registered === undefined) {
      const { code, message } = this.#unknown(path);
      queueMicrotask(() =>
        listener.onStatus(new GrpcError(code, message), { "content-type": "application/grpc" }),
      );
      return { sendMessage() {}, halfClose() {}, cancel() {}, pause() {}, resume() {} };
    }
    const call = new LocalServerCall(registered, options, this.#limits, listener);
    call.start();
    return call;
  }

  /** grpc-go's status for a path no method is registered at. */
  #unknown(path: string): { code: Status; message: string } {
    const name = path.startsWith("/") ? path.slice(1) : path;
    const slash = name.lastIndexOf("/");
    if (slash === -1)
      return { code: Status.RESOURCE_EXHAUSTED, message: `malformed method name: ${JSON.stringify(path)}` };
    const service = name.slice(0, slash);
    const method = name.slice(slash + 1);
    if (!this.#services.has(service))
      return { code: Status.UNIMPLEMENTED, message: `unknown service ${service}` };
    return { code: Status.UNIMPLEMENTED, message: `unknown method ${method} for service ${service}` };
  }
}
