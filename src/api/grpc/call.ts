// One call on the server, whatever carries it (an HTTP/2 stream or an in-process caller):
// decodes requests, runs the handler of the method's kind, encodes responses, enforces the
// deadline and the size limits, and ends with exactly one status. Transports subclass it and
// implement the few write/flow operations at the bottom.
import { AssertionError } from "node:assert";
import type { PeerCertificate } from "node:tls";
import { deadlines, type Expiring } from "./deadlines.js";
import type {
  BidiCall,
  BidiHandler,
  CallContext,
  ClientStreamHandler,
  ServerStreamHandler,
  UnaryHandler,
} from "./handlers.js";
import type { Metadata } from "./metadata.js";
import { type AnyMethod, unmarshalErrorText } from "./method.js";
import { handlingTimeEnabled, type MethodStats } from "./metrics.js";
import { GrpcError, type OutgoingMetadata, Status } from "./status.js";

/** A method with its handler, as the server holds it. */
export interface Registered {
  readonly method: AnyMethod;
  // biome-ignore lint/suspicious/noExplicitAny: the handler's type follows method.kind, checked at register().
  readonly handler: (...args: any[]) => unknown;
  readonly stats: MethodStats;
}

/** Limits that apply to every call of a server. */
export interface CallLimits {
  readonly maxReceiveMessageBytes: number;
  readonly maxSendMessageBytes: number;
}

// Backpressure on incoming messages of streaming calls: stop reading past this many queued.
const maxQueuedRequests = 64;

const done: IteratorResult<never> = Object.freeze({ value: undefined, done: true });

export abstract class ServerCall implements CallContext, BidiCall<unknown, unknown>, Expiring {
  readonly method: AnyMethod;
  readonly metadata: Metadata;
  readonly deadline: number | undefined;
  protected readonly registered: Registered;
  protected readonly limits: CallLimits;
  /** Response headers have been written. */
  protected headersSent = false;
  #ended = false;
  #handlerStarted = false;
  #controller: AbortController | undefined;
  #abortReason: GrpcError | undefined;
  #deadlineTicket = -1;
  #startedAtMs = 0;
  #headers: OutgoingMetadata | undefined;
  #trailers: OutgoingMetadata | undefined;
  // Requests of client-streaming and bidi calls not yet taken by the handler.
  #queue: unknown[] | undefined;
  #queueHead = 0;
  #halfClosed = false;
  #inputPaused = false;
  #waiter: ((result: IteratorResult<unknown>) => void) | undefined;
  #drainWaiters: (() => void)[] | undefined;

  constructor(registered: Registered, metadata: Metadata, timeoutMs: number | undefined, limits: CallLimits) {
    this.registered = registered;
    this.method = registered.method;
    this.metadata = metadata;
    this.limits = limits;
    this.deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
  }

  // ---- transport side -------------------------------------------------------------------

  /** Starts the call once the transport has accepted it. */
  protected begin(): void {
    this.registered.stats.started++;
    if (handlingTimeEnabled()) this.#startedAtMs = performance.now();
    if (this.deadline !== undefined) {
      if (this.deadline <= Date.now()) {
        this.expire();
        return;
      }
      this.#deadlineTicket = deadlines.add(this, this.deadline);
    }
    if (this.method.requestStream) {
      this.#queue = [];
      this.#startHandler(undefined);
    }
  }

  /** A complete request message arrived. */
  protected receive(body: Buffer): void {
    if (this.#ended) return;
    this.registered.stats.receivedBytes += body.length;
    let request: unknown;
    try {
      request = this.method.decode(body);
    } catch (error) {
      this.finish(Status.INTERNAL, `grpc: error unmarshalling request: ${unmarshalErrorText(error)}`);
      return;
    }
    this.registered.stats.received++;
    const queue = this.#queue;
    if (queue === undefined) {
      // Unary and server-streaming calls take their one request; grpc-go ignores any more.
      if (!this.#handlerStarted) this.#startHandler(request);
      return;
    }
    if (this.#waiter !== undefined) {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter({ value: request, done: false });
      return;
    }
    queue.push(request);
    if (queue.length - this.#queueHead >= maxQueuedRequests && !this.#inputPaused) {
      this.#inputPaused = true;
      this.pauseInput();
    }
  }

  /** The client has sent its last message. */
  protected halfClose(): void {
    if (this.#ended || this.#halfClosed) return;
    this.#halfClosed = true;
    if (this.#queue === undefined) {
      // grpc-go reports a missing request as the io.EOF it read.
      if (!this.#handlerStarted) this.finish(Status.UNKNOWN, "EOF");
      return;
    }
    if (this.#waiter !== undefined && this.#queue.length === this.#queueHead) {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter(done);
    }
  }

  /** The client or the connection went away: end without a status. */
  protected cancelled(): void {
    if (this.#ended) return;
    this.#end(Status.CANCELLED, new GrpcError(Status.CANCELLED, "context canceled"));
    this.ended_();
  }

  /** Fails the call with a status (from the transport, the handler, or a limit). */
  protected finish(code: Status, message: string, trailers?: OutgoingMetadata): void {
    if (this.#ended) return;
    const merged = trailers === undefined ? this.#trailers : { ...this.#trailers, ...trailers };
    if (!this.headersSent && this.#headers !== undefined) {
      // Header metadata goes out in its own frame, as grpc-go does, rather than trailers-only.
      this.headersSent = true;
      this.writeHeaders(this.#headers);
    }
    this.#end(code, code === Status.OK ? undefined : new GrpcError(code, message));
    this.writeStatus(code, message, merged);
    this.ended_();
  }

  /** Deadline reached. */
  expire(): void {
    this.#deadlineTicket = -1;
    this.finish(Status.DEADLINE_EXCEEDED, "context deadline exceeded");
  }

  #end(code: Status, abortReason: GrpcError | undefined): void {
    this.#ended = true;
    if (this.#deadlineTicket !== -1) {
      deadlines.remove(this, this.#deadlineTicket);
      this.#deadlineTicket = -1;
    }
    this.registered.stats.handledWith(code, this.#startedAtMs);
    if (abortReason !== undefined) {
      this.#abortReason = abortReason;
      this.#controller?.abort(abortReason);
    }
    if (this.#waiter !== undefined) {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter(done);
    }
    this.#queue = undefined;
    const drains = this.#drainWaiters;
    this.#drainWaiters = undefined;
    if (drains !== undefined) for (const resolve of drains) resolve();
  }

  // ---- handler side ------------------------------------------------------------------------

  get ended(): boolean {
    return this.#ended;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#abortReason !== undefined) this.#controller.abort(this.#abortReason);
    }
    return this.#controller.signal;
  }

  setHeader(key: string, value: string | Buffer): void {
    if (this.headersSent || this.#ended) return;
    this.#headers ??= {};
    this.#headers[key.toLowerCase()] = value;
  }

  setTrailer(key: string, value: string | Buffer): void {
    this.#trailers ??= {};
    this.#trailers[key.toLowerCase()] = value;
  }

  write(message: unknown): boolean {
    if (this.#ended) return true;
    const framed = this.#encode(message);
    if (framed === undefined) return true;
    if (!this.headersSent) {
      this.headersSent = true;
      this.writeHeaders(this.#headers);
    }
    this.registered.stats.sent++;
    return this.writeMessage(framed);
  }

  drained(): Promise<void> {
    if (this.#ended || !this.needsDrain()) return Promise.resolve();
    return new Promise((resolve) => {
      if (this.#drainWaiters === undefined) {
        this.#drainWaiters = [resolve];
        this.waitForDrain(this.#onDrain);
      } else {
        this.#drainWaiters.push(resolve);
      }
    });
  }

  readonly #onDrain = (): void => {
    const waiters = this.#drainWaiters;
    this.#drainWaiters = undefined;
    if (waiters !== undefined) for (const resolve of waiters) resolve();
  };

  [Symbol.asyncIterator](): AsyncIterator<unknown> {
    return {
      next: () => this.#next(),
      return: () => Promise.resolve(done),
    };
  }

  #next(): Promise<IteratorResult<unknown>> {
    const queue = this.#queue;
    if (queue === undefined) return Promise.resolve(done);
    if (this.#queueHead < queue.length) {
      const value = queue[this.#queueHead];
      queue[this.#queueHead++] = undefined;
      if (this.#queueHead === queue.length) {
        queue.length = 0;
        this.#queueHead = 0;
        if (this.#inputPaused) {
          this.#inputPaused = false;
          this.resumeInput();
        }
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.#halfClosed) return Promise.resolve(done);
    if (this.#waiter !== undefined) return Promise.reject(new Error("gRPC requests iterated twice at once"));
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  #startHandler(request: unknown): void {
    this.#handlerStarted = true;
    const { handler } = this.registered;
    let result: unknown;
    try {
      switch (this.method.kind) {
        case "unary":
          result = (handler as UnaryHandler<unknown, unknown>)(request, this);
          break;
        case "serverStream":
          result = (handler as ServerStreamHandler<unknown, unknown>)(request, this, this);
          break;
        case "clientStream":
          result = (handler as ClientStreamHandler<unknown, unknown>)(this, this);
          break;
        case "bidi":
          result = (handler as BidiHandler<unknown, unknown>)(this, this);
          break;
      }
    } catch (error) {
      this.#fail(error);
      return;
    }
    const single = !this.method.responseStream;
    if (result instanceof Promise) {
      result.then(
        single ? (response) => this.#respond(response) : () => this.finish(Status.OK, ""),
        (error) => this.#fail(error),
      );
    } else if (single) {
      this.#respond(result);
    } else {
      this.finish(Status.OK, "");
    }
  }

  /** Sends the one response of a unary or client-streaming call, then OK. */
  #respond(response: unknown): void {
    if (this.#ended) return;
    const framed = this.#encode(response);
    if (framed === undefined) return;
    this.registered.stats.sent++;
    const headers = this.headersSent ? undefined : this.#headers;
    const withHeaders = !this.headersSent;
    this.headersSent = true;
    const trailers = this.#trailers;
    this.#end(Status.OK, undefined);
    this.writeLast(withHeaders, headers, framed, trailers);
    this.ended_();
  }

  #encode(message: unknown): Buffer | undefined {
    let framed: Buffer;
    try {
      framed = this.method.encodeFramed(message);
    } catch (error) {
      this.finish(Status.INTERNAL, `grpc: error while marshaling: ${(error as Error).message}`);
      return undefined;
    }
    const length = framed.length - 5;
    this.registered.stats.sentBytes += length;
    if (length > this.limits.maxSendMessageBytes) {
      this.finish(
        Status.RESOURCE_EXHAUSTED,
        `grpc: trying to send message larger than max (${length} vs. ${this.limits.maxSendMessageBytes})`,
      );
      return undefined;
    }
    return framed;
  }

  #fail(error: unknown): void {
    if (error instanceof AssertionError) {
      // A broken invariant is a bug: crash rather than limp on.
      process.nextTick(() => {
        throw error;
      });
    }
    const status = GrpcError.from(error);
    this.finish(status.code, status.message, status.trailers);
  }

  // ---- what a transport provides ----------------------------------------------------------

  abstract get peer(): string;
  abstract get authority(): string | undefined;
  abstract peerCertificate(): PeerCertificate | undefined;

  /** Writes the response headers (before the first message). */
  protected abstract writeHeaders(metadata: OutgoingMetadata | undefined): void;
  /** Writes one framed message; false when the transport's buffer is full. */
  protected abstract writeMessage(framed: Buffer): boolean;
  /** True while the transport's buffer is full (a write returned false and no drain since). */
  protected abstract needsDrain(): boolean;
  /** Calls `onDrain` once the transport's buffer has room. */
  protected abstract waitForDrain(onDrain: () => void): void;
  /** Writes the status and ends the response (trailers-only when no headers were sent). */
  protected abstract writeStatus(code: Status, message: string, trailers: OutgoingMetadata | undefined): void;
  /** The single response and an OK status in one go (headers first when `withHeaders`). */
  protected writeLast(
    withHeaders: boolean,
    headers: OutgoingMetadata | undefined,
    framed: Buffer,
    trailers: OutgoingMetadata | undefined,
  ): void {
    if (withHeaders) this.writeHeaders(headers);
    this.writeMessage(framed);
    this.writeStatus(Status.OK, "", trailers);
  }
  /** Stop delivering request data (the handler is behind). */
  protected abstract pauseInput(): void;
  protected abstract resumeInput(): void;
  /** The call has ended (status written or cancelled): release transport resources. */
  protected abstract ended_(): void;
}
