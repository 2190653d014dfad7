// A call made from inside the process (the JSON gateway's): request and response bodies are
// handed over as bytes, with the same handler, limits, deadline and metrics as a network call.
import type { PeerCertificate } from "node:tls";
import { type CallLimits, type Registered, ServerCall } from "./call.js";
import { frameHeaderBytes } from "./framing.js";
import type { Metadata } from "./metadata.js";
import { GrpcError, type OutgoingMetadata, Status } from "./status.js";

/** Metadata as an in-process caller receives it: keys lower case, `-bin` values as bytes. */
export type ReceivedMetadata = Record<string, string | Buffer>;

/** What an in-process caller hears back. Callbacks run synchronously inside the server's writes. */
export interface LocalCallListener {
  /** Response headers (the first message, or a status after setHeader, brings them). */
  onHeaders?(headers: ReceivedMetadata): void;
  onMessage(body: Buffer): void;
  /** The call ended; `trailers` are the trailing metadata. Called exactly once, also after cancel(). */
  onStatus(error: GrpcError | undefined, trailers: ReceivedMetadata): void;
}

/** The caller's side of an in-process call. */
export interface LocalCall {
  /** Sends one request message (encoded). */
  sendMessage(body: Uint8Array): void;
  /** No more requests. */
  halfClose(): void;
  /** Abandons the call: the handler's signal aborts and onStatus reports CANCELLED. */
  cancel(): void;
  /** Flow control: while paused, the handler's write() returns false and drained() waits. */
  pause(): void;
  resume(): void;
}

export interface LocalCallOptions {
  metadata: Metadata;
  /** Milliseconds the caller will wait, if limited. */
  timeoutMs?: number;
  /** Reported to handlers as ctx.peer. */
  peer?: string;
  authority?: string;
  peerCertificate?: PeerCertificate;
}

export class LocalServerCall extends ServerCall implements LocalCall {
  readonly #listener: LocalCallListener;
  readonly #options: LocalCallOptions;
  #paused = false;
  #onDrain: (() => void) | undefined;
  #reported = false;

  constructor(
    registered: Registered,
    options: LocalCallOptions,
    limits: CallLimits,
    listener: LocalCallListener,
  ) {
    super(registered, options.metadata, options.timeoutMs, limits);
    this.#listener = listener;
    this.#options = options;
  }

  start(): void {
    this.begin();
  }

  sendMessage(body: Uint8Array): void {
    if (this.ended) return;
    if (body.length > this.limits.maxReceiveMessageBytes) {
      this.finish(
        Status.RESOURCE_EXHAUSTED,
        `grpc: received message larger than max (${body.length} vs. ${this.limits.maxReceiveMessageBytes})`,
      );
      return;
    }
    this.receive(Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.length));
  }

  override halfClose(): void {
    super.halfClose();
  }

  cancel(): void {
    if (this.ended) return;
    this.cancelled();
    this.#report(new GrpcError(Status.CANCELLED, "context canceled"), {});
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    const onDrain = this.#onDrain;
    this.#onDrain = undefined;
    onDrain?.();
  }

  get peer(): string {
    return this.#options.peer ?? "@";
  }

  get authority(): string | undefined {
    return this.#options.authority;
  }

  peerCertificate(): PeerCertificate | undefined {
    return this.#options.peerCertificate;
  }

  protected writeHeaders(metadata: OutgoingMetadata | undefined): void {
    // A gRPC client sees the response content-type among the header metadata.
    this.#listener.onHeaders?.({ "content-type": "application/grpc", ...metadata });
  }

  protected writeMessage(framed: Buffer): boolean {
    this.#listener.onMessage(framed.subarray(frameHeaderBytes));
    return !this.#paused;
  }

  protected needsDrain(): boolean {
    return this.#paused;
  }

  protected waitForDrain(onDrain: () => void): void {
    this.#onDrain = onDrain;
  }

  protected writeStatus(code: Status, message: string, trailers: OutgoingMetadata | undefined): void {
    // In a trailers-only response the content-type arrives with the trailers.
    const received: ReceivedMetadata = this.headersSent
      ? { ...trailers }
      : { "content-type": "application/grpc", ...trailers };
    this.#report(code === Status.OK ? undefined : new GrpcError(code, message, trailers), received);
  }

  protected override writeLast(
    withHeaders: boolean,
    headers: OutgoingMetadata | undefined,
    framed: Buffer,
    trailers: OutgoingMetadata | undefined,
  ): void {
    if (withHeaders) this.writeHeaders(headers);
    this.writeMessage(framed);
    this.#report(undefined, { ...trailers });
  }

  protected pauseInput(): void {}
  protected resumeInput(): void {}
  protected ended_(): void {
    this.#onDrain = undefined;
  }

  #report(error: GrpcError | undefined, trailers: ReceivedMetadata): void {
    if (this.#reported) return;
    this.#reported = true;
    this.#listener.onStatus(error, trailers);
  }
}
