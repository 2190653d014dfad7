// zap's sampler as etcd configures it (Initial 100, Thereafter 100, per second): within
// each second, the first 100 lines with the same level and message are written, then
// every 100th. It keeps a log storm from becoming a disk storm. Like zap, counters live
// in a fixed table indexed by a hash of the message, so memory stays bounded.

const TABLE_SIZE = 4096;
const LEVELS = 8;

export class Sampler {
  readonly #counts = new Uint32Array(TABLE_SIZE * LEVELS);
  readonly #ticks = new Float64Array(TABLE_SIZE * LEVELS);

  constructor(
    private readonly first = 100,
    private readonly thereafter = 100,
    private readonly tickMs = 1000,
  ) {}

  /** Whether a line at `levelRank` with `msg` at time `nowMs` is written. */
  allow(levelRank: number, msg: string, nowMs: number): boolean {
    const i = levelRank * TABLE_SIZE + (fnv32a(msg) % TABLE_SIZE);
    const tick = Math.floor(nowMs / this.tickMs);
    if (this.#ticks[i] !== tick) {
      this.#ticks[i] = tick;
      this.#counts[i] = 0;
    }
    const n = ++this.#counts[i]!;
    return n <= this.first || (n - this.first) % this.thereafter === 0;
  }
}

/** FNV-1a over the UTF-16 code units (zap hashes bytes; only the spread matters). */
function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
