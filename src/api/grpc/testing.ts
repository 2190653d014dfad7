// Helpers for tests of the gRPC server and the client port: a server on a free port and
// @grpc/grpc-js clients for any method. Not part of the module's public face.
import * as grpcJs from "@grpc/grpc-js";
import type { Reader, Writer } from "protobufjs";
import { type ClientListener, type GrpcFraming, HttpRouter, listen } from "../http/index.js";
import { GrpcServer, type GrpcServerOptions } from "./server.js";

export interface TestServer {
  grpc: GrpcServer;
  router: HttpRouter;
  listener: ClientListener;
  /** "127.0.0.1:port" */
  target: string;
  close(): Promise<void>;
}

/** Both ways gRPC connections can be framed: the suites run against each. */
export const grpcFramings: readonly GrpcFraming[] = ["own", "node"];

export async function startTestServer(
  grpcFraming: GrpcFraming,
  setup: (grpc: GrpcServer, router: HttpRouter) => void,
  options: GrpcServerOptions & { maxConcurrentStreams?: number } = {},
): Promise<TestServer> {
  const grpc = new GrpcServer(options);
  const router = new HttpRouter();
  setup(grpc, router);
  const listener = await listen("http://127.0.0.1:0", {
    grpc,
    http: router.serve,
    grpcFraming,
    ...(options.maxConcurrentStreams === undefined
      ? {}
      : { maxConcurrentStreams: options.maxConcurrentStreams }),
  });
  const target = listener.url.replace(/^http:\/\//, "");
  return { grpc, router, listener, target, close: () => listener.close() };
}

interface Codec<T, P> {
  encode(message: P, writer?: Writer): Writer;
  decode(reader: Reader | Uint8Array, length?: number): T;
}

/** serialize/deserialize functions for grpc-js from a generated codec class. */
export function serializer<T, P>(
  codec: Codec<T, P>,
): {
  serialize: (value: P) => Buffer;
  deserialize: (bytes: Buffer) => T;
} {
  return {
    serialize: (value) => Buffer.from(codec.encode(value).finish()),
    deserialize: (bytes) => codec.decode(bytes),
  };
}

export function client(target: string, options: grpcJs.ClientOptions = {}): grpcJs.Client {
  return new grpcJs.Client(target, grpcJs.credentials.createInsecure(), options);
}

export interface UnaryResult<Res> {
  response: Res;
  headers: grpcJs.Metadata;
  trailers: grpcJs.Metadata;
}

/** A unary call; rejects with grpc-js's ServiceError (code, details, metadata). */
export function unary<ReqT, ReqP, ResT, ResP>(
  c: grpcJs.Client,
  path: string,
  request: Codec<ReqT, ReqP>,
  response: Codec<ResT, ResP>,
  message: ReqP,
  options: { metadata?: grpcJs.Metadata; deadline?: number } = {},
): Promise<UnaryResult<ResT>> {
  const req = serializer(request);
  const res = serializer(response);
  return new Promise((resolve, reject) => {
    let headers = new grpcJs.Metadata();
    let result: { value: ResT } | undefined;
    const call = c.makeUnaryRequest(
      path,
      req.serialize,
      res.deserialize,
      message,
      options.metadata ?? new grpcJs.Metadata(),
      options.deadline === undefined ? {} : { deadline: options.deadline },
      (error, value) => {
        if (error) reject(error);
        else result = { value: value as ResT };
      },
    );
    call.on("metadata", (md) => {
      headers = md;
    });
    call.on("status", (status) => {
      // The callback runs first; the trailers come with the status event.
      if (result !== undefined) resolve({ response: result.value, headers, trailers: status.metadata });
    });
  });
}

export function isServiceError(error: unknown): error is grpcJs.ServiceError {
  return error instanceof Error && "code" in error && "details" in error;
}

export { grpcJs };

export interface RawResponse {
  headers: Record<string, string | string[] | number | undefined>;
  trailers: Record<string, string | string[] | number | undefined> | undefined;
  data: Buffer;
  rstCode: number;
}

/** A gRPC request over a raw node:http2 session, for protocol edges grpc-js never produces. */
export function rawCall(
  session: import("node:http2").ClientHttp2Session,
  headers: Record<string, string>,
  body: Buffer[] = [],
  end = true,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ":method": "POST",
      "content-type": "application/grpc",
      te: "trailers",
      ...headers,
    });
    const result: RawResponse = { headers: {}, trailers: undefined, data: Buffer.alloc(0), rstCode: 0 };
    const chunks: Buffer[] = [];
    stream.on("response", (h) => {
      result.headers = { ...h };
    });
    stream.on("trailers", (t) => {
      result.trailers = { ...t };
    });
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("error", () => {});
    stream.on("close", () => {
      result.data = Buffer.concat(chunks);
      result.rstCode = stream.rstCode ?? 0;
      resolve(result);
    });
    stream.on("frameError", reject);
    for (const b of body) stream.write(b);
    if (end) stream.end();
  });
}
