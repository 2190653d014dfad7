// A call carried by an HTTP/2 stream: gRPC's wire protocol over node:http2's core API.
import { constants, type IncomingHttpHeaders, type ServerHttp2Stream } from "node:http2";
import type { PeerCertificate, TLSSocket } from "node:tls";
import { type CallLimits, type Registered, ServerCall } from "./call.js";
import { FrameDecoder, type FrameSink } from "./framing.js";
import type { Metadata } from "./metadata.js";
import { encodeGrpcMessage, type OutgoingMetadata, Status } from "./status.js";

/** What a call tells its connection's keepalive policy. */
export interface ConnectionActivity {
  /** Frames were read (the connection is alive). */
  active: boolean;
}

const kCall = Symbol("grpc.call");
type CallStream = ServerHttp2Stream & { [kCall]?: H2Call | undefined };

const okTrailers = Object.freeze({ "grpc-status": "0" });
const waitForTrailers = Object.freeze({ waitForTrailers: true });
const endStream = Object.freeze({ endStream: true });
const grpcHeaders = Object.freeze({ ":status": 200, "content-type": "application/grpc" });

// Listeners shared by every call; the stream leads to its call.
function onData(this: CallStream, chunk: Buffer): void {
  this[kCall]?.onData(chunk);
}
function onEnd(this: CallStream): void {
  this[kCall]?.onEnd();
}
function onClose(this: CallStream): void {
  this[kCall]?.onClose();
}
function onWantTrailers(this: CallStream): void {
  this[kCall]?.onWantTrailers();
}
export function ignoreError(): void {}

/** Header values for outgoing metadata (`-bin` values as unpadded base64, as grpc-go sends them). */
export function metadataHeaders(metadata: OutgoingMetadata, into: Record<string, string | number>): void {
  for (const key of Object.keys(metadata)) {
    const value = metadata[key]!;
    into[key] = typeof value === "string" ? value : value.toString("base64").replace(/=+$/, "");
  }
}

function statusHeaders(
  code: Status,
  message: string,
  trailers: OutgoingMetadata | undefined,
  into: Record<string, string | number>,
): Record<string, string | number> {
  if (trailers !== undefined) metadataHeaders(trailers, into);
  into["grpc-status"] = String(code);
  if (message !== "") into["grpc-message"] = encodeGrpcMessage(message);
  return into;
}

/** Reset the stream once the response is out if the client is still sending (grpc-go does too). */
function stopReading(stream: ServerHttp2Stream): void {
  if (!stream.readableEnded && !stream.destroyed) stream.close(constants.NGHTTP2_NO_ERROR);
}

/** A status with no response headers or messages before it (errors found before any message). */
export function respondTrailersOnly(
  stream: ServerHttp2Stream,
  contentType: string,
  code: Status,
  message: string,
  httpStatus = 200,
): void {
  if (stream.destroyed || stream.headersSent) return;
  stream.respond(
    statusHeaders(code, message, undefined, { ":status": httpStatus, "content-type": contentType }),
    endStream,
  );
  stopReading(stream);
}

export class H2Call extends ServerCall implements FrameSink {
  readonly #stream: CallStream;
  readonly #headers: IncomingHttpHeaders;
  readonly #decoder: FrameDecoder;
  readonly #contentType: string;
  readonly #activity: ConnectionActivity | undefined;
  #trailers: Record<string, string | number> = okTrailers;

  constructor(
    stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    registered: Registered,
    metadata: Metadata,
    timeoutMs: number | undefined,
    limits: CallLimits,
    contentType: string,
    activity: ConnectionActivity | undefined,
  ) {
    super(registered, metadata, timeoutMs, limits);
    this.#stream = stream;
    this.#headers = headers;
    this.#decoder = new FrameDecoder(limits.maxReceiveMessageBytes);
    this.#contentType = contentType;
    this.#activity = activity;
  }

  start(): void {
    const stream = this.#stream;
    stream[kCall] = this;
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("close", onClose);
    stream.on("wantTrailers", onWantTrailers);
    this.begin();
  }

  onData(chunk: Buffer): void {
    if (this.#activity !== undefined) this.#activity.active = true;
    this.#decoder.push(chunk, this);
  }

  onFrame(compressed: boolean, body: Buffer): void {
    if (compressed) {
      this.finish(Status.INTERNAL, "grpc: compressed flag set with identity or empty encoding");
      return;
    }
    this.receive(body);
  }

  onFrameTooLarge(length: number): void {
    this.finish(
      Status.RESOURCE_EXHAUSTED,
      `grpc: received message larger than max (${length} vs. ${this.limits.maxReceiveMessageBytes})`,
    );
  }

  onEnd(): void {
    if (this.#decoder.partial) {
      this.finish(Status.INTERNAL, "unexpected EOF");
      return;
    }
    this.halfClose();
  }

  onClose(): void {
    this.#stream[kCall] = undefined;
    this.cancelled();
  }

  onWantTrailers(): void {
    const stream = this.#stream;
    if (stream.destroyed) return;
    stream.sendTrailers(this.#trailers);
    stopReading(stream);
  }

  get peer(): string {
    const socket = this.#stream.session?.socket;
    if (socket === undefined || socket.remoteAddress === undefined) return "@";
    const address = socket.remoteAddress;
    return address.includes(":") ? `[${address}]:${socket.remotePort}` : `${address}:${socket.remotePort}`;
  }

  get authority(): string | undefined {
    return this.#headers[":authority"];
  }

  peerCertificate(): PeerCertificate | undefined {
    const socket = this.#stream.session?.socket as TLSSocket | undefined;
    if (socket === undefined || !socket.encrypted) return undefined;
    const certificate = socket.getPeerCertificate();
    return certificate !== null && Object.keys(certificate).length > 0 ? certificate : undefined;
  }

  protected writeHeaders(metadata: OutgoingMetadata | undefined): void {
    const stream = this.#stream;
    if (stream.destroyed) return;
    let headers: Record<string, string | number> = grpcHeaders;
    if (metadata !== undefined || this.#contentType !== grpcHeaders["content-type"]) {
      headers = { ":status": 200, "content-type": this.#contentType };
      if (metadata !== undefined) metadataHeaders(metadata, headers);
    }
    stream.respond(headers, waitForTrailers);
  }

  protected writeMessage(framed: Buffer): boolean {
    const stream = this.#stream;
    if (stream.destroyed) return true;
    return stream.write(framed);
  }

  protected needsDrain(): boolean {
    return this.#stream.writableNeedDrain;
  }

  protected waitForDrain(onDrain: () => void): void {
    this.#stream.once("drain", onDrain);
  }

  protected writeStatus(code: Status, message: string, trailers: OutgoingMetadata | undefined): void {
    const stream = this.#stream;
    if (stream.destroyed) return;
    if (!this.headersSent) {
      this.headersSent = true;
      stream.respond(
        statusHeaders(code, message, trailers, { ":status": 200, "content-type": this.#contentType }),
        endStream,
      );
      stopReading(stream);
      return;
    }
    if (code !== Status.OK || message !== "" || trailers !== undefined) {
      this.#trailers = statusHeaders(code, message, trailers, {});
    }
    stream.end();
  }

  protected override writeLast(
    withHeaders: boolean,
    headers: OutgoingMetadata | undefined,
    framed: Buffer,
    trailers: OutgoingMetadata | undefined,
  ): void {
    const stream = this.#stream;
    if (stream.destroyed) return;
    if (withHeaders) this.writeHeaders(headers);
    if (trailers !== undefined) this.#trailers = statusHeaders(Status.OK, "", trailers, {});
    stream.end(framed);
  }

  protected pauseInput(): void {
    this.#stream.pause();
  }

  protected resumeInput(): void {
    this.#stream.resume();
  }

  protected ended_(): void {
    this.#decoder.stop();
  }
}
