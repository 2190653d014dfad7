// A call carried by an HTTP/2 stream: gRPC's wire protocol over node:http2's core API.
import { constants, type ServerHttp2Stream } from "node:http2";
import type net from "node:net";
import { type CallSetup, FramedCall, metadataHeaders, statusHeaders } from "./framed-call.js";
import { type OutgoingMetadata, Status } from "./status.js";

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

/** A call on a connection node:http2 serves. */
export class H2Call extends FramedCall {
  readonly #stream: CallStream;
  #trailers: Record<string, string | number> = okTrailers;

  constructor(stream: ServerHttp2Stream, setup: CallSetup) {
    super(setup);
    this.#stream = stream;
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

  protected get socket(): net.Socket | undefined {
    return this.#stream.session?.socket;
  }

  protected writeHeaders(metadata: OutgoingMetadata | undefined): void {
    const stream = this.#stream;
    if (stream.destroyed) return;
    let headers: Record<string, string | number> = grpcHeaders;
    if (metadata !== undefined || this.contentType !== grpcHeaders["content-type"]) {
      headers = { ":status": 200, "content-type": this.contentType };
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
        statusHeaders(code, message, trailers, { ":status": 200, "content-type": this.contentType }),
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
}
