// The contract between the gRPC server and the services it serves.
import type { PeerCertificate } from "node:tls";
import type { Metadata } from "./metadata.js";
import type { AnyMethod, Method, MethodKind } from "./method.js";

/** What a handler knows about its call, and how it adds response metadata. */
export interface CallContext {
  readonly method: AnyMethod;
  /** Request metadata (headers, `-bin` values base64 until read with getBinary). */
  readonly metadata: Metadata;
  /** When the client stops waiting (Date.now() milliseconds), if it said. */
  readonly deadline: number | undefined;
  /** Aborts when the call ends early: client cancellation, connection loss, deadline, server close. */
  readonly signal: AbortSignal;
  /** True once the call has ended (status sent or call cancelled); writes are then dropped. */
  readonly ended: boolean;
  /** The client's address as "ip:port" ("[ip6]:port"), or the socket path for unix sockets. */
  readonly peer: string;
  /** The :authority the client addressed. */
  readonly authority: string | undefined;
  /** The client's TLS certificate when the connection is TLS and the client sent one. */
  peerCertificate(): PeerCertificate | undefined;
  /** Adds response header metadata; only before the first response message. */
  setHeader(key: string, value: string | Buffer): void;
  /** Adds trailing metadata, sent with the status. */
  setTrailer(key: string, value: string | Buffer): void;
}

/** The response side of a streaming call. */
export interface ServerWriter<Res> {
  /**
   * Queues a response message. Returns false when the transport's buffer is full: wait for
   * drained() before writing more. After the call has ended, writes are dropped.
   */
  write(message: Res): boolean;
  /** Resolves when the buffer has room again (at once if it has, or once the call has ended). */
  drained(): Promise<void>;
}

/** A bidirectional call: iterate the requests (ends at the client's half-close) and write responses. */
export interface BidiCall<Req, Res> extends ServerWriter<Res>, AsyncIterable<Req> {}

/** Returns (or resolves to) the one response. Throw GrpcError to choose the status. */
export type UnaryHandler<Req, Res> = (request: Req, ctx: CallContext) => Res | Promise<Res>;
/** Writes responses; the call ends OK when the returned promise resolves, with its error if it rejects. */
export type ServerStreamHandler<Req, Res> = (
  request: Req,
  out: ServerWriter<Res>,
  ctx: CallContext,
) => void | Promise<void>;
/** Reads every request, then returns the one response. */
export type ClientStreamHandler<Req, Res> = (
  requests: AsyncIterable<Req>,
  ctx: CallContext,
) => Res | Promise<Res>;
/** Reads and writes at will; the call ends when the returned promise settles. */
export type BidiHandler<Req, Res> = (call: BidiCall<Req, Res>, ctx: CallContext) => void | Promise<void>;

/** The handler type that fits a method's kind. */
export type HandlerFor<M> =
  M extends Method<infer Req, infer Res, infer K>
    ? K extends "unary"
      ? UnaryHandler<Req, Res>
      : K extends "serverStream"
        ? ServerStreamHandler<Req, Res>
        : K extends "clientStream"
          ? ClientStreamHandler<Req, Res>
          : BidiHandler<Req, Res>
    : never;

/** Handlers for the methods of a service, by method name. */
export type ServiceHandlers<Methods extends Record<string, Method<unknown, unknown, MethodKind>>> = {
  [Name in keyof Methods]?: HandlerFor<Methods[Name]>;
};
