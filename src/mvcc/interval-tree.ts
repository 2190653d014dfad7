// Intervals [start, end) over byte strings (end null = unbounded), each with a value, and
// the stabbing query "which intervals contain this key" in O(log n + matches): a treap
// ordered by (start, end) where every node knows the largest end below it.
import assert from "node:assert/strict";

interface Node<V> {
  start: Buffer;
  end: Buffer | null;
  value: V;
  priority: number;
  maxEnd: Buffer | null;
  left: Node<V> | undefined;
  right: Node<V> | undefined;
}

/** Compares ends where null is +infinity. */
function cmpEnd(a: Buffer | null, b: Buffer | null): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return Buffer.compare(a, b);
}

function cmpInterval(s1: Buffer, e1: Buffer | null, s2: Buffer, e2: Buffer | null): number {
  return Buffer.compare(s1, s2) || cmpEnd(e1, e2);
}

function update<V>(n: Node<V>): void {
  let m = n.end;
  if (n.left !== undefined && cmpEnd(n.left.maxEnd, m) > 0) m = n.left.maxEnd;
  if (n.right !== undefined && cmpEnd(n.right.maxEnd, m) > 0) m = n.right.maxEnd;
  n.maxEnd = m;
}

function rotateRight<V>(n: Node<V>): Node<V> {
  const l = n.left!;
  n.left = l.right;
  l.right = n;
  update(n);
  update(l);
  return l;
}

function rotateLeft<V>(n: Node<V>): Node<V> {
  const r = n.right!;
  n.right = r.left;
  r.left = n;
  update(n);
  update(r);
  return r;
}

export class IntervalTree<V> {
  private root: Node<V> | undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(start: Buffer, end: Buffer | null): V | undefined {
    let n = this.root;
    while (n !== undefined) {
      const c = cmpInterval(start, end, n.start, n.end);
      if (c === 0) return n.value;
      n = c < 0 ? n.left : n.right;
    }
    return undefined;
  }

  /** Inserts an interval that is not yet present. */
  insert(start: Buffer, end: Buffer | null, value: V): void {
    assert.ok(end === null || Buffer.compare(start, end) < 0, "interval: empty");
    this.root = this.insertAt(this.root, {
      start,
      end,
      value,
      priority: Math.random(),
      maxEnd: end,
      left: undefined,
      right: undefined,
    });
    this.count++;
  }

  private insertAt(n: Node<V> | undefined, x: Node<V>): Node<V> {
    if (n === undefined) return x;
    const c = cmpInterval(x.start, x.end, n.start, n.end);
    assert.ok(c !== 0, "interval: already present");
    if (c < 0) {
      n.left = this.insertAt(n.left, x);
      if (n.left.priority > n.priority) return rotateRight(n);
    } else {
      n.right = this.insertAt(n.right, x);
      if (n.right.priority > n.priority) return rotateLeft(n);
    }
    update(n);
    return n;
  }

  delete(start: Buffer, end: Buffer | null): boolean {
    const before = this.count;
    this.root = this.deleteAt(this.root, start, end);
    return this.count < before;
  }

  private deleteAt(n: Node<V> | undefined, start: Buffer, end: Buffer | null): Node<V> | undefined {
    if (n === undefined) return undefined;
    const c = cmpInterval(start, end, n.start, n.end);
    if (c < 0) n.left = this.deleteAt(n.left, start, end);
    else if (c > 0) n.right = this.deleteAt(n.right, start, end);
    else {
      this.count--;
      return this.merge(n.left, n.right);
    }
    update(n);
    return n;
  }

  private merge(a: Node<V> | undefined, b: Node<V> | undefined): Node<V> | undefined {
    if (a === undefined) return b;
    if (b === undefined) return a;
    if (a.priority > b.priority) {
      a.right = this.merge(a.right, b);
      update(a);
      return a;
    }
    b.left = this.merge(a, b.left);
    update(b);
    return b;
  }

  /** Calls `fn` with the value of every interval containing `point`. */
  stab(point: Buffer, fn: (value: V) => void): void {
    this.stabAt(this.root, point, fn);
  }

  private stabAt(n: Node<V> | undefined, point: Buffer, fn: (value: V) => void): void {
    while (n !== undefined) {
      // Nothing below ends after point: no interval here contains it.
      if (n.maxEnd !== null && Buffer.compare(n.maxEnd, point) <= 0) return;
      this.stabAt(n.left, point, fn);
      if (Buffer.compare(n.start, point) > 0) return; // everything to the right starts later
      if (n.end === null || Buffer.compare(point, n.end) < 0) fn(n.value);
      n = n.right;
    }
  }
}
