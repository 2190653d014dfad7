// A call carried by a stream of a connection tetcd frames itself (src/api/http/h2-connection.ts).
// A unary response (headers, message, trailers) is queued in one go and leaves in one write.
import type net from "node:net";
import type { H2ServerStream } from "../http/h2-connection.js";
import { encodeHeaderBlock, type HeaderField } from "../http/hpack-encoder.js";
import { type CallSetup, FramedCall, metadataHeaders, statusHeaders } from "./framed-call.js";
import { type OutgoingMetadata, Status } from "./status.js";

// The blocks nearly every call sends, encoded once (the encoder is stateless).
const okHeadersBlock = encodeHeaderBlock([
  [":status", "200"],
  ["content-type", "application/grpc"],
]);
const okTrailersBlock = encodeHeaderBlock([["grpc-status", "0"]]);

function fields(headers: Record<string, string | number>): HeaderField[] {
  return Object.keys(headers).map((name) => [name, String(headers[name])]);
}

/** A status with no response headers or messages before it (errors found before any message). */
export function respondTrailersOnly(
  stream: H2ServerStream,
  contentType: string,
  code: Status,
  message: string,
  httpStatus = 200,
): void {
  if (stream.closed || stream.headersSent) return;
  const headers = statusHeaders(code, message, undefined, {
    ":status": httpStatus,
    "content-type": contentType,
  });
  stream.respond(encodeHeaderBlock(fields(headers)), true);
}

export class OwnH2Call extends FramedCall {
  readonly #stream: H2ServerStream;

  constructor(stream: H2ServerStream, setup: CallSetup) {
    super(setup);
    this.#stream = stream;
  }

  start(): void {
    const stream = this.#stream;
    stream.onData = (chunk) => this.onData(chunk);
    stream.onEnd = () => this.onEnd();
    stream.onClose = () => this.cancelled();
    this.begin();
  }

  protected get socket(): net.Socket {
    return this.#stream.connection.socket;
  }

  protected writeHeaders(metadata: OutgoingMetadata | undefined): void {
    if (metadata === undefined && this.contentType === "application/grpc") {
      this.#stream.respond(okHeadersBlock, false);
      return;
    }
    const headers: Record<string, string | number> = { ":status": 200, "content-type": this.contentType };
    if (metadata !== undefined) metadataHeaders(metadata, headers);
    this.#stream.respond(encodeHeaderBlock(fields(headers)), false);
  }

  protected writeMessage(framed: Buffer): boolean {
    return this.#stream.write(framed);
  }

  protected needsDrain(): boolean {
    return this.#stream.needsDrain;
  }

  protected waitForDrain(onDrain: () => void): void {
    this.#stream.waitForDrain(onDrain);
  }

  protected writeStatus(code: Status, message: string, trailers: OutgoingMetadata | undefined): void {
    if (!this.headersSent) {
      this.headersSent = true;
      const headers = { ":status": 200, "content-type": this.contentType };
      this.#stream.respond(encodeHeaderBlock(fields(statusHeaders(code, message, trailers, headers))), true);
      return;
    }
    this.#stream.end(this.#trailersBlock(code, message, trailers));
  }

  #trailersBlock(code: Status, message: string, trailers: OutgoingMetadata | undefined): Buffer {
    if (code === Status.OK && message === "" && trailers === undefined) return okTrailersBlock;
    return encodeHeaderBlock(fields(statusHeaders(code, message, trailers, {})));
  }

  protected pauseInput(): void {
    this.#stream.pause();
  }

  protected resumeInput(): void {
    this.#stream.resume();
  }
}
