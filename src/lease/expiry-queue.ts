// A min-heap of (lease, expiry) pairs. Renewals push a new pair rather than moving the
// old one; stale pairs are recognised and skipped when they surface (the lessor checks
// each popped pair against the lease's current expiry).

export interface ExpiryItem {
  readonly id: bigint;
  readonly expiryMs: number;
}

export class ExpiryQueue {
  private readonly heap: ExpiryItem[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(item: ExpiryItem): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.expiryMs <= item.expiryMs) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = item;
  }

  peek(): ExpiryItem | undefined {
    return this.heap[0];
  }

  pop(): ExpiryItem | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.expiryMs < heap[left]!.expiryMs ? right : left;
      if (heap[child]!.expiryMs >= last.expiryMs) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }

  clear(): void {
    this.heap.length = 0;
  }
}
