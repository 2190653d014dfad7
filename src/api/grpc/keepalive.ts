// Connection keepalive as grpc-go's server does it: clients that ping more often than the
// policy allows get GOAWAY ENHANCE_YOUR_CALM "too_many_pings"; a connection silent for
// `intervalMs` is pinged and closed if the ping is not answered within `timeoutMs`.
import assert from "node:assert";
import { constants, type ServerHttp2Session } from "node:http2";
import type { ConnectionActivity } from "./h2-call.js";

export interface KeepaliveOptions {
  /** Minimum time between client pings while streams are open (etcd --grpc-keepalive-min-time). */
  minTimeMs: number;
  /** Allow client pings when no stream is open (grpc-go's PermitWithoutStream; etcd: false). */
  permitWithoutStream: boolean;
  /** Ping a connection idle for this long (etcd --grpc-keepalive-interval). */
  intervalMs: number;
  /** Close the connection if that ping is not answered in time (etcd --grpc-keepalive-timeout). */
  timeoutMs: number;
}

export const defaultKeepalive: KeepaliveOptions = {
  minTimeMs: 5_000,
  permitWithoutStream: false,
  intervalMs: 2 * 60 * 60 * 1000,
  timeoutMs: 20_000,
};

// grpc-go: pings allowed without streams only this often, and strikes tolerated.
const idlePingIntervalMs = 2 * 60 * 60 * 1000;
const maxPingStrikes = 2;

/** An HTTP/2 PING frame: 9 bytes of frame header and 8 of payload. */
const PING_ACK_BYTES = 17;

/** The keepalive state of one HTTP/2 connection. */
export class ConnectionKeepalive implements ConnectionActivity {
  active = false;
  #streams = 0;
  #lastPingAt = Number.NEGATIVE_INFINITY;
  #strikes = 0;
  #writtenAtLastPing = 0;
  #pingOutstanding = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #session: ServerHttp2Session;
  readonly #options: KeepaliveOptions;

  constructor(session: ServerHttp2Session, options: KeepaliveOptions) {
    assert(options.minTimeMs >= 0 && options.intervalMs > 0 && options.timeoutMs > 0);
    this.#session = session;
    this.#options = options;
    const onStreamClose = (): void => {
      this.#streams--;
    };
    session.on("stream", (stream) => {
      this.#streams++;
      this.active = true;
      stream.once("close", onStreamClose);
    });
    session.on("ping", () => this.#onPing());
    session.once("close", () => this.#stop());
    this.#schedule(options.intervalMs);
  }

  #onPing(): void {
    const now = Date.now();
    this.active = true;
    const last = this.#lastPingAt;
    this.#lastPingAt = now;
    // A ping after the server wrote something is the client's ordinary response to it
    // (grpc-go clients ping to size their window as data arrives). As in grpc-go, what
    // counts is bytes that left the socket, not writes queued: a response held back by
    // flow control goes out later, frame by frame, and each frame may draw a ping. Our own
    // PING ACK to the previous ping does not count.
    const written = this.#session.socket?.bytesWritten ?? 0;
    const wroteSince = written - this.#writtenAtLastPing > PING_ACK_BYTES;
    this.#writtenAtLastPing = written;
    if (wroteSince) {
      this.#strikes = 0;
      return;
    }
    const minGap =
      this.#streams < 1 && !this.#options.permitWithoutStream ? idlePingIntervalMs : this.#options.minTimeMs;
    if (last + minGap > now) this.#strikes++;
    if (this.#strikes > maxPingStrikes) {
      const session = this.#session;
      if (session.destroyed) return;
      const lastStreamId = session.state.lastProcStreamID ?? 0;
      session.goaway(constants.NGHTTP2_ENHANCE_YOUR_CALM, lastStreamId, Buffer.from("too_many_pings"));
      // Let the GOAWAY frame leave before the connection closes.
      setImmediate(() => session.destroy());
    }
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => this.#tick(), delayMs);
    this.#timer.unref();
  }

  #tick(): void {
    const session = this.#session;
    if (session.destroyed || session.closed) return;
    if (this.active) {
      this.active = false;
      this.#pingOutstanding = false;
      this.#schedule(this.#options.intervalMs);
      return;
    }
    if (this.#pingOutstanding) {
      // No answer within the timeout: the peer is gone.
      session.destroy();
      return;
    }
    this.#pingOutstanding = true;
    session.ping((error) => {
      if (error === null) this.active = true;
    });
    this.#schedule(this.#options.timeoutMs);
  }

  #stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
