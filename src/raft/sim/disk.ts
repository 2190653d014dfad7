// A simulated disk: writes land in a volatile cache and become durable only when fsynced.
// A crash keeps a random prefix of the unsynced writes (a sequential log tears at some
// record) and loses the rest. The durable image is kept as a MemoryStorage.
import { MemoryStorage } from "../storage.js";
import { type ConfState, type Entry, emptyHardState, type HardState, type Snapshot } from "../types.js";
import type { Prng } from "./prng.js";

type Write =
  | { kind: "entries"; entries: Entry[] }
  | { kind: "hardState"; hardState: HardState }
  | { kind: "snapshot"; snapshot: Snapshot };

export class SimDisk {
  /** What survives a crash. */
  private durable = new MemoryStorage();
  private durableHardState: HardState = emptyHardState();
  private pending: Write[] = [];

  write(w: Write): void {
    this.pending.push(w);
  }

  fsync(): void {
    for (const w of this.pending) this.applyDurably(w);
    this.pending = [];
  }

  private applyDurably(w: Write): void {
    switch (w.kind) {
      case "entries":
        this.durable.append(w.entries);
        break;
      case "hardState":
        this.durableHardState = w.hardState;
        break;
      case "snapshot":
        this.durable.applySnapshot(w.snapshot);
        break;
    }
  }

  /** The application saved a snapshot of its state at `index` (synced, like etcd's snap files). */
  saveSnapshot(index: number, confState: ConfState, data: Uint8Array): void {
    this.fsync();
    if (index <= this.durable.snapshot().metadata.index) return;
    this.durable.createSnapshot(index, confState, data);
    this.durable.compact(index);
  }

  /** Power loss: a prefix of the unsynced writes made it, the rest is gone. */
  crash(prng: Prng): number {
    const keep = prng.int(this.pending.length + 1);
    for (let i = 0; i < keep; i++) this.applyDurably(this.pending[i]!);
    const lost = this.pending.length - keep;
    this.pending = [];
    return lost;
  }

  unsyncedWrites(): number {
    return this.pending.length;
  }

  /** A fresh MemoryStorage holding exactly the durable state (what a restart reads). */
  load(): MemoryStorage {
    const s = new MemoryStorage();
    const snap = this.durable.snapshot();
    if (snap.metadata.index > 0) s.applySnapshot(snap);
    const first = this.durable.firstIndex();
    const last = this.durable.lastIndex();
    if (last >= first) s.append(this.durable.entries(first, last + 1, Number.POSITIVE_INFINITY));
    s.setHardState(this.durableHardState);
    return s;
  }

  durableHardStateView(): Readonly<HardState> {
    return this.durableHardState;
  }
}
