// etcd's JSON gateway (grpc-gateway 1.x as etcd 3.4 configures it), generic over the routes
// of gateway-routes.ts: a JSON request body becomes the method's request message, the
// registered gRPC handler runs in-process, and the response (or error) is written as the
// gateway writes it. Streaming routes read a stream of JSON objects and write one
// {"result":...} line per response message.
//
// etcd's gateway reaches its gRPC server over one client connection, so at most
// --max-concurrent-streams gateway calls run at once and further ones wait for a slot (etcd's
// e2e TestV3Curl_MaxStreams_* rely on it); `maxConcurrentStreams` reproduces that.
import type { IncomingHttpHeaders } from "node:http";
import type protobuf from "protobufjs";
import {
  GrpcError,
  type GrpcServer,
  type HeaderValues,
  type LocalCall,
  Metadata,
  parseGrpcTimeout,
  peerAddress,
  type ReceivedMetadata,
  Status,
} from "../grpc/index.js";
import { gatewayRoutes } from "./gateway-routes.js";
import { GoJsonError, goQuote, type JsonNode, readStreamValue } from "./gojson.js";
import { jsonToMessage, messageToJson, methodTypes } from "./jsonpb.js";
import { type HttpHandler, type HttpRequest, type HttpResponse, requestPath, sendText } from "./router.js";

export interface GatewayOptions {
  grpc: GrpcServer;
  /** Gateway calls in flight at once (etcd --max-concurrent-streams; default 2^32-1). */
  maxConcurrentStreams?: number;
  /**
   * Largest JSON request body (or streamed JSON value) read. Beyond it the call fails as
   * too large a gRPC message would. Default: twice the gRPC receive limit plus 1 MiB.
   */
  maxRequestBodyBytes?: number;
}

interface Route {
  path: string;
  method: string;
  requestStream: boolean;
  responseStream: boolean;
  request: protobuf.Type;
  response: protobuf.Type;
}

/** grpc-gateway's HTTPStatusFromCode. */
export function httpStatusFromCode(code: Status): number {
  const table: Record<number, number> = {
    [Status.OK]: 200,
    [Status.CANCELLED]: 408,
    [Status.UNKNOWN]: 500,
    [Status.INVALID_ARGUMENT]: 400,
    [Status.DEADLINE_EXCEEDED]: 504,
    [Status.NOT_FOUND]: 404,
    [Status.ALREADY_EXISTS]: 409,
    [Status.PERMISSION_DENIED]: 403,
    [Status.UNAUTHENTICATED]: 401,
    [Status.RESOURCE_EXHAUSTED]: 429,
    [Status.FAILED_PRECONDITION]: 412,
    [Status.ABORTED]: 409,
    [Status.OUT_OF_RANGE]: 400,
    [Status.UNIMPLEMENTED]: 501,
    [Status.INTERNAL]: 500,
    [Status.UNAVAILABLE]: 503,
    [Status.DATA_LOSS]: 500,
  };
  return table[code] ?? 500;
}

const statusTexts: Record<number, string> = {
  200: "OK",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  408: "Request Timeout",
  409: "Conflict",
  412: "Precondition Failed",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** grpc-gateway's error body: {"error","message","code"}, empty strings and zero left out (jsonpb). */
export function errorBody(error: GrpcError): string {
  const parts: string[] = [];
  if (error.message !== "")
    parts.push(`"error":${goQuote(error.message)}`, `"message":${goQuote(error.message)}`);
  if (error.code !== Status.OK) parts.push(`"code":${error.code}`);
  return `{${parts.join(",")}}`;
}

/** A stream's error chunk, as grpc-gateway's streamChunk writes it. */
export function streamErrorChunk(error: GrpcError): string {
  const http = httpStatusFromCode(error.code);
  const parts: string[] = [];
  if (error.code !== Status.OK) parts.push(`"grpc_code":${error.code}`);
  parts.push(`"http_code":${http}`);
  if (error.message !== "") parts.push(`"message":${goQuote(error.message)}`);
  parts.push(`"http_status":${goQuote(statusTexts[http] ?? "")}`);
  return `{"error":{${parts.join(",")}}}`;
}

/** Go's textproto.CanonicalMIMEHeaderKey. */
export function canonicalHeaderKey(key: string): string {
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(key)) return key;
  return key.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

// grpc-gateway's isPermanentHTTPHeader: passed to the handler as "grpcgateway-<Key>".
const permanentHeaders = new Set(
  "Accept Accept-Charset Accept-Language Accept-Ranges Authorization Cache-Control Content-Type Cookie Date Expect From Host If-Match If-Modified-Since If-None-Match If-Schedule-Tag-Match If-Unmodified-Since Max-Forwards Origin Pragma Referer User-Agent Via Warning".split(
    " ",
  ),
);

/** The call's metadata and timeout from the HTTP request, as grpc-gateway's AnnotateContext derives them. */
export function annotate(req: HttpRequest): { metadata: HeaderValues; timeoutMs?: number } {
  const headers: IncomingHttpHeaders = req.headers;
  const md: Record<string, string[]> = {};
  const add = (key: string, value: string): void => {
    const k = key.toLowerCase();
    const values = md[k];
    if (values === undefined) md[k] = [value];
    else values.push(value);
  };
  let timeoutMs: number | undefined;
  const timeout = headers["grpc-timeout"];
  if (typeof timeout === "string") {
    const parsed = parseGrpcTimeout(timeout);
    if (parsed instanceof Error)
      throw new GrpcError(Status.INVALID_ARGUMENT, `invalid grpc-timeout: ${timeout}`);
    timeoutMs = parsed;
  }
  for (const [name, raw] of Object.entries(headers)) {
    if (name.startsWith(":") || name === "host" || raw === undefined) continue;
    const key = canonicalHeaderKey(name);
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      if (key === "Authorization") add("authorization", value);
      let target: string | undefined;
      if (permanentHeaders.has(key)) target = `grpcgateway-${key}`;
      else if (key.startsWith("Grpc-Metadata-")) target = key.slice("Grpc-Metadata-".length);
      if (target === undefined) continue;
      if (key.endsWith("-Bin") && !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
        throw new GrpcError(Status.INVALID_ARGUMENT, `invalid binary header ${key}: illegal base64 data`);
      }
      add(target, value);
    }
  }
  const host = headers["x-forwarded-host"] ?? headers.host ?? headers[":authority"];
  if (typeof host === "string" && host !== "") add("x-forwarded-host", host);
  const remote = req.socket?.remoteAddress;
  if (remote !== undefined) {
    const forwarded = headers["x-forwarded-for"];
    add(
      "x-forwarded-for",
      typeof forwarded === "string" && forwarded !== "" ? `${forwarded}, ${remote}` : remote,
    );
  }
  return timeoutMs === undefined ? { metadata: md } : { metadata: md, timeoutMs };
}

/** Waiters for a bounded number of in-flight calls, served first come first served. */
class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.#free = limit;
  }

  /** Runs `start` once a slot is free; returns a function that cancels the wait. */
  acquire(start: () => void): () => void {
    if (this.#free > 0) {
      this.#free--;
      start();
      return () => {};
    }
    this.#waiting.push(start);
    return () => {
      const i = this.#waiting.indexOf(start);
      if (i !== -1) this.#waiting.splice(i, 1);
    };
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next !== undefined) next();
    else this.#free++;
  }
}

function metadataHeaders(
  md: ReceivedMetadata,
  prefix: string,
  into: Record<string, string | string[]>,
): void {
  for (const [key, value] of Object.entries(md)) {
    into[canonicalHeaderKey(`${prefix}${key}`)] =
      typeof value === "string" ? value : value.toString("base64");
  }
}

function writeError(
  res: HttpResponse,
  error: GrpcError,
  headerMd: ReceivedMetadata | undefined,
  trailerMd: ReceivedMetadata | undefined,
): void {
  if (res.headersSent || res.writableEnded) return;
  const body = Buffer.from(errorBody(error));
  const headers: Record<string, string | string[] | number> = { "Content-Type": "application/json" };
  if (headerMd !== undefined) metadataHeaders(headerMd, "Grpc-Metadata-", headers as Record<string, string>);
  const trailers: Record<string, string> = {};
  if (trailerMd !== undefined) metadataHeaders(trailerMd, "Grpc-Trailer-", trailers);
  const trailerKeys = Object.keys(trailers);
  if (trailerKeys.length === 0) headers["Content-Length"] = body.length;
  else headers.Trailer = trailerKeys;
  const r = res as import("node:http").ServerResponse;
  r.writeHead(httpStatusFromCode(error.code), headers);
  if (trailerKeys.length > 0) {
    r.write(body);
    r.addTrailers(trailers);
    r.end();
  } else {
    r.end(body);
  }
}

/** A request body read to its end, or the first `limit` bytes and the total length. */
function readBody(req: HttpRequest, limit: number): Promise<{ body: Buffer; length: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    req.on("data", (chunk: Buffer) => {
      length += chunk.length;
      if (length <= limit) chunks.push(chunk);
    });
    req.on("end", () => resolve({ body: Buffer.concat(chunks), length }));
    req.on("error", reject);
  });
}

export class JsonGateway {
  readonly #grpc: GrpcServer;
  readonly #routes = new Map<string, Route>();
  readonly #slots: Slots;
  readonly #maxBody: number;

  constructor(options: GatewayOptions) {
    this.#grpc = options.grpc;
    this.#slots = new Slots(options.maxConcurrentStreams ?? 2 ** 32 - 1);
    this.#maxBody =
      options.maxRequestBodyBytes ?? 2 * options.grpc.limits.maxReceiveMessageBytes + 1024 * 1024;
    for (const [path, method] of gatewayRoutes) {
      if (this.#routes.has(path)) continue; // the first registration wins, as in grpc-gateway
      this.#routes.set(path, { path, method, ...methodTypes(method) });
    }
  }

  /** Serves requests under /v3/ and /v3beta/ (mount it at both prefixes). */
  readonly serve: HttpHandler = (req, res) => {
    let path = requestPath(req);
    if (path.startsWith("/v3beta/")) path = `/v3/${path.slice("/v3beta/".length)}`;
    const route = path.startsWith("/v3/") ? this.#routes.get(path.slice(3)) : undefined;
    if (route === undefined) {
      sendText(res, 404, "Not Found\n");
      return;
    }
    if (req.method !== "POST") {
      sendText(res, 405, "Method Not Allowed\n");
      return;
    }
    let annotated: ReturnType<typeof annotate>;
    try {
      annotated = annotate(req);
    } catch (error) {
      writeError(res, GrpcError.from(error), undefined, undefined);
      return;
    }
    if (route.requestStream) this.#serveClientStream(route, req, res, annotated);
    else void this.#serveSingleRequest(route, req, res, annotated);
  };

  /** The routes served: [HTTP path under /v3, gRPC method path]. */
  routes(): [string, string][] {
    return [...this.#routes.values()].map((r) => [r.path, r.method]);
  }

  async #serveSingleRequest(
    route: Route,
    req: HttpRequest,
    res: HttpResponse,
    annotated: ReturnType<typeof annotate>,
  ): Promise<void> {
    let request: Uint8Array;
    try {
      const { body, length } = await readBody(req, this.#maxBody);
      if (length > this.#maxBody) {
        throw new GrpcError(
          Status.RESOURCE_EXHAUSTED,
          `grpc: received message larger than max (${length} vs. ${this.#grpc.limits.maxReceiveMessageBytes})`,
        );
      }
      const read = readStreamValue(body, 0, true);
      const node: JsonNode | undefined = read === "more" || read.done ? undefined : read.node;
      request = jsonToMessage(route.request, node);
    } catch (error) {
      const e =
        error instanceof GoJsonError
          ? new GrpcError(Status.INVALID_ARGUMENT, error.message)
          : GrpcError.from(error);
      writeError(res, e, undefined, undefined);
      return;
    }
    const exchange = new Exchange(this.#grpc, this.#slots, route, req, res, annotated);
    exchange.start((call) => {
      call.sendMessage(request);
      call.halfClose();
    });
  }

  #serveClientStream(
    route: Route,
    req: HttpRequest,
    res: HttpResponse,
    annotated: ReturnType<typeof annotate>,
  ): void {
    const exchange = new Exchange(this.#grpc, this.#slots, route, req, res, annotated);
    exchange.start((call) => {
      let pending: Buffer = Buffer.alloc(0);
      let sent = 0;
      let stopped = false;
      const stop = (): void => {
        stopped = true;
        req.removeListener("data", onData);
        req.resume();
      };
      // grpc-gateway: a bad first message fails the request; a later one just ends the input.
      const pump = (final: boolean): void => {
        while (!stopped) {
          let read: ReturnType<typeof readStreamValue>;
          let message: Uint8Array;
          try {
            read = readStreamValue(pending, 0, final);
            if (read === "more") {
              if (pending.length > this.#maxBody) throw new GoJsonError("request message too large");
              return;
            }
            if (read.done) {
              stop();
              call.halfClose();
              return;
            }
            message = jsonToMessage(route.request, read.node);
            pending = pending.subarray(read.end);
          } catch (error) {
            stop();
            if (sent === 0) exchange.fail(new GrpcError(Status.UNKNOWN, (error as Error).message));
            else call.halfClose();
            return;
          }
          sent++;
          call.sendMessage(message);
        }
      };
      const onData = (chunk: Buffer): void => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        pump(false);
      };
      req.on("data", onData);
      req.on("end", () => pump(true));
    });
  }
}

/** One gateway request: waits for a call slot, runs the call, writes the HTTP response. */
class Exchange {
  #call: LocalCall | undefined;
  #slotHeld = false;
  #cancelWait: (() => void) | undefined;
  #done = false;
  #headerMd: ReceivedMetadata | undefined;
  #response: Buffer | undefined;
  #streamStarted = false;

  constructor(
    readonly grpc: GrpcServer,
    readonly slots: Slots,
    readonly route: Route,
    readonly req: HttpRequest,
    readonly res: HttpResponse,
    readonly annotated: ReturnType<typeof annotate>,
  ) {}

  start(feed: (call: LocalCall) => void): void {
    this.res.once("close", () => {
      if (this.#done) return;
      this.#done = true;
      this.#cancelWait?.();
      this.#call?.cancel();
    });
    this.#cancelWait = this.slots.acquire(() => {
      this.#cancelWait = undefined;
      if (this.#done) {
        this.slots.release();
        return;
      }
      this.#slotHeld = true;
      const peer = peerAddress(this.req.socket);
      const authority = this.req.headers.host ?? this.req.headers[":authority"];
      this.#call = this.grpc.startCall(
        this.route.method,
        {
          metadata: new Metadata(this.annotated.metadata),
          ...(this.annotated.timeoutMs === undefined ? {} : { timeoutMs: this.annotated.timeoutMs }),
          peer,
          ...(typeof authority === "string" ? { authority } : {}),
        },
        {
          onHeaders: (md) => {
            this.#headerMd = md;
          },
          onMessage: (body) => this.#onMessage(body),
          onStatus: (error, trailers) => this.#onStatus(error, trailers),
        },
      );
      feed(this.#call);
    });
  }

  /** Ends the request with an error before any response was written (grpc-gateway's HTTPError). */
  fail(error: GrpcError): void {
    if (this.#done) return;
    this.#done = true;
    this.#call?.cancel();
    writeError(this.res, error, undefined, undefined);
  }

  #onMessage(body: Buffer): void {
    if (this.#done) return;
    if (!this.route.responseStream) {
      this.#response = body;
      return;
    }
    const res = this.res as import("node:http").ServerResponse;
    if (!this.#streamStarted) {
      this.#streamStarted = true;
      res.writeHead(200, this.#streamHeaders());
    }
    const line = `{"result":${messageToJson(this.route.response, body)}}\n`;
    if (!res.write(line)) {
      this.#call?.pause();
      res.once("drain", () => this.#call?.resume());
    }
  }

  #streamHeaders(): Record<string, string> {
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (this.#headerMd !== undefined) metadataHeaders(this.#headerMd, "Grpc-Metadata-", headers);
    return headers;
  }

  #onStatus(error: GrpcError | undefined, trailers: ReceivedMetadata): void {
    if (this.#slotHeld) {
      this.#slotHeld = false;
      this.slots.release();
    }
    if (this.#done) return;
    this.#done = true;
    const res = this.res as import("node:http").ServerResponse;
    if (this.route.responseStream) {
      if (error === undefined) {
        if (!this.#streamStarted) res.writeHead(200, this.#streamHeaders());
        res.end();
        return;
      }
      if (!this.#streamStarted) res.writeHead(httpStatusFromCode(error.code), this.#streamHeaders());
      res.end(streamErrorChunk(error));
      return;
    }
    if (error !== undefined) {
      writeError(res, error, this.#headerMd, trailers);
      return;
    }
    const body = Buffer.from(messageToJson(this.route.response, this.#response ?? new Uint8Array(0)));
    const headers: Record<string, string | string[] | number> = { "Content-Type": "application/json" };
    if (this.#headerMd !== undefined)
      metadataHeaders(this.#headerMd, "Grpc-Metadata-", headers as Record<string, string>);
    const trailerHeaders: Record<string, string> = {};
    metadataHeaders(trailers, "Grpc-Trailer-", trailerHeaders);
    const keys = Object.keys(trailerHeaders);
    if (keys.length === 0) {
      headers["Content-Length"] = body.length;
      res.writeHead(200, headers);
      res.end(body);
      return;
    }
    headers.Trailer = keys;
    res.writeHead(200, headers);
    res.write(body);
    res.addTrailers(trailerHeaders);
    res.end();
  }
}
