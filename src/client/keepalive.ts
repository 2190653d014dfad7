// The lease keep-alive loop of clientv3: renew at once, then every TTL/3; deliver each
// renewal; end when the server reports the lease gone (TTL <= 0) or when no renewal
// succeeded within the lease's TTL. A broken stream is reopened on the next endpoint.
import { status as Status } from "@grpc/grpc-js";
import { idToLong } from "../proto/index.js";
import { fromWire } from "./convert.js";
import { M } from "./methods.js";
import { AsyncQueue } from "./queue.js";
import type { Transport } from "./transport.js";
import type { LeaseKeepAliveResponse } from "./types.js";

type Stream = Awaited<ReturnType<Transport["bidi"]>>;

const CHECK_INTERVAL_MS = 500;
const RETRY_DELAY_MS = 500;

export class LeaseKeepAlive implements AsyncIterable<LeaseKeepAliveResponse> {
  private readonly queue = new AsyncQueue<LeaseKeepAliveResponse>();
  private readonly controller = new AbortController();
  private stream: Stream | undefined;
  private nextSendAt = 0;
  /** Renewals must keep arriving before this time, or the lease is taken as expired. */
  private deadline = Number.POSITIVE_INFINITY;
  private readonly ticker: NodeJS.Timeout;
  private readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    private readonly transport: Transport,
    readonly id: bigint,
  ) {
    this.done = new Promise((r) => {
      this.resolveDone = r;
    });
    this.ticker = setInterval(() => this.tick(), CHECK_INTERVAL_MS);
    void this.run();
  }

  [Symbol.asyncIterator](): AsyncIterator<LeaseKeepAliveResponse> {
    return this.queue[Symbol.asyncIterator]();
  }

  /** Resolves when the loop has stopped (lease gone or close()). */
  get finished(): Promise<void> {
    return this.done;
  }

  close(): void {
    this.finish();
  }

  private finish(err?: Error): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort();
    clearInterval(this.ticker);
    this.stream?.cancel();
    this.queue.end(err);
    this.resolveDone();
  }

  private tick(): void {
    if (Date.now() > this.deadline) {
      this.finish();
      return;
    }
    if (this.stream && Date.now() >= this.nextSendAt) this.send();
  }

  private send(): void {
    this.nextSendAt = Date.now() + CHECK_INTERVAL_MS;
    this.stream?.write({ ID: idToLong(this.id, false) });
  }

  private async run(): Promise<void> {
    while (!this.controller.signal.aborted) {
      let stream: Stream;
      try {
        stream = await this.transport.bidi(M.leaseKeepAlive, { signal: this.controller.signal });
      } catch (err) {
        return this.finish(err as Error);
      }
      this.stream = stream;
      const retry = await new Promise<boolean>((resolve) => {
        stream.on("data", (msg: unknown) => {
          const r = fromWire<LeaseKeepAliveResponse>("etcdserverpb.LeaseKeepAliveResponse", msg);
          if (r.ID !== this.id) return;
          if (r.TTL <= 0) {
            resolve(false);
            return this.finish();
          }
          this.nextSendAt = Date.now() + (r.TTL * 1000) / 3;
          this.deadline = Date.now() + r.TTL * 1000;
          this.queue.push(r);
        });
        stream.on("error", (err: { code?: number }) => {
          resolve(err.code === Status.UNAVAILABLE || err.code === Status.INTERNAL);
        });
        stream.on("end", () => resolve(true));
        this.send();
      });
      this.stream = undefined;
      if (!retry || this.controller.signal.aborted) return this.finish();
      this.transport.skipEndpoint();
      await new Promise((r) => setTimeout(r, RETRY_DELAY_MS));
    }
  }
}
