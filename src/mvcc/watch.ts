// The watchable store, after etcd's watchable_store.go. Each watcher is in one state:
//   synced    caught up: gets each commit's events right after the commit
//   unsynced  behind: catches up from the `key` bucket in bounded batches (one per turn)
//   victim    its stream's consumer said "enough": holds one undelivered response, gets no
//             new events, and after resume() delivers it and catches up as unsynced
// so events are never dropped, writers never wait, and a slow consumer costs one pending
// response per watcher, not an unbounded queue.
import assert from "node:assert/strict";
import { ErrEmptyWatcherRange, ErrWatcherDuplicateID, ErrWatcherNotExist } from "./errors.js";
import type { KeyValue } from "./kv.js";
import { isFromKey } from "./layout.js";
import { WatcherGroup } from "./watcher-group.js";
import type { Event } from "./write-txn.js";

export interface WatchRequest {
  /** The watch ID; 0 or omitted: the stream picks the next free one (etcd's AutoWatchID). */
  id?: number;
  key: Buffer;
  /** As in range: empty/omitted is the single key, "\0" every key >= key. */
  rangeEnd?: Buffer;
  /** First revision to report; 0 or omitted: the next one (current + 1). */
  startRevision?: number;
  prevKv?: boolean;
  filters?: { noPut?: boolean; noDelete?: boolean };
}

export interface WatchResponse {
  /** -1 for a progress notification of the whole stream. */
  watchId: number;
  events: Event[];
  /** The store's revision when sent. */
  revision: number;
  /** Set when the watch's start was compacted: the watch is gone. */
  compactRevision?: number;
}

/** Receives every response of a stream; returns false to say "no more for now" (then call
 * `stream.resume()` when ready). The response passed is always taken. */
export type WatchConsumer = (response: WatchResponse) => boolean;

/** What the hub needs from the store. */
export interface HistorySource {
  currentRevision(): number;
  compactRevision(): number;
  /** Events of complete revisions from `fromRev` up to `toRev`, about `maxEntries` of them;
   * `lastRev` is the last revision covered. */
  readEvents(fromRev: number, toRev: number, maxEntries: number): { events: Event[]; lastRev: number };
  /** The version of `kv.key` just before `kv`'s revision, if still stored. */
  prevKv(kv: KeyValue): KeyValue | undefined;
}

export interface WatchOptions {
  /** Revisions read per catch-up step (entries of the `key` bucket). */
  syncBatchEntries?: number;
  /** Unsynced watchers served per catch-up step. */
  maxWatchersPerSync?: number;
}

type State = "synced" | "unsynced" | "victim" | "gone";

class Watcher {
  state: State = "unsynced";
  pending: WatchResponse | undefined;
  constructor(
    readonly id: number,
    readonly stream: WatchStream,
    readonly key: Buffer,
    readonly end: Buffer | null | undefined,
    public minRev: number,
    readonly prevKv: boolean,
    readonly noPut: boolean,
    readonly noDelete: boolean,
  ) {}

  wants(ev: Event): boolean {
    return ev.type === "put" ? !this.noPut : !this.noDelete;
  }
}

/** Events without their previous value, one per event: every watcher of a commit shares it. */
const withoutPrevOf = new WeakMap<Event, Event>();

function withoutPrev(ev: Event): Event {
  if (ev.prevKv === undefined) return ev;
  let stripped = withoutPrevOf.get(ev);
  if (stripped === undefined) {
    stripped = { type: ev.type, kv: ev.kv };
    withoutPrevOf.set(ev, stripped);
  }
  return stripped;
}

export class WatchHub {
  private readonly synced = new WatcherGroup<Watcher>();
  private readonly unsynced = new Set<Watcher>();
  private syncTimer: NodeJS.Immediate | undefined;
  private readonly batchEntries: number;
  private readonly maxPerSync: number;

  constructor(
    readonly source: HistorySource,
    options: WatchOptions = {},
  ) {
    this.batchEntries = options.syncBatchEntries ?? 1000;
    this.maxPerSync = options.maxWatchersPerSync ?? 512;
  }

  /** Watchers per state, for metrics and tests. */
  counts(): { synced: number; unsynced: number } {
    return { synced: this.synced.size, unsynced: this.unsynced.size };
  }

  add(w: Watcher, startRev: number): void {
    const cur = this.source.currentRevision();
    if (startRev === 0 || startRev > cur) {
      w.minRev = Math.max(cur + 1, startRev);
      w.state = "synced";
      this.synced.add(w);
    } else {
      w.minRev = startRev;
      w.state = "unsynced";
      this.unsynced.add(w);
      this.scheduleSync();
    }
  }

  remove(w: Watcher): void {
    if (w.state === "synced") this.synced.delete(w);
    else if (w.state === "unsynced") this.unsynced.delete(w);
    w.state = "gone";
    w.pending = undefined;
  }

  /** A commit's events at `rev`: to every synced watcher that wants them. */
  notify(events: Event[], rev: number): void {
    if (this.synced.size === 0) return;
    const per = new Map<Watcher, Event[]>();
    for (const ev of events) {
      this.synced.match(ev.kv.key, (w) => {
        if (rev < w.minRev || !w.wants(ev)) return;
        const list = per.get(w);
        if (list === undefined) per.set(w, [ev]);
        else list.push(ev);
      });
    }
    for (const [w, evs] of per) {
      if (w.state !== "synced") continue; // canceled by a consumer during this loop
      const response: WatchResponse = {
        watchId: w.id,
        events: w.prevKv ? evs : evs.map(withoutPrev),
        revision: rev,
      };
      w.minRev = rev + 1;
      if (w.stream.blocked) {
        this.synced.delete(w);
        w.state = "victim";
        w.pending = response;
        w.stream.victims.push(w);
      } else {
        w.stream.deliver(response);
      }
    }
  }

  /** A victim whose pending response went out: catch up from history. */
  victimDelivered(w: Watcher): void {
    assert.equal(w.state, "victim");
    w.pending = undefined;
    w.state = "unsynced";
    this.unsynced.add(w);
    this.scheduleSync();
  }

  scheduleSync(): void {
    if (this.syncTimer !== undefined || this.unsynced.size === 0) return;
    this.syncTimer = setImmediate(() => {
      this.syncTimer = undefined;
      this.syncStep();
    });
  }

  /** One bounded catch-up step for up to maxPerSync unsynced watchers of ready streams. */
  syncStep(): void {
    const cur = this.source.currentRevision();
    const compactRev = this.source.compactRevision();
    const batch: Watcher[] = [];
    const touched = new Set<WatchStream>();
    for (const w of this.unsynced) {
      if (w.stream.blocked) continue;
      if (w.minRev < compactRev) {
        this.unsynced.delete(w);
        w.stream.compacted(w, { watchId: w.id, events: [], revision: cur, compactRevision: compactRev });
        continue;
      }
      if (w.minRev > cur) {
        this.unsynced.delete(w);
        w.state = "synced";
        this.synced.add(w);
        touched.add(w.stream);
        continue;
      }
      batch.push(w);
      if (batch.length >= this.maxPerSync) break;
    }
    if (batch.length > 0) this.catchUp(batch, cur, touched);
    for (const s of touched) s.progressIfSynced();
    for (const w of this.unsynced) {
      if (!w.stream.blocked) {
        this.scheduleSync();
        break;
      }
    }
  }

  private catchUp(batch: Watcher[], cur: number, touched: Set<WatchStream>): void {
    let minRev = Number.POSITIVE_INFINITY;
    for (const w of batch) minRev = Math.min(minRev, w.minRev);
    const { events, lastRev } = this.source.readEvents(minRev, cur, this.batchEntries);
    const group = new WatcherGroup<Watcher>();
    for (const w of batch) group.add(w);
    const per = new Map<Watcher, Event[]>();
    for (const ev of events) {
      group.match(ev.kv.key, (w) => {
        if (ev.kv.modRevision < w.minRev || !w.wants(ev)) return;
        const list = per.get(w);
        if (list === undefined) per.set(w, [ev]);
        else list.push(ev);
      });
    }
    const prevs = new Map<Event, Event>();
    for (const w of batch) {
      // Blocked by an earlier delivery in this step, or canceled by its consumer meanwhile.
      if (w.stream.blocked || w.state !== "unsynced") continue;
      const evs = per.get(w);
      if (evs !== undefined) {
        const out = w.prevKv ? evs.map((ev) => this.withPrev(ev, prevs)) : evs;
        w.stream.deliver({ watchId: w.id, events: out, revision: cur });
      }
      if (w.state !== "unsynced") continue; // canceled by the consumer meanwhile
      w.minRev = lastRev + 1;
      if (lastRev >= cur) {
        this.unsynced.delete(w);
        w.state = "synced";
        this.synced.add(w);
        touched.add(w.stream);
      }
    }
  }

  private withPrev(ev: Event, cache: Map<Event, Event>): Event {
    let out = cache.get(ev);
    if (out === undefined) {
      const prevKv = this.source.prevKv(ev.kv);
      out = prevKv === undefined ? ev : { ...ev, prevKv };
      cache.set(ev, out);
    }
    return out;
  }

  close(): void {
    if (this.syncTimer !== undefined) clearImmediate(this.syncTimer);
    this.syncTimer = undefined;
  }
}

/** One client stream of watches (a gRPC Watch call), delivering to one consumer. */
export class WatchStream {
  /** Whether the consumer asked for a pause (see WatchConsumer). */
  blocked = false;
  /** Watchers parked while blocked, in the order they were parked. */
  victims: Watcher[] = [];
  private readonly watchers = new Map<number, Watcher>();
  private nextId = 0;
  private progressPending = false;
  private closed = false;

  constructor(
    private readonly hub: WatchHub,
    private readonly consumer: WatchConsumer,
  ) {}

  get size(): number {
    return this.watchers.size;
  }

  /** Starts a watch; returns its ID. */
  watch(req: WatchRequest): number {
    assert.ok(!this.closed, "mvcc: watch stream closed");
    const fromKey = isFromKey(req.rangeEnd);
    const single = req.rangeEnd === undefined || req.rangeEnd.length === 0;
    if (!single && !fromKey && Buffer.compare(req.key, req.rangeEnd!) >= 0) throw new ErrEmptyWatcherRange();
    let id = req.id ?? 0;
    if (id === 0) {
      while (this.watchers.has(this.nextId)) this.nextId++;
      id = this.nextId++;
    } else if (this.watchers.has(id)) {
      throw new ErrWatcherDuplicateID();
    }
    const w = new Watcher(
      id,
      this,
      req.key,
      single ? undefined : fromKey ? null : req.rangeEnd!,
      0,
      req.prevKv === true,
      req.filters?.noPut === true,
      req.filters?.noDelete === true,
    );
    this.watchers.set(id, w);
    this.hub.add(w, Math.max(0, req.startRevision ?? 0));
    return id;
  }

  cancel(id: number): void {
    const w = this.watchers.get(id);
    if (w === undefined) throw new ErrWatcherNotExist();
    this.watchers.delete(id);
    if (w.state === "victim") this.victims = this.victims.filter((v) => v !== w);
    this.hub.remove(w);
  }

  /**
   * Progress: with an id, a response with no events for that watcher if it is synced; without,
   * one for the whole stream (watchId -1) once every watcher of the stream is synced.
   */
  requestProgress(id?: number): void {
    if (id !== undefined) {
      const w = this.watchers.get(id);
      if (w !== undefined && w.state === "synced" && !this.blocked)
        this.deliver({ watchId: id, events: [], revision: this.hub.source.currentRevision() });
      return;
    }
    this.progressPending = true;
    this.progressIfSynced();
  }

  /** The consumer is ready again: parked responses go out, then their watchers catch up. */
  resume(): void {
    if (this.closed) return;
    this.blocked = false;
    while (this.victims.length > 0 && !this.blocked) {
      const w = this.victims.shift()!;
      const response = w.pending!;
      this.hub.victimDelivered(w);
      this.deliver(response);
    }
    this.progressIfSynced();
    this.hub.scheduleSync();
  }

  close(): void {
    if (this.closed) return;
    for (const id of [...this.watchers.keys()]) this.cancel(id);
    this.closed = true;
  }

  /** @internal */
  deliver(response: WatchResponse): void {
    if (this.closed) return;
    if (!this.consumer(response)) this.blocked = true;
  }

  /** @internal A watcher whose start was compacted: tell the consumer, forget the watcher. */
  compacted(w: Watcher, response: WatchResponse): void {
    this.watchers.delete(w.id);
    w.state = "gone";
    this.deliver(response);
  }

  /** @internal */
  progressIfSynced(): void {
    if (!this.progressPending || this.blocked) return;
    for (const w of this.watchers.values()) if (w.state !== "synced") return;
    this.progressPending = false;
    this.deliver({ watchId: -1, events: [], revision: this.hub.source.currentRevision() });
  }
}
