// The window of MsgApps in flight to one follower: a ring buffer of the last index each
// carried. When it is full the leader stops sending until acknowledgements free slots.
import assert from "node:assert/strict";

export class Inflights {
  /** Index of the oldest inflight in `buffer`. */
  private start = 0;
  /** Number of inflights; invariant 0 <= count <= size. */
  private n = 0;
  /** Grows on demand up to `size` so idle followers cost little. */
  private buffer: number[] = [];

  constructor(readonly size: number) {
    assert.ok(size > 0, "inflights size must be positive");
  }

  clone(): Inflights {
    const c = new Inflights(this.size);
    c.start = this.start;
    c.n = this.n;
    c.buffer = this.buffer.slice();
    return c;
  }

  /** Records a MsgApp whose last entry is `index`; indexes must be added in increasing order. */
  add(index: number): void {
    assert.ok(!this.full(), "cannot add into a full inflights");
    let next = this.start + this.n;
    if (next >= this.size) next -= this.size;
    if (next >= this.buffer.length) this.grow();
    this.buffer[next] = index;
    this.n++;
  }

  // Positions in the ring are always < size; growing keeps them where they are.
  private grow(): void {
    let newSize = this.buffer.length * 2;
    if (newSize === 0) newSize = 1;
    else if (newSize > this.size) newSize = this.size;
    const b = this.buffer.slice();
    while (b.length < newSize) b.push(0);
    this.buffer = b;
  }

  /** Frees every inflight whose index is <= `to` (acknowledged). */
  freeLE(to: number): void {
    if (this.n === 0 || to < this.buffer[this.start]!) return;
    let idx = this.start;
    let i = 0;
    for (; i < this.n; i++) {
      if (to < this.buffer[idx]!) break;
      idx++;
      if (idx >= this.size) idx -= this.size;
    }
    this.n -= i;
    this.start = idx;
    if (this.n === 0) this.start = 0; // keeps the buffer compact when idle
  }

  /** Frees the oldest inflight (a heartbeat response shows the follower is alive). */
  freeFirstOne(): void {
    if (this.n === 0) return;
    this.freeLE(this.buffer[this.start]!);
  }

  full(): boolean {
    return this.n === this.size;
  }

  count(): number {
    return this.n;
  }

  reset(): void {
    this.n = 0;
    this.start = 0;
  }
}
