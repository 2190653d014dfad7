// A watch that survives broken connections: when its stream fails with a retriable error
// it is opened again (on the next endpoint) from the revision after the last one it
// delivered, so no event is lost or repeated, as clientv3's watcher does.
import { status as Status } from "@grpc/grpc-js";
import { Long } from "../proto/index.js";
import { fromWire } from "./convert.js";
import { etcdError } from "./errors.js";
import { type Bytes, type RangeSelector, resolveRange } from "./keys.js";
import { M } from "./methods.js";
import { AsyncQueue } from "./queue.js";
import type { Transport } from "./transport.js";
import type { WatchResponse } from "./types.js";

export interface WatchOptions extends RangeSelector {
  /** First revision to deliver (0 = from now on). */
  startRevision?: number;
  prevKv?: boolean;
  progressNotify?: boolean;
  /** Leave out PUT or DELETE events. */
  noPut?: boolean;
  noDelete?: boolean;
  fragment?: boolean;
  /** Fail when the cluster has no leader instead of waiting. */
  requireLeader?: boolean;
  /** Also deliver the server's "created" response. */
  createdNotify?: boolean;
}

type Stream = Awaited<ReturnType<Transport["bidi"]>>;

/** A "progress notify" response: no events, not created or canceled, only a revision. */
export function isProgressNotify(r: WatchResponse): boolean {
  return (
    r.events.length === 0 &&
    !r.canceled &&
    !r.created &&
    r.compactRevision === 0 &&
    (r.header?.revision ?? 0) !== 0
  );
}

export class Watcher implements AsyncIterable<WatchResponse> {
  private readonly queue = new AsyncQueue<WatchResponse>();
  private stream: Stream | undefined;
  private readonly controller = new AbortController();
  /** The revision to resume from; 0 means "from the current revision". */
  private nextRev: number;
  private readonly key: Buffer;
  private readonly rangeEnd: Buffer;
  /** Fragments of one response that the server split (fragment option). */
  private pending: WatchResponse | undefined;

  constructor(
    private readonly transport: Transport,
    key: Bytes,
    private readonly options: WatchOptions = {},
  ) {
    const r = resolveRange(key, options);
    this.key = r.key;
    this.rangeEnd = r.rangeEnd;
    this.nextRev = options.startRevision ?? 0;
    void this.run();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchResponse> {
    return this.queue[Symbol.asyncIterator]();
  }

  /** Stops the watch; the iteration ends after responses already received. */
  cancel(): void {
    this.controller.abort();
    this.stream?.cancel();
    this.queue.end();
  }

  /** Asks the server for a progress notification (delivered as a response without events). */
  requestProgress(): void {
    this.stream?.write({ progressRequest: {} });
  }

  private createRequest(): Record<string, unknown> {
    const o = this.options;
    const filters: number[] = [];
    if (o.noPut) filters.push(0);
    if (o.noDelete) filters.push(1);
    return {
      createRequest: {
        key: this.key,
        rangeEnd: this.rangeEnd,
        startRevision: this.nextRev ? Long.fromNumber(this.nextRev) : undefined,
        progressNotify: o.progressNotify ?? false,
        filters,
        prevKv: o.prevKv ?? false,
        fragment: o.fragment ?? false,
      },
    };
  }

  private async run(): Promise<void> {
    while (!this.controller.signal.aborted) {
      let stream: Stream;
      try {
        stream = await this.transport.bidi(M.watch, {
          signal: this.controller.signal,
          ...(this.options.requireLeader ? { requireLeader: true } : {}),
        });
      } catch (err) {
        if (!this.controller.signal.aborted) this.queue.end(err as Error);
        return;
      }
      this.stream = stream;
      const outcome = await this.pump(stream);
      this.stream = undefined;
      if (outcome === "done" || this.controller.signal.aborted) return;
      if (outcome === "refresh-token") {
        try {
          await this.transport.refreshToken();
        } catch (err) {
          this.queue.end(err as Error);
          return;
        }
      } else {
        this.transport.skipEndpoint();
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Reads one stream to its end: "done" when the watch is over, "retry" to reopen it. */
  private pump(stream: Stream): Promise<"done" | "retry" | "refresh-token"> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (v: "done" | "retry" | "refresh-token") => {
        if (!settled) {
          settled = true;
          resolve(v);
        }
      };
      stream.on("data", (msg: unknown) => {
        const r = fromWire<WatchResponse>("etcdserverpb.WatchResponse", msg);
        if (this.handle(r)) {
          stream.cancel();
          settle("done");
        }
      });
      stream.on("error", (err: { code?: number; details?: string }) => {
        if (this.controller.signal.aborted) return settle("done");
        const code = err.code ?? Status.UNKNOWN;
        if (code === Status.UNAVAILABLE || code === Status.INTERNAL) return settle("retry");
        const known = etcdError(err.details ?? "", code);
        if (known && known.message === "etcdserver: invalid auth token") return settle("refresh-token");
        this.queue.end(known ?? new Error(err.details ?? "watch stream failed"));
        settle("done");
      });
      stream.on("end", () => settle(this.controller.signal.aborted ? "done" : "retry"));
      stream.write(this.createRequest());
    });
  }

  /** Delivers one response; true when the watch has ended (canceled by the server). */
  private handle(r: WatchResponse): boolean {
    if (r.fragment || this.pending) {
      if (this.pending) this.pending.events.push(...r.events);
      else this.pending = r;
      if (r.fragment) return false;
      r = this.pending;
      r.fragment = false;
      this.pending = undefined;
    }
    if (r.created) {
      if (this.nextRev === 0) this.nextRev = (r.header?.revision ?? 0) + 1;
      if (this.options.createdNotify) this.queue.push(r);
      return false;
    }
    if (r.canceled) {
      this.queue.push(r);
      this.queue.end();
      return true;
    }
    const last = r.events[r.events.length - 1];
    if (last?.kv) this.nextRev = last.kv.modRevision + 1;
    else if (isProgressNotify(r)) this.nextRev = Math.max(this.nextRev, (r.header?.revision ?? 0) + 1);
    this.queue.push(r);
    return false;
  }
}
