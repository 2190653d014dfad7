// A Duplex between a client's socket and node's HTTP/2 server for connections whose
// :authority nghttp2 would reject: the client's bytes go through an AuthorityFrameRewriter,
// the server's bytes go out untouched. Only such connections pay for it; the rest get the
// raw socket (see authority-gate.ts).
import type http2 from "node:http2";
import type net from "node:net";
import { Duplex } from "node:stream";
import type tls from "node:tls";
import { AuthorityFrameRewriter } from "./authority-frames.js";

export interface AuthorityShimOptions {
  /** Bytes already read from the socket, starting with the client preface. */
  readonly initial: Buffer;
  /** The client will acknowledge a SETTINGS frame the server did not send. */
  readonly dropSettingsAck: boolean;
  /** The server's SETTINGS_HEADER_TABLE_SIZE. */
  readonly settingsMaxSize?: number;
}

type Originals = readonly (readonly [string, string])[];

/** Streams whose original values were never claimed are forgotten beyond this many. */
const MAX_PENDING_ORIGINALS = 1024;

export class AuthorityShim extends Duplex {
  readonly socket: net.Socket;
  readonly #rewriter: AuthorityFrameRewriter;
  /** Values the client sent, by stream, until the stream's handler claims them. */
  readonly #originals = new Map<number, Originals>();
  #ended = false;

  constructor(socket: net.Socket, options: AuthorityShimOptions) {
    super();
    this.socket = socket;
    // Node's session turns Nagle off on its socket, which is now ours: without this, small
    // writes wait for delayed ACKs (tens of milliseconds a call).
    socket.setNoDelay(true);
    (socket as tls.TLSSocket).disableRenegotiation?.(); // as node does for HTTP/2 over TLS
    this.#rewriter = new AuthorityFrameRewriter({
      dropSettingsAck: options.dropSettingsAck,
      ...(options.settingsMaxSize !== undefined && { settingsMaxSize: options.settingsMaxSize }),
      onOriginals: (streamId, originals) => {
        this.#originals.set(streamId, originals);
        if (this.#originals.size > MAX_PENDING_ORIGINALS) {
          this.#originals.delete(this.#originals.keys().next().value!);
        }
      },
    });
    this.#forward(this.#rewriter.feed(options.initial));
    socket.on("data", (chunk: Buffer) => this.#forward(this.#rewriter.feed(chunk)));
    socket.on("end", () => this.#end());
    socket.on("close", () => this.destroy());
    if (socket.readableEnded) this.#end();
    if (socket.destroyed) this.destroy();
  }

  /**
   * The shim a session runs over, if any. Node wraps a Duplex in a socket of its own that
   * knows no addresses and no TLS; this makes that socket report the real one's, for
   * handlers that look at `session.socket` (peer address, client certificate).
   */
  static adopt(session: http2.Http2Session): AuthorityShim | undefined {
    const wrapper = session.socket as unknown as Record<string, unknown>;
    const shim = wrapper.stream;
    if (!(shim instanceof AuthorityShim)) return undefined;
    const socket = shim.socket;
    // net.Socket answers remoteAddress/localAddress from these when it has no handle to ask.
    wrapper._peername = {
      address: socket.remoteAddress,
      port: socket.remotePort,
      family: socket.remoteFamily,
    };
    wrapper._sockname = socket.address();
    const secure = socket as tls.TLSSocket;
    if (secure.encrypted) {
      wrapper.encrypted = true;
      wrapper.alpnProtocol = secure.alpnProtocol;
      wrapper.getPeerCertificate = (detailed?: boolean) => secure.getPeerCertificate(detailed);
    }
    return shim;
  }

  /**
   * Puts back the values the client sent in a stream's request headers (both the parsed
   * object and node's raw [name, value, ...] list); false if none were sanitized.
   */
  restoreOriginals(streamId: number, headers: Record<string, unknown>, rawHeaders: string[]): boolean {
    const originals = this.#originals.get(streamId);
    // Client streams open in increasing order: earlier unclaimed ones never reached a handler.
    for (const id of this.#originals.keys()) {
      if (id > streamId) break;
      this.#originals.delete(id);
    }
    if (originals === undefined) return false;
    for (const [name, value] of originals) {
      headers[name] = value;
      for (let i = 0; i + 1 < rawHeaders.length; i += 2)
        if (rawHeaders[i] === name) rawHeaders[i + 1] = value;
    }
    return true;
  }

  override _read(): void {
    this.socket.resume();
  }

  // A write is done once the socket has taken it without pushing back: waiting for the
  // kernel to take each one too would add an event-loop turn to every response.
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.socket.write(chunk)) callback();
    else this.socket.once("drain", () => callback());
  }

  override _writev(
    chunks: { chunk: Buffer; encoding: BufferEncoding }[],
    callback: (error?: Error | null) => void,
  ): void {
    this.socket.cork();
    let room = true;
    for (const { chunk } of chunks) room = this.socket.write(chunk);
    this.socket.uncork();
    if (room) callback();
    else this.socket.once("drain", () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy();
    callback(error);
  }

  #forward(bytes: Buffer | undefined): void {
    if (bytes !== undefined && !this.push(bytes)) this.socket.pause();
  }

  #end(): void {
    if (this.#ended || this.destroyed) return;
    this.#ended = true;
    this.#forward(this.#rewriter.flush());
    this.push(null);
  }
}
