// Call deadlines on one coarse timer: calls are kept in buckets of `resolutionMs` and expired
// together when their bucket's time has come, instead of arming a timer per call.
import assert from "node:assert";

export interface Expiring {
  expire(): void;
}

export class DeadlineQueue {
  readonly #resolutionMs: number;
  readonly #buckets = new Map<number, Set<Expiring>>();
  #timer: NodeJS.Timeout | undefined;
  #armedKey = Number.POSITIVE_INFINITY;

  constructor(resolutionMs = 10) {
    assert(resolutionMs > 0);
    this.#resolutionMs = resolutionMs;
  }

  /** Schedules `item.expire()` at (or up to one resolution after) `deadlineMs`; returns the ticket for remove(). */
  add(item: Expiring, deadlineMs: number): number {
    const key = Math.ceil(deadlineMs / this.#resolutionMs);
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = new Set();
      this.#buckets.set(key, bucket);
      if (key < this.#armedKey) this.#arm(key);
    }
    bucket.add(item);
    return key;
  }

  remove(item: Expiring, ticket: number): void {
    const bucket = this.#buckets.get(ticket);
    if (bucket === undefined) return;
    bucket.delete(item);
    if (bucket.size === 0) this.#buckets.delete(ticket);
  }

  get size(): number {
    let n = 0;
    for (const b of this.#buckets.values()) n += b.size;
    return n;
  }

  #arm(key: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedKey = key;
    const delay = Math.max(0, key * this.#resolutionMs - Date.now());
    this.#timer = setTimeout(() => this.#fire(), delay);
    this.#timer.unref();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#armedKey = Number.POSITIVE_INFINITY;
    const nowKey = Math.floor(Date.now() / this.#resolutionMs);
    const dueKeys: number[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const key of this.#buckets.keys()) {
      if (key <= nowKey) dueKeys.push(key);
      else if (key < next) next = key;
    }
    // A late timer may find several buckets due: expire them in deadline order.
    dueKeys.sort((a, b) => a - b);
    const due: Expiring[] = [];
    for (const key of dueKeys) {
      for (const item of this.#buckets.get(key)!) due.push(item);
      this.#buckets.delete(key);
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
    for (const item of due) item.expire();
  }
}

/** The process's deadline queue. */
export const deadlines = new DeadlineQueue();
