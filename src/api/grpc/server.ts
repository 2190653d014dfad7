// The gRPC server: a registry of methods and their handlers, fed HTTP/2 streams by the
// client listener (src/api/http) or calls from inside the process (the JSON gateway).
import assert from "node:assert";
import type { IncomingHttpHeaders, ServerHttp2Session, ServerHttp2Stream } from "node:http2";
import type { CallLimits, Registered } from "./call.js";
import { H2Call, ignoreError, respondTrailersOnly } from "./h2-call.js";
import type { HandlerFor, ServiceHandlers } from "./handlers.js";
import { ConnectionKeepalive, defaultKeepalive, type KeepaliveOptions } from "./keepalive.js";
import {
  type LocalCall,
  type LocalCallListener,
  type LocalCallOptions,
  LocalServerCall,
} from "./local-call.js";
import { Metadata } from "./metadata.js";
import type { AnyMethod } from "./method.js";
import { methodStats } from "./metrics.js";
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

/** True when an HTTP/2 request is a gRPC call (etcd routes on the same test). */
export function isGrpcRequest(headers: IncomingHttpHeaders): boolean {
  const contentType = headers["content-type"];
  return contentType?.startsWith("application/grpc") === true;
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

  /** Applies the keepalive policy to a new HTTP/2 connection. */
  handleSession(session: ServerHttp2Session): void {
    const s = session as Session;
    if (s[kKeepalive] === undefined) s[kKeepalive] = new ConnectionKeepalive(session, this.#keepalive);
  }

  /** Serves one HTTP/2 stream that isGrpcRequest() accepted. */
  handleStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    stream.on("error", ignoreError);
    const contentType = responseContentType(headers["content-type"]);
    if (headers[":method"] !== "POST") {
      respondTrailersOnly(stream, contentType, Status.INTERNAL, "invalid gRPC request method", 405);
      return;
    }
    let timeoutMs: number | undefined;
    const timeoutHeader = headers["grpc-timeout"];
    if (typeof timeoutHeader === "string") {
      const parsed = parseGrpcTimeout(timeoutHeader);
      if (parsed instanceof Error) {
        // grpc-go resets a stream whose headers do not parse.
        stream.close(0x1);
        return;
      }
      timeoutMs = parsed;
    }
    const path = headers[":path"] ?? "";
    const registered = this.#byPath.get(path);
    if (registered === undefined) {
      const { code, message } = this.#unknown(path);
      respondTrailersOnly(stream, contentType, code, message);
      return;
    }
    const encoding = headers["grpc-encoding"];
    if (encoding !== undefined && encoding !== "identity") {
      respondTrailersOnly(
        stream,
        contentType,
        Status.UNIMPLEMENTED,
        `grpc: Decompressor is not installed for grpc-encoding ${JSON.stringify(encoding)}`,
      );
      return;
    }
    const keepalive = (stream.session as Session | undefined)?.[kKeepalive];
    new H2Call(
      stream,
      headers,
      registered,
      new Metadata(headers),
      timeoutMs,
      this.#limits,
      contentType,
      keepalive,
    ).start();
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
