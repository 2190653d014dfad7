// Connection keepalive as grpc-go's server does it: clients that ping more often than the
// policy allows get GOAWAY ENHANCE_YOUR_CALM "too_many_pings"; a connection silent for
// `intervalMs` is pinged and closed if the ping is not answered within `timeoutMs`.
import assert from "node:assert";
import { constants, type ServerHttp2Session } from "node:http2";
import type { ConnectionObserver } from "../http/h2-connection.js";
import type { ConnectionActivity } from "./framed-call.js";

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

/** What the keepalive policy needs of a connection, whoever frames it. */
export interface KeepaliveTarget {
  /** Closed or closing. */
  readonly gone: boolean;
  /** Octets written to the socket so far. */
  readonly bytesWritten: number;
  /** Sends a PING; `onAck` runs when it is answered. */
  ping(onAck: () => void): void;
  /** GOAWAY ENHANCE_YOUR_CALM "too_many_pings", then close. */
  tooManyPings(): void;
  destroy(): void;
}

/** The keepalive state of one HTTP/2 connection. */
export class ConnectionKeepalive implements ConnectionActivity, ConnectionObserver {
  active = false;
  #streams = 0;
  #lastPingAt = Number.NEGATIVE_INFINITY;
  #strikes = 0;
  #writtenAtLastPing = 0;
  #pingOutstanding = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #target: KeepaliveTarget;
  readonly #options: KeepaliveOptions;

  constructor(target: KeepaliveTarget, options: KeepaliveOptions) {
    assert(options.minTimeMs >= 0 && options.intervalMs > 0 && options.timeoutMs > 0);
    this.#target = target;
    this.#options = options;
    this.#schedule(options.intervalMs);
  }

  readActivity(): void {
    this.active = true;
  }

  streamOpened(): void {
    this.#streams++;
    this.active = true;
  }

  streamClosed(): void {
    this.#streams--;
  }

  pingReceived(): void {
    const now = Date.now();
    this.active = true;
    const last = this.#lastPingAt;
    this.#lastPingAt = now;
    // A ping after the server wrote something is the client's ordinary response to it
    // (grpc-go clients ping to size their window as data arrives). As in grpc-go, what
    // counts is bytes that left the socket, not writes queued: a response held back by
    // flow control goes out later, frame by frame, and each frame may draw a ping. Our own
    // PING ACK to the previous ping does not count.
    const written = this.#target.bytesWritten;
    const wroteSince = written - this.#writtenAtLastPing > PING_ACK_BYTES;
    this.#writtenAtLastPing = written;
    if (wroteSince) {
      this.#strikes = 0;
      return;
    }
    const minGap =
      this.#streams < 1 && !this.#options.permitWithoutStream ? idlePingIntervalMs : this.#options.minTimeMs;
    if (last + minGap > now) this.#strikes++;
    if (this.#strikes > maxPingStrikes && !this.#target.gone) this.#target.tooManyPings();
  }

  closed(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => this.#tick(), delayMs);
    this.#timer.unref();
  }

  #tick(): void {
    const target = this.#target;
    if (target.gone) return;
    if (this.active) {
      this.active = false;
      this.#pingOutstanding = false;
      this.#schedule(this.#options.intervalMs);
      return;
    }
    if (this.#pingOutstanding) {
      // No answer within the timeout: the peer is gone.
      target.destroy();
      return;
    }
    this.#pingOutstanding = true;
    target.ping(() => {
      this.active = true;
    });
    this.#schedule(this.#options.timeoutMs);
  }
}

/** Keepalive for a connection served by node:http2. */
export function keepaliveForSession(
  session: ServerHttp2Session,
  options: KeepaliveOptions,
): ConnectionKeepalive {
  const keepalive = new ConnectionKeepalive(
    {
      get gone() {
        return session.destroyed || session.closed;
      },
      get bytesWritten() {
        return session.socket?.bytesWritten ?? 0;
      },
      ping: (onAck) =>
        session.ping((error) => {
          if (error === null) onAck();
        }),
      tooManyPings: () => {
        const lastStreamId = session.state.lastProcStreamID ?? 0;
        session.goaway(constants.NGHTTP2_ENHANCE_YOUR_CALM, lastStreamId, Buffer.from("too_many_pings"));
        // Let the GOAWAY frame leave before the connection closes.
        setImmediate(() => session.destroy());
      },
      destroy: () => session.destroy(),
    },
    options,
  );
  const onStreamClose = (): void => keepalive.streamClosed();
  session.on("stream", (stream) => {
    keepalive.streamOpened();
    stream.once("close", onStreamClose);
  });
  session.on("ping", () => keepalive.pingReceived());
  session.once("close", () => keepalive.closed());
  return keepalive;
}
