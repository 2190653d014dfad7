// The simulator's trace: every event as a line, hashed as it is added (so the same seed can
// be shown to give the same trace), with the last lines kept for failure reports.

const KEEP_LAST = 400;

export class Trace {
  private readonly all: string[] | null;
  private readonly ring: string[] = new Array<string>(KEEP_LAST);
  private count = 0;
  // Two independent 32-bit FNV-1a style lanes: a 64-bit fingerprint.
  private h1 = 0x811c9dc5;
  private h2 = 0x01000193;

  constructor(keepAll: boolean) {
    this.all = keepAll ? [] : null;
  }

  add(line: string): void {
    let a = this.h1;
    let b = this.h2;
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
    this.h1 = Math.imul(a ^ 10, 0x01000193);
    this.h2 = Math.imul(b ^ 10, 0x5bd1e995);
    this.ring[this.count % KEEP_LAST] = line;
    this.count++;
    this.all?.push(line);
  }

  /** A hex fingerprint of every line so far. */
  hash(): string {
    return (this.h1 >>> 0).toString(16).padStart(8, "0") + (this.h2 >>> 0).toString(16).padStart(8, "0");
  }

  lines(): number {
    return this.count;
  }

  /** The last n lines (at most the ones kept). */
  tail(n: number): string[] {
    const k = Math.min(n, this.count, KEEP_LAST);
    const out: string[] = [];
    for (let i = this.count - k; i < this.count; i++) out.push(this.ring[i % KEEP_LAST]!);
    return out;
  }

  /** Every line, if kept. */
  full(): string[] | null {
    return this.all;
  }
}
