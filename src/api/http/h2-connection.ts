// The server side of one HTTP/2 connection (RFC 9113), framed by us rather than node:http2,
// for connections that carry gRPC: a unary call's response headers, message and trailers
// leave in one socket write, in the same event-loop turn the handler answered in. (node:http2
// sends the trailers a turn later, in a second write, which costs a small call about 130 µs.)
//
// Everything written during one synchronous run of JavaScript is gathered and written once,
// in a microtask (a promise reaction: queueMicrotask would add an AsyncResource per write).
// Flow control is kept both ways; header blocks are decoded with the connection's HPACK
// decoder and encoded without the dynamic table (hpack-encoder.ts).
import assert from "node:assert";
import type net from "node:net";
import {
  CLIENT_PREFACE,
  Flag,
  FRAME_HEADER_LENGTH,
  FrameType,
  frame,
  frameHeader,
  headerBlockFrames,
  MIN_MAX_FRAME_SIZE,
  parseHeadersPayload,
} from "./h2-frames.js";
import { HpackDecoder, HpackError } from "./hpack.js";

/** HTTP/2 error codes (RFC 9113 7). */
export const H2ErrorCode = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  ENHANCE_YOUR_CALM: 0xb,
} as const;

const Setting = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
} as const;

/** A request's header fields; a name sent more than once has all its values, in order. */
export type RequestHeaders = Record<string, string | string[]>;

/** Told what happens on the connection (keepalive policy). */
export interface ConnectionObserver {
  /** Bytes arrived. */
  readActivity(): void;
  streamOpened(): void;
  streamClosed(): void;
  /** A PING (not an ACK) arrived; it has been answered. */
  pingReceived(): void;
  /** The connection is gone. */
  closed(): void;
}

export interface H2ConnectionOptions {
  /** Bytes already read from the socket, the client preface first. */
  initial?: Buffer;
  /** SETTINGS_MAX_CONCURRENT_STREAMS: streams past it are refused. */
  maxConcurrentStreams: number;
  /** Our receive window per stream (SETTINGS_INITIAL_WINDOW_SIZE). */
  streamWindowBytes: number;
  /** Our receive window for the whole connection. */
  connectionWindowBytes: number;
  /** The longest a PING ACK waits for a pending response to ride along with (default 1 ms). */
  pingAckHoldMs?: number;
  /** A new request; the stream's callbacks may be set now, before any data is delivered. */
  onStream(stream: H2ServerStream, headers: RequestHeaders): void;
  observer?: ConnectionObserver;
}

const DEFAULT_WINDOW = 65535;
const MAX_WINDOW = 2 ** 31 - 1;
/** Largest header block accepted, compressed and decoded: more is abuse, not a request. */
const MAX_HEADER_BLOCK_BYTES = 1 << 20;
/** Unsent response bytes of a stream past which write() asks the caller to wait for drain. */
const STREAM_HIGH_WATER = 64 * 1024;
/** Gathered output up to this size is copied into one buffer; larger goes out as a writev. */
const COALESCE_MAX = 64 * 1024;
const EMPTY = Buffer.alloc(0);
const RESOLVED = Promise.resolve();
/** The longest a PING ACK waits for a response to ride along with. */
const ACK_HOLD_MS = 1;
/** How long a client may keep a connection open after we ended our side. */
const END_GRACE_MS = 5000;

class ConnectionError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** A frame whose payload is one 32-bit value (WINDOW_UPDATE, RST_STREAM). */
function u32Frame(type: number, streamId: number, value: number): Buffer {
  const payload = Buffer.allocUnsafe(4);
  payload.writeUInt32BE(value, 0);
  return frame(type, 0, streamId, payload);
}

export class H2Connection {
  readonly socket: net.Socket;
  readonly #options: H2ConnectionOptions;
  readonly #observer: ConnectionObserver | undefined;
  readonly #decoder = new HpackDecoder();
  readonly #streams = new Map<number, H2ServerStream>();

  #rest: Buffer = EMPTY;
  #prefaceSeen = false;
  #headerBlock: { id: number; flags: number; fragments: Buffer[]; size: number } | undefined;
  #lastStreamId = 0;
  /** No new streams (GOAWAY sent or received); the socket ends once the open ones are done. */
  #draining = false;
  /** A connection error was sent: nothing more the client sends is read. */
  #failed = false;
  #destroyed = false;

  // Send side: what the peer allows us.
  #sendWindow = DEFAULT_WINDOW;
  #peerInitialWindow = DEFAULT_WINDOW;
  #peerMaxFrameSize = MIN_MAX_FRAME_SIZE;
  /** Streams with data waiting for the connection window. */
  readonly #blocked = new Set<H2ServerStream>();
  // Receive side: what we allow the peer.
  #recvWindow: number;
  #recvUnacked = 0;

  #out: Buffer[] = [];
  #outBytes = 0;
  #flushQueued = false;
  #socketBlocked = false;
  readonly #drainWaiting = new Set<H2ServerStream>();
  readonly #pings = new Map<string, () => void>();
  /** PING ACKs waiting to ride along with a response (see #holdOrSendAcks). */
  #acks: Buffer[] = [];
  #ackTimer: NodeJS.Timeout | undefined;
  /** Streams whose response has not started. */
  #unanswered = 0;
  #pingCounter = 0;
  readonly #closed: Promise<void>;

  constructor(socket: net.Socket, options: H2ConnectionOptions) {
    assert(options.streamWindowBytes >= DEFAULT_WINDOW && options.streamWindowBytes <= MAX_WINDOW);
    assert(options.connectionWindowBytes >= DEFAULT_WINDOW && options.connectionWindowBytes <= MAX_WINDOW);
    this.socket = socket;
    this.#options = options;
    this.#observer = options.observer;
    this.#recvWindow = options.connectionWindowBytes;
    this.#closed = new Promise((resolve) => socket.once("close", resolve));
    socket.once("close", () => this.#onSocketClose());
    socket.on("error", () => {}); // "close" follows
    socket.on("data", (chunk: Buffer) => this.#onBytes(chunk));

    this.#push(this.#settingsFrame());
    const growBy = options.connectionWindowBytes - DEFAULT_WINDOW;
    if (growBy > 0) this.#push(u32Frame(FrameType.WINDOW_UPDATE, 0, growBy));
    if (options.initial !== undefined && options.initial.length > 0) this.#onBytes(options.initial);
    socket.resume();
  }

  /** Resolves once the socket has closed. */
  get closed(): Promise<void> {
    return this.#closed;
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** Graceful shutdown: GOAWAY, no new streams, close once the open ones are done. */
  close(): void {
    if (this.#destroyed || this.#draining) return;
    this.#sendGoaway(H2ErrorCode.NO_ERROR, "");
    if (this.#streams.size === 0) this.#endSocket();
  }

  /** Closes at once; open streams see onClose. */
  destroy(): void {
    if (this.#destroyed) return;
    this.socket.destroy();
    this.#onSocketClose();
  }

  /** Sends GOAWAY with an error code and closes the connection once it is out. */
  goawayAndClose(code: number, debug: string): void {
    if (this.#destroyed || this.#failed) return;
    this.#failed = true;
    this.#rest = EMPTY;
    this.#sendGoaway(code, debug);
    this.#endSocket();
  }

  /** Sends a PING; `onAck` runs when the client answers it. */
  ping(onAck: () => void): void {
    if (this.#destroyed) return;
    const payload = Buffer.alloc(8);
    payload.writeUInt32BE(++this.#pingCounter >>> 0, 4);
    this.#pings.set(payload.toString("hex"), onAck);
    this.#push(frame(FrameType.PING, 0, 0, payload));
  }

  // ---- reading --------------------------------------------------------------------------

  #onBytes(chunk: Buffer): void {
    if (this.#destroyed || this.#failed) return;
    this.#observer?.readActivity();
    const buf = this.#rest.length === 0 ? chunk : Buffer.concat([this.#rest, chunk]);
    let pos = 0;
    try {
      if (!this.#prefaceSeen) {
        const n = Math.min(buf.length, CLIENT_PREFACE.length);
        if (buf.compare(CLIENT_PREFACE, 0, n, 0, n) !== 0)
          throw new ConnectionError(H2ErrorCode.PROTOCOL_ERROR, "invalid connection preface");
        if (n < CLIENT_PREFACE.length) {
          this.#rest = buf;
          return;
        }
        this.#prefaceSeen = true;
        pos = n;
      }
      while (buf.length - pos >= FRAME_HEADER_LENGTH) {
        const length = buf.readUIntBE(pos, 3);
        if (length > MIN_MAX_FRAME_SIZE)
          throw new ConnectionError(H2ErrorCode.FRAME_SIZE_ERROR, `frame of ${length} octets`);
        if (buf.length - pos - FRAME_HEADER_LENGTH < length) break;
        const type = buf[pos + 3]!;
        const flags = buf[pos + 4]!;
        const streamId = buf.readUInt32BE(pos + 5) & 0x7fffffff;
        const payload = buf.subarray(pos + FRAME_HEADER_LENGTH, pos + FRAME_HEADER_LENGTH + length);
        pos += FRAME_HEADER_LENGTH + length;
        this.#onFrame(type, flags, streamId, payload);
        if (this.#destroyed || this.#failed) return;
      }
    } catch (error) {
      if (!(error instanceof ConnectionError)) throw error;
      this.goawayAndClose(error.code, error.message);
      return;
    }
    this.#rest = pos === buf.length ? EMPTY : buf.subarray(pos);
    if (this.#acks.length > 0) this.#holdOrSendAcks();
  }

  /**
   * grpc-go clients ping with every response they receive (to size their window), and the
   * ping arrives with the next request. Answered at once, the ACK is a write of its own
   * that wakes the client while it waits for that request's response; held until the
   * response goes out (for at most pingAckHoldMs), it rides in the same write. ACKs are sent
   * at once when no response is pending.
   */
  #holdOrSendAcks(): void {
    if (this.#unanswered === 0) this.#scheduleFlush();
    else this.#ackTimer ??= setTimeout(this.#scheduleFlush, this.#options.pingAckHoldMs ?? ACK_HOLD_MS);
  }

  #onFrame(type: number, flags: number, streamId: number, payload: Buffer): void {
    if (this.#headerBlock !== undefined && type !== FrameType.CONTINUATION)
      throw new ConnectionError(H2ErrorCode.PROTOCOL_ERROR, "expected CONTINUATION");
    switch (type) {
      case FrameType.DATA:
        this.#onData(flags, streamId, payload);
        break;
      case FrameType.HEADERS:
        this.#onHeaders(flags, streamId, payload);
        break;
      case FrameType.PRIORITY:
        if (streamId === 0) throw new ConnectionError(H2ErrorCode.PROTOCOL_ERROR, "PRIORITY on stream 0");
        if (payload.length !== 5) this.#streams.get(streamId)?.reset(H2ErrorCode.FRAME_SIZE_ERROR);
        break;
      case FrameType.RST_STREAM:
        this.#onRstStream(streamId, payload);
        break;
      case FrameType.SETTINGS:
        this.#onSettings(flags, streamId, payload);
        break;
      case FrameType.PUSH_PROMISE:
        throw new ConnectionError(H2ErrorCode.PROTOCOL_ERROR, "PUSH_PROMISE from a client");
      case FrameType.PING:
        this.#onPing(flags, streamId, payload);
        break;
      case FrameType.GOAWAY:
        if (streamId !== 0) throw new ConnectionError(H2ErrorCode.PROTOCOL_ERROR, "GOAWAY on a stream");
        // The client opens no more streams; the open ones finish, then the connection closes.
        this.#draining = true;
        if (this.#streams.size === 0) this.#endSocket();
        break;
      case FrameType.WINDOW_UPDATE:
        this.#onWindowUpdate(streamId, payload);
        break;
      case FrameType.CONTINUATION:
        this.#onContinuation(flags, streamId, payload);
        break;
      default:
        break; // unknown frame types are ignored (RFC 9113 4.1)
    }
  }

  #onData(flags: number, streamId: number, payload: Buffer): void {
    if (streamId === 0) throw new ConnectionError(H2ErrorCode.PROTOCOL_ERROR, "DATA on stream 0");
    let data = payload;
    if (flags & Flag.PADDED) {
      const padding = payload.length > 0 ? payload[0]! : -1;
      if (padding < 0 || padding >= payload.length)
        throw new ConnectionError(H2ErrorCode.PROTOCOL_ERROR, "DATA padding exceeds the payload");
      data = payload.subarray(1, payload.length - padding);
    }
    // The whole payload, padding included, counts against the connection window.
    this.#recvWindow -= payload.length;
    if (this.#recvWindow < 0)
      throw new ConnectionError(H2ErrorCode.FLOW_CONTROL_ERROR, "connection window exceeded");
    this.#recvUnacked += payload.length;
    if (this.#recvUnacked >= this.#options.connectionWindowBytes / 2) {
      this.#push(u32Frame(FrameType.WINDOW_UPDATE, 0, this.#recvUnacked));
      this.#recvWindow += this.#recvUnacked;
      this.#recvUnacked = 0;
    }
    const stream = this.#streams.get(streamId);
    if (stream === undefined) {
      if (streamId % 2 === 0 || streamId > this.#lastStreamId)
        throw new ConnectionError(H2ErrorCode.PROTOCOL_ERROR, "DATA on an idle stream");
      return; // a stream already closed (we may have reset it while this was in flight)
    }
    stream._receive(data, payload.length, (flags & Flag.END_STREAM) !== 0);
  }

  #onHeaders(flags: number, streamId: number, payload: Buffer): void {
    if (streamId === 0) throw new ConnectionError(H2ErrorCode.PROTOCOL_ERROR, "HEADERS on stream 0");
    const parsed = parseHeadersPayload(flags, payload);
    if (parsed === undefined) throw new ConnectionError(H2ErrorCode.PROTOCOL_ERROR, "malformed HEADERS");
    this.#headerBlock = { id: streamId, flags, fragments: [parsed.fragment], size: parsed.fragment.length };
    if (flags & Flag.END_HEADERS) this.#endHeaderBlock();
  }

  #onContinuation(flags: number, streamId: number, payload: Buffer): void {
    const block = this.#headerBlock;
    if (block === undefined || block.id !== streamId)
      throw new ConnectionError(H2ErrorCode.PROTOCOL_ERROR, "CONTINUATION without HEADERS");
    block.fragments.push(payload);
    block.size += payload.length;
    if (block.size > MAX_HEADER_BLOCK_BYTES)
      throw new ConnectionError(H2ErrorCode.ENHANCE_YOUR_CALM, "header block too large");
    if (flags & Flag.END_HEADERS) this.#endHeaderBlock();
  }

  #endHeaderBlock(): void {
    const block = this.#headerBlock;
    assert(block !== undefined);
    this.#headerBlock = undefined;
    const { id, flags } = block;
    const bytes = block.fragments.length === 1 ? block.fragments[0]! : Buffer.concat(block.fragments);
    let fields: ReturnType<HpackDecoder["decode"]>;
    try {
      // Always decoded, even for a stream about to be refused: the table must stay in step.
      fields = this.#decoder.decode(bytes);
    } catch (error) {
      if (error instanceof HpackError)
        throw new ConnectionError(H2ErrorCode.COMPRESSION_ERROR, error.message);
      throw error;
    }
    const endStream = (flags & Flag.END_STREAM) !== 0;
    const existing = this.#streams.get(id);
    if (existing !== undefined) {
      // Trailers from the client: they must end its side of the stream.
      if (endStream) existing._receive(EMPTY, 0, true);
      else existing.reset(H2ErrorCode.PROTOCOL_ERROR);
      return;
    }
    if (id % 2 === 0) throw new ConnectionError(H2ErrorCode.PROTOCOL_ERROR, `HEADERS on server stream ${id}`);
    // Opening a stream closes every idle one below it (RFC 9113 5.1.1).
    if (id <= this.#lastStreamId)
      throw new ConnectionError(H2ErrorCode.STREAM_CLOSED, `HEADERS on closed stream ${id}`);
    this.#lastStreamId = id;
    if (this.#draining) {
      this.#writeRst(id, H2ErrorCode.REFUSED_STREAM);
      return;
    }
    let listBytes = 0;
    for (const field of fields) listBytes += field.name.length + field.value.length + 32;
    if (listBytes > MAX_HEADER_BLOCK_BYTES || this.#streams.size >= this.#options.maxConcurrentStreams) {
      this.#writeRst(id, H2ErrorCode.REFUSED_STREAM);
      return;
    }
    const headers: RequestHeaders = {};
    for (const field of fields) {
      const name = field.name.toString("latin1");
      const value = field.value.toString("latin1");
      const prior = headers[name];
      if (prior === undefined) headers[name] = value;
      else if (Array.isArray(prior)) prior.push(value);
      else headers[name] = [prior, value];
    }
    // A request that ended with its HEADERS is half-closed before onStream sees it, so a
    // response finished there needs no RST_STREAM; onEnd follows once the callbacks are set.
    const stream = new H2ServerStream(
      this,
      id,
      this.#peerInitialWindow,
      this.#options.streamWindowBytes,
      endStream,
    );
    this.#streams.set(id, stream);
    this.#unanswered++;
    this.#observer?.streamOpened();
    this.#options.onStream(stream, headers);
    if (endStream) stream._endedWithHeaders();
  }

  #onRstStream(streamId: number, payload: Buffer): void {
    if (payload.length !== 4) throw new ConnectionError(H2ErrorCode.FRAME_SIZE_ERROR, "RST_STREAM length");
    if (streamId === 0 || streamId > this.#lastStreamId)
      throw new ConnectionError(H2ErrorCode.PROTOCOL_ERROR, "RST_STREAM on an idle stream");
    this.#streams.get(streamId)?._closed();
  }

  #onSettings(flags: number, streamId: number, payload: Buffer): void {
    if (streamId !== 0) throw new ConnectionError(H2ErrorCode.PROTOCOL_ERROR, "SETTINGS on a stream");
    if (flags & Flag.ACK) {
      if (payload.length !== 0)
        throw new ConnectionError(H2ErrorCode.FRAME_SIZE_ERROR, "SETTINGS ACK with data");
      return;
    }
    if (payload.length % 6 !== 0) throw new ConnectionError(H2ErrorCode.FRAME_SIZE_ERROR, "SETTINGS length");
    for (let i = 0; i < payload.length; i += 6) {
      const id = payload.readUInt16BE(i);
      const value = payload.readUInt32BE(i + 2);
      if (id === Setting.ENABLE_PUSH && value > 1)
        throw new ConnectionError(H2ErrorCode.PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH above 1");
      if (id === Setting.INITIAL_WINDOW_SIZE) {
        if (value > MAX_WINDOW)
          throw new ConnectionError(H2ErrorCode.FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE too large");
        const delta = value - this.#peerInitialWindow;
        this.#peerInitialWindow = value;
        for (const stream of this.#streams.values()) stream._growSendWindow(delta);
      }
      if (id === Setting.MAX_FRAME_SIZE) {
        if (value < MIN_MAX_FRAME_SIZE || value > 0xffffff)
          throw new ConnectionError(H2ErrorCode.PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE out of range");
        this.#peerMaxFrameSize = value;
      }
      // HEADER_TABLE_SIZE: our encoder never uses the dynamic table. MAX_CONCURRENT_STREAMS
      // and MAX_HEADER_LIST_SIZE: a server opens no streams and sends small header lists.
    }
    this.#push(frame(FrameType.SETTINGS, Flag.ACK, 0, EMPTY));
  }

  #onPing(flags: number, streamId: number, payload: Buffer): void {
    if (streamId !== 0) throw new ConnectionError(H2ErrorCode.PROTOCOL_ERROR, "PING on a stream");
    if (payload.length !== 8) throw new ConnectionError(H2ErrorCode.FRAME_SIZE_ERROR, "PING length");
    if (flags & Flag.ACK) {
      const key = payload.toString("hex");
      const onAck = this.#pings.get(key);
      this.#pings.delete(key);
      onAck?.();
      return;
    }
    this.#acks.push(frame(FrameType.PING, Flag.ACK, 0, payload));
    this.#observer?.pingReceived();
  }

  #onWindowUpdate(streamId: number, payload: Buffer): void {
    if (payload.length !== 4) throw new ConnectionError(H2ErrorCode.FRAME_SIZE_ERROR, "WINDOW_UPDATE length");
    const increment = payload.readUInt32BE(0) & 0x7fffffff;
    if (streamId !== 0) {
      const stream = this.#streams.get(streamId);
      if (stream === undefined) {
        if (streamId > this.#lastStreamId)
          throw new ConnectionError(H2ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE on an idle stream");
        return;
      }
      if (increment === 0) stream.reset(H2ErrorCode.PROTOCOL_ERROR);
      else stream._growSendWindow(increment);
      return;
    }
    if (increment === 0) throw new ConnectionError(H2ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE of 0");
    this.#sendWindow += increment;
    if (this.#sendWindow > MAX_WINDOW)
      throw new ConnectionError(H2ErrorCode.FLOW_CONTROL_ERROR, "connection window above 2^31-1");
    const blocked = [...this.#blocked];
    this.#blocked.clear();
    for (const stream of blocked) stream._flush();
  }

  // ---- writing --------------------------------------------------------------------------

  /** Queues bytes to go out with everything else written in this synchronous run. */
  #push(bytes: Buffer): void {
    this.#out.push(bytes);
    this.#outBytes += bytes.length;
    this.#scheduleFlush();
  }

  readonly #scheduleFlush = (): void => {
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      RESOLVED.then(this.#flush);
    }
  };

  readonly #flush = (): void => {
    this.#flushQueued = false;
    let out = this.#out;
    let bytes = this.#outBytes;
    this.#out = [];
    this.#outBytes = 0;
    if (this.#acks.length > 0) {
      // Behind what was queued before them, as if answered in turn.
      for (const ack of this.#acks) bytes += ack.length;
      out = out.length === 0 ? this.#acks : [...out, ...this.#acks];
      this.#acks = [];
      clearTimeout(this.#ackTimer);
      this.#ackTimer = undefined;
    }
    if (this.#destroyed || out.length === 0) return;
    const socket = this.socket;
    let ok: boolean;
    if (out.length === 1) {
      ok = socket.write(out[0]!);
    } else if (bytes <= COALESCE_MAX) {
      ok = socket.write(Buffer.concat(out, bytes));
    } else {
      socket.cork();
      ok = true;
      for (const b of out) ok = socket.write(b);
      socket.uncork();
    }
    if (!ok && !this.#socketBlocked) {
      this.#socketBlocked = true;
      socket.once("drain", this.#onSocketDrain);
    }
  };

  readonly #onSocketDrain = (): void => {
    this.#socketBlocked = false;
    const waiting = [...this.#drainWaiting];
    this.#drainWaiting.clear();
    for (const stream of waiting) stream._checkDrain();
  };

  get socketBlocked(): boolean {
    return this.#socketBlocked;
  }

  #settingsFrame(): Buffer {
    const entries: [number, number][] = [[Setting.INITIAL_WINDOW_SIZE, this.#options.streamWindowBytes]];
    if (this.#options.maxConcurrentStreams < 2 ** 32 - 1)
      entries.unshift([Setting.MAX_CONCURRENT_STREAMS, this.#options.maxConcurrentStreams]);
    const payload = Buffer.alloc(entries.length * 6);
    entries.forEach(([id, value], i) => {
      payload.writeUInt16BE(id, i * 6);
      payload.writeUInt32BE(value, i * 6 + 2);
    });
    return frame(FrameType.SETTINGS, 0, 0, payload);
  }

  #sendGoaway(code: number, debug: string): void {
    this.#draining = true;
    const text = Buffer.from(debug);
    const body = Buffer.alloc(8 + text.length);
    body.writeUInt32BE(this.#lastStreamId, 0);
    body.writeUInt32BE(code, 4);
    text.copy(body, 8);
    this.#push(frame(FrameType.GOAWAY, 0, 0, body));
  }

  /** Ends the socket once what is queued has been written; destroys it if the client lingers. */
  #endSocket(): void {
    queueMicrotask(() => {
      if (this.#destroyed) return;
      this.socket.end();
      setTimeout(() => this.destroy(), END_GRACE_MS).unref();
    });
  }

  #writeRst(streamId: number, code: number): void {
    this.#push(u32Frame(FrameType.RST_STREAM, streamId, code));
  }

  // ---- for H2ServerStream -----------------------------------------------------------------

  /** Writes a header block on a stream (with CONTINUATIONs if it is longer than a frame). */
  _writeHeaders(streamId: number, block: Buffer, endStream: boolean): void {
    const flags = endStream ? Flag.END_STREAM : 0;
    if (block.length <= this.#peerMaxFrameSize) {
      this.#push(frame(FrameType.HEADERS, flags | Flag.END_HEADERS, streamId, block));
    } else {
      this.#push(headerBlockFrames(streamId, flags, undefined, block, this.#peerMaxFrameSize));
    }
  }

  /** Sends as much of `data` as the windows allow (at most one frame); returns octets sent. */
  _writeData(stream: H2ServerStream, streamWindow: number, data: Buffer): number {
    const n = Math.min(data.length, streamWindow, this.#sendWindow, this.#peerMaxFrameSize);
    if (n <= 0) {
      if (this.#sendWindow <= 0) this.#blocked.add(stream);
      return 0;
    }
    this.#sendWindow -= n;
    this.#push(frameHeader(n, FrameType.DATA, 0, stream.id));
    this.#push(n === data.length ? data : data.subarray(0, n));
    return n;
  }

  /** A stream's response headers are going out. */
  _responseStarted(): void {
    this.#unanswered--;
    assert(this.#unanswered >= 0);
  }

  _writeRst(streamId: number, code: number): void {
    this.#writeRst(streamId, code);
  }

  _writeWindowUpdate(streamId: number, increment: number): void {
    this.#push(u32Frame(FrameType.WINDOW_UPDATE, streamId, increment));
  }

  _waitForSocketDrain(stream: H2ServerStream): void {
    this.#drainWaiting.add(stream);
  }

  _streamClosed(stream: H2ServerStream): void {
    if (this.#streams.get(stream.id) !== stream) return;
    this.#streams.delete(stream.id);
    if (!stream.headersSent) this.#unanswered--;
    this.#blocked.delete(stream);
    this.#drainWaiting.delete(stream);
    this.#observer?.streamClosed();
    if (this.#draining && this.#streams.size === 0) this.#endSocket();
  }

  #onSocketClose(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#out = [];
    this.#outBytes = 0;
    this.#acks = [];
    clearTimeout(this.#ackTimer);
    for (const stream of [...this.#streams.values()]) stream._closed();
    this.#observer?.closed();
  }
}

/** One request/response exchange on an H2Connection, as its consumer sees it. */
export class H2ServerStream {
  readonly id: number;
  /** Request body octets, in order. */
  onData: ((chunk: Buffer) => void) | undefined;
  /** The client has finished sending. */
  onEnd: (() => void) | undefined;
  /** The stream is closed: finished both ways, reset by either side, or the connection is gone. */
  onClose: (() => void) | undefined;

  readonly #conn: H2Connection;
  #sendWindow: number;
  readonly #recvWindowSize: number;
  #recvWindow: number;
  #recvUnacked = 0;
  #paused = false;
  #headersSent = false;
  #remoteEnded = false;
  #closed = false;
  readonly #pending: Buffer[] = [];
  #pendingBytes = 0;
  #trailers: Buffer | undefined;
  #onDrain: (() => void) | undefined;

  constructor(conn: H2Connection, id: number, sendWindow: number, recvWindow: number, remoteEnded: boolean) {
    this.#conn = conn;
    this.id = id;
    this.#sendWindow = sendWindow;
    this.#recvWindowSize = recvWindow;
    this.#recvWindow = recvWindow;
    this.#remoteEnded = remoteEnded;
  }

  get connection(): H2Connection {
    return this.#conn;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get headersSent(): boolean {
    return this.#headersSent;
  }

  /** Sends the response headers (an encoded block); `endStream` for a headers-only response. */
  respond(block: Buffer, endStream: boolean): void {
    if (this.#closed) return;
    assert(!this.#headersSent, "response headers sent twice");
    this.#headersSent = true;
    this.#conn._responseStarted();
    this.#conn._writeHeaders(this.id, block, endStream);
    if (endStream) this.#endLocal();
  }

  /** Queues response body octets; false when the caller should wait for drain. */
  write(data: Buffer): boolean {
    if (this.#closed) return true;
    assert(this.#headersSent && this.#trailers === undefined, "write outside the response body");
    if (data.length > 0) {
      this.#pending.push(data);
      this.#pendingBytes += data.length;
      this._flush();
    }
    return !this.needsDrain;
  }

  /** Ends the response with trailers (an encoded block) once the queued body is out. */
  end(trailers: Buffer): void {
    if (this.#closed) return;
    assert(this.#headersSent && this.#trailers === undefined, "trailers before headers, or twice");
    this.#trailers = trailers;
    this._flush();
  }

  /** Abandons the stream both ways with RST_STREAM. */
  reset(code: number): void {
    if (this.#closed) return;
    this.#conn._writeRst(this.id, code);
    this._closed();
  }

  /** True while queued body octets or the socket are over their limit. */
  get needsDrain(): boolean {
    return this.#pendingBytes > STREAM_HIGH_WATER || this.#conn.socketBlocked;
  }

  /** Calls `onDrain` once write() may go on (or the stream closed). */
  waitForDrain(onDrain: () => void): void {
    this.#onDrain = onDrain;
    this._checkDrain();
  }

  /** Stops granting the client window for this stream (the consumer is behind). */
  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    this.#grantWindow();
  }

  // ---- for H2Connection --------------------------------------------------------------------

  _receive(data: Buffer, flowControlled: number, endStream: boolean): void {
    if (this.#closed) return;
    if (this.#remoteEnded) {
      this.reset(H2ErrorCode.STREAM_CLOSED);
      return;
    }
    this.#recvWindow -= flowControlled;
    if (this.#recvWindow < 0) {
      this.reset(H2ErrorCode.FLOW_CONTROL_ERROR);
      return;
    }
    this.#recvUnacked += flowControlled;
    if (data.length > 0) this.onData?.(data);
    if (endStream) {
      this.#remoteEnded = true;
      this.onEnd?.();
      return;
    }
    this.#grantWindow();
  }

  /** The request's HEADERS carried END_STREAM: onEnd, unless the stream is already closed. */
  _endedWithHeaders(): void {
    if (!this.#closed) this.onEnd?.();
  }

  _growSendWindow(delta: number): void {
    this.#sendWindow += delta;
    if (this.#sendWindow > MAX_WINDOW) {
      this.reset(H2ErrorCode.FLOW_CONTROL_ERROR);
      return;
    }
    this._flush();
  }

  /** Sends what the windows allow, then the trailers once the body is all out. */
  _flush(): void {
    if (this.#closed) return;
    const pending = this.#pending;
    while (pending.length > 0) {
      const head = pending[0]!;
      const sent = this.#conn._writeData(this, this.#sendWindow, head);
      if (sent === 0) break;
      this.#sendWindow -= sent;
      this.#pendingBytes -= sent;
      if (sent === head.length) pending.shift();
      else pending[0] = head.subarray(sent);
    }
    if (pending.length === 0 && this.#trailers !== undefined) {
      this.#conn._writeHeaders(this.id, this.#trailers, true);
      this.#trailers = undefined;
      this.#endLocal();
      return;
    }
    this._checkDrain();
  }

  _checkDrain(): void {
    const onDrain = this.#onDrain;
    if (onDrain === undefined) return;
    if (!this.#closed && this.needsDrain) {
      if (this.#conn.socketBlocked) this.#conn._waitForSocketDrain(this);
      return;
    }
    this.#onDrain = undefined;
    onDrain();
  }

  _closed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending.length = 0;
    this.#pendingBytes = 0;
    this.#conn._streamClosed(this);
    this._checkDrain();
    this.onClose?.();
  }

  /** Our side of the stream is done, and with it the stream. */
  #endLocal(): void {
    // A response complete before the request is: tell the client to stop sending (RFC 9113 8.1).
    if (!this.#remoteEnded) this.#conn._writeRst(this.id, H2ErrorCode.NO_ERROR);
    this._closed();
  }

  #grantWindow(): void {
    if (this.#paused || this.#remoteEnded || this.#closed) return;
    if (this.#recvUnacked < this.#recvWindowSize / 2) return;
    this.#conn._writeWindowUpdate(this.id, this.#recvUnacked);
    this.#recvWindow += this.#recvUnacked;
    this.#recvUnacked = 0;
  }
}
