// The tail of the log (and a pending snapshot) that is not yet durable. Entries move from
// here to storage once the application reports them persisted (stableTo).
import assert from "node:assert/strict";
import type { Entry, Snapshot } from "./types.js";

export class Unstable {
  /** A received snapshot that is not yet persisted. */
  snapshot: Snapshot | null = null;
  /** Live entries are ents[start..]; avoids shifting the array as entries become stable. */
  private ents: Entry[] = [];
  private start = 0;
  /** Log index of ents[start]. Invariant: snapshot === null || offset === snapshot index + 1. */
  offset: number;

  constructor(offset: number) {
    this.offset = offset;
  }

  length(): number {
    return this.ents.length - this.start;
  }

  /** The entry at log index i (offset <= i < offset + length). */
  at(i: number): Entry {
    return this.ents[this.start + i - this.offset]!;
  }

  maybeFirstIndex(): number | undefined {
    return this.snapshot === null ? undefined : this.snapshot.metadata.index + 1;
  }

  maybeLastIndex(): number | undefined {
    const n = this.ents.length - this.start;
    if (n > 0) return this.offset + n - 1;
    return this.snapshot === null ? undefined : this.snapshot.metadata.index;
  }

  maybeTerm(i: number): number | undefined {
    if (i < this.offset) {
      if (this.snapshot !== null && this.snapshot.metadata.index === i) return this.snapshot.metadata.term;
      return undefined;
    }
    const last = this.maybeLastIndex();
    if (last === undefined || i > last) return undefined;
    return this.ents[this.start + i - this.offset]!.term;
  }

  /** Entries up to (i, t) are persisted; ignore if the entry was since replaced. */
  stableTo(i: number, t: number): void {
    const gt = this.maybeTerm(i);
    if (gt === undefined || gt !== t || i < this.offset) return;
    this.start += i + 1 - this.offset;
    this.offset = i + 1;
    if (this.start === this.ents.length) {
      this.ents = [];
      this.start = 0;
    } else if (this.start > 1024 && this.start * 2 > this.ents.length) {
      this.ents = this.ents.slice(this.start);
      this.start = 0;
    }
  }

  stableSnapTo(i: number): void {
    if (this.snapshot !== null && this.snapshot.metadata.index === i) this.snapshot = null;
  }

  restore(s: Snapshot): void {
    this.offset = s.metadata.index + 1;
    this.ents = [];
    this.start = 0;
    this.snapshot = s;
  }

  /** Appends `ents`, first dropping any unstable suffix from ents[0].index on. */
  truncateAndAppend(ents: readonly Entry[], from: number): void {
    const after = ents[from]!.index;
    const n = this.ents.length - this.start;
    if (after === this.offset + n) {
      // the common case: directly after what we have
    } else if (after <= this.offset) {
      // replaces everything unstable (the storage part gets overwritten when persisted)
      this.offset = after;
      this.ents = [];
      this.start = 0;
    } else {
      // keep [offset, after) and replace the rest
      this.ents.length = this.start + (after - this.offset);
    }
    for (let i = from; i < ents.length; i++) this.ents.push(ents[i]!);
  }

  /** A copy of the entries [lo, hi). */
  slice(lo: number, hi: number): Entry[] {
    this.mustCheckOutOfBounds(lo, hi);
    return this.ents.slice(this.start + lo - this.offset, this.start + hi - this.offset);
  }

  /** A copy of all unstable entries (what the next Ready asks to persist). */
  entries(): Entry[] {
    return this.start === 0 ? this.ents.slice() : this.ents.slice(this.start);
  }

  private mustCheckOutOfBounds(lo: number, hi: number): void {
    const upper = this.offset + this.ents.length - this.start;
    if (!(lo <= hi && this.offset <= lo && hi <= upper)) {
      assert.fail(`unstable.slice[${lo},${hi}) out of bound [${this.offset},${upper}]`);
    }
  }
}
