// A set of watchers indexed so that each key finds its watchers without visiting the others:
// single-key watchers by key, range watchers in an interval tree (watchers on the same range
// share one node).
import { IntervalTree } from "./interval-tree.js";

export interface Watching {
  key: Buffer;
  /** undefined: only `key`; null: every key >= `key`; else [key, end). */
  end: Buffer | null | undefined;
}

export class WatcherGroup<W extends Watching> {
  private readonly keys = new Map<string, Set<W>>();
  private readonly ranges = new IntervalTree<Set<W>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(w: W): void {
    let set: Set<W> | undefined;
    if (w.end === undefined) {
      const id = w.key.toString("latin1");
      set = this.keys.get(id);
      if (set === undefined) {
        set = new Set();
        this.keys.set(id, set);
      }
    } else {
      set = this.ranges.get(w.key, w.end);
      if (set === undefined) {
        set = new Set();
        this.ranges.insert(w.key, w.end, set);
      }
    }
    if (!set.has(w)) {
      set.add(w);
      this.count++;
    }
  }

  delete(w: W): boolean {
    if (w.end === undefined) {
      const id = w.key.toString("latin1");
      const set = this.keys.get(id);
      if (set === undefined || !set.delete(w)) return false;
      if (set.size === 0) this.keys.delete(id);
    } else {
      const set = this.ranges.get(w.key, w.end);
      if (set === undefined || !set.delete(w)) return false;
      if (set.size === 0) this.ranges.delete(w.key, w.end);
    }
    this.count--;
    return true;
  }

  /** Calls `fn` for every watcher whose key or range contains `key`. */
  match(key: Buffer, fn: (w: W) => void): void {
    if (this.count === 0) return;
    if (this.keys.size > 0) {
      const set = this.keys.get(key.toString("latin1"));
      if (set !== undefined) for (const w of set) fn(w);
    }
    if (this.ranges.size > 0) this.ranges.stab(key, (set) => set.forEach(fn));
  }
}
