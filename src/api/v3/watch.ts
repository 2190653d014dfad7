// The Watch service: one bidirectional stream per client carrying many watchers, as
// etcd's v3rpc/watch.go runs it. A watcher's events are held back until its "created"
// response went out; progress notifications go to watchers that asked for them when
// they have had nothing else to say for an interval; a stream-wide progress request is
// answered once every watcher on the stream has caught up (etcd 3.4.31's semantics,
// which kube-apiserver relies on); large responses are split for watchers that accept
// fragments. A client that half-closes keeps receiving until it cancels, as in etcd.

import { mvccMetrics } from "../../metrics/index.js";
import {
  ErrEmptyWatcherRange,
  ErrWatcherDuplicateID,
  type WatchResponse as StoreResponse,
  type WatchStream,
} from "../../mvcc/index.js";
import { etcdserverpb, mvccpb, toNumber } from "../../proto/index.js";
import type { EtcdServer } from "../../server/index.js";
import type { BidiCall, CallContext, GrpcServer } from "../grpc/index.js";
import { serviceMethods, withResponseEncoder } from "../grpc/index.js";
import { responseHeader } from "./header.js";
import { sharedHeader, watchResponseEncoder, wireEvent } from "./watch-encoding.js";

type WatchRequest = etcdserverpb.WatchRequest;
type WatchResponse = etcdserverpb.IWatchResponse;

export interface WatchServiceOptions {
  /** etcd's --experimental-watch-progress-notify-interval (default 10 minutes). */
  readonly progressNotifyIntervalMs: number;
  /** Fragmented responses stay below this (etcd uses --max-request-bytes). */
  readonly maxRequestBytes: number;
}

const { FilterType } = etcdserverpb.WatchCreateRequest;

class WatchSession {
  private readonly stream: WatchStream;
  /** Watchers whose "created" response went out; events for others wait in `held`. */
  private readonly announced = new Set<number>();
  private readonly held = new Map<number, WatchResponse[]>();
  private readonly progressNotify = new Set<number>();
  private readonly fragment = new Set<number>();
  /** Watchers that were sent something since the last progress tick. */
  private readonly active = new Set<number>();
  private readonly ticker: NodeJS.Timeout;
  private draining = false;
  /** Responses waiting for the end of this event-loop turn (see send()). */
  private queue: WatchResponse[] = [];
  private flushScheduled = false;

  constructor(
    private readonly server: EtcdServer,
    private readonly call: BidiCall<WatchRequest, WatchResponse>,
    private readonly options: WatchServiceOptions,
  ) {
    this.stream = server.watchStream((r) => this.onStoreResponse(r));
    this.ticker = setInterval(() => this.progressTick(), options.progressNotifyIntervalMs);
    mvccMetrics.watchStreams.inc();
  }

  handle(req: WatchRequest): void {
    if (req.createRequest) this.create(req.createRequest);
    else if (req.cancelRequest) this.cancel(toNumber(req.cancelRequest.watchId));
    else if (req.progressRequest) this.stream.requestProgress();
  }

  close(): void {
    clearInterval(this.ticker);
    mvccMetrics.watchers.dec(this.stream.size);
    mvccMetrics.watchStreams.dec();
    this.stream.close();
  }

  private create(c: etcdserverpb.IWatchCreateRequest): void {
    const current = this.server.mvcc.currentRevision();
    let key = Buffer.from(c.key ?? []);
    if (key.length === 0) key = Buffer.from([0]); // etcd treats an empty key as "\0"
    const filters = c.filters ?? [];
    let id = -1;
    let error: Error | undefined;
    try {
      id = this.stream.watch({
        id: toNumber(c.watchId),
        key,
        rangeEnd: Buffer.from(c.rangeEnd ?? []),
        startRevision: toNumber(c.startRevision),
        prevKv: c.prevKv === true,
        filters: {
          noPut: filters.includes(FilterType.NOPUT),
          noDelete: filters.includes(FilterType.NODELETE),
        },
      });
    } catch (e) {
      if (!(e instanceof ErrWatcherDuplicateID || e instanceof ErrEmptyWatcherRange)) throw e;
      error = e;
    }
    if (error === undefined) {
      mvccMetrics.watchers.inc();
      if (c.progressNotify) this.progressNotify.add(id);
      if (c.fragment) this.fragment.add(id);
    }
    const created: WatchResponse = {
      header: responseHeader(this.server, current),
      watchId: id,
      created: true,
      canceled: error !== undefined,
    };
    if (error) created.cancelReason = error.message;
    this.send(created);
    if (error === undefined) {
      this.announced.add(id);
      for (const r of this.held.get(id) ?? []) this.sendEvents(r);
      this.held.delete(id);
    }
  }

  private cancel(id: number): void {
    try {
      this.stream.cancel(id);
    } catch {
      return; // etcd answers nothing for an unknown watcher
    }
    this.forget(id);
    this.send({ header: responseHeader(this.server), watchId: id, canceled: true });
  }

  private forget(id: number): void {
    mvccMetrics.watchers.dec();
    this.announced.delete(id);
    this.held.delete(id);
    this.progressNotify.delete(id);
    this.fragment.delete(id);
    this.active.delete(id);
  }

  /** From the store: events, a compaction that ended a watcher, or progress. */
  private onStoreResponse(r: StoreResponse): boolean {
    const compacted = r.compactRevision !== undefined && r.compactRevision !== 0;
    const wire: WatchResponse = {
      header: sharedHeader(this.server, r.revision),
      watchId: r.watchId,
      events: r.events.map(wireEvent),
    };
    if (compacted) {
      wire.compactRevision = r.compactRevision ?? 0;
      wire.canceled = true;
    }
    if (r.watchId !== -1 && !this.announced.has(r.watchId)) {
      const held = this.held.get(r.watchId) ?? [];
      held.push(wire);
      this.held.set(r.watchId, held);
      return true;
    }
    const ok = this.sendEvents(wire);
    if (compacted) this.forget(r.watchId);
    return ok;
  }

  private sendEvents(r: WatchResponse): boolean {
    const id = toNumber(r.watchId);
    const events = r.events?.length ?? 0;
    if (events > 0) {
      this.active.add(id);
      mvccMetrics.events.inc(events);
    }
    if (!this.fragment.has(id)) return this.send(r);
    let ok = true;
    for (const part of fragments(r, this.options.maxRequestBytes)) ok = this.send(part) && ok;
    return ok;
  }

  /**
   * Queues one response; false while the client is slow (the store then holds back until
   * resume()). The queue goes out once the current turn of the event loop is over: a write's
   * events are produced while it applies, before its own response is ready, and a client
   * reading both on one connection would otherwise read every event before that response
   * (etcd, too, answers the write before its watchers hear of it).
   */
  private send(r: WatchResponse): boolean {
    this.queue.push(r);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
    return !this.draining;
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const queue = this.queue;
    this.queue = [];
    let ok = true;
    for (const r of queue) ok = this.call.write(r) && ok;
    if (!ok && !this.draining) {
      this.draining = true;
      void this.call.drained().then(() => {
        this.draining = false;
        this.stream.resume();
      });
    }
  };

  private progressTick(): void {
    for (const id of this.progressNotify) {
      if (!this.active.has(id)) this.stream.requestProgress(id);
    }
    this.active.clear();
  }
}

/**
 * Splits a response whose encoding reaches `maxBytes` into several, each marked
 * `fragment` but the last, never splitting an event (etcd's sendFragments).
 */
export function fragments(r: WatchResponse, maxBytes: number): WatchResponse[] {
  const events = r.events ?? [];
  if (events.length < 2 || etcdserverpb.WatchResponse.encode(r).len < maxBytes) return [r];
  const base = etcdserverpb.WatchResponse.encode({ ...r, events: [], fragment: true }).len;
  const parts: WatchResponse[] = [];
  let current: mvccpb.IEvent[] = [];
  let size = base;
  for (const ev of events) {
    const evSize = mvccpb.Event.encode(ev).len;
    const cost = evSize + 1 + varintLength(evSize);
    if (current.length > 0 && size + cost >= maxBytes) {
      parts.push({ ...r, events: current, fragment: true });
      current = [];
      size = base;
    }
    current.push(ev);
    size += cost;
  }
  parts.push({ ...r, events: current, fragment: false });
  return parts;
}

function varintLength(n: number): number {
  let length = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    length++;
  }
  return length;
}

export function registerWatch(grpc: GrpcServer, server: EtcdServer, options: WatchServiceOptions): void {
  const watch = serviceMethods("etcdserverpb.Watch");
  grpc.register(withResponseEncoder(watch.Watch, watchResponseEncoder), async (call, ctx: CallContext) => {
    const session = new WatchSession(server, call, options);
    try {
      for await (const req of call) session.handle(req);
      // A half-closed stream keeps delivering until the client goes away.
      if (!ctx.signal.aborted)
        await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
    } finally {
      session.close();
    }
  });
}
