// Small constructors over prom-client's global registry, in the shapes etcd's metrics take.
import client from "prom-client";

export type Counter<L extends string = string> = client.Counter<L>;
export type Gauge<L extends string = string> = client.Gauge<L>;
export type Histogram<L extends string = string> = client.Histogram<L>;

/** Prometheus' ExponentialBuckets(start, factor, count), computed as Go computes it. */
export const exponentialBuckets = client.exponentialBuckets;

export function counter<L extends string = never>(
  name: string,
  help: string,
  labelNames: readonly L[] = [],
): Counter<L> {
  return new client.Counter<L>({ name, help, labelNames });
}

export function gauge<L extends string = never>(
  name: string,
  help: string,
  labelNames: readonly L[] = [],
): Gauge<L> {
  return new client.Gauge<L>({ name, help, labelNames });
}

export function histogram<L extends string = never>(
  name: string,
  help: string,
  buckets: number[],
  labelNames: readonly L[] = [],
): Histogram<L> {
  return new client.Histogram<L>({ name, help, buckets, labelNames });
}

/**
 * A gauge read when scraped (Go's GaugeFunc): the owner reports a function once, e.g.
 * `dbTotalSizeInBytes.report(() => backend.size())`. Reads 0 until then. One handle may
 * feed several metric names (etcd exposes some under both etcd_ and etcd_debugging_).
 */
export class GaugeFunc {
  #read: () => number = () => 0;

  constructor(names: readonly string[], help: string) {
    const self = this;
    for (const name of names) {
      new client.Gauge({
        name,
        help,
        collect() {
          this.set(self.#read());
        },
      });
    }
  }

  report(read: () => number): void {
    this.#read = read;
  }

  /** The current value (as a scrape would see it). */
  value(): number {
    return this.#read();
  }
}

/**
 * A counter read when scraped (Go's CounterFunc): the owner keeps the running total (a plain
 * number its hot path bumps) and reports a function reading it once. Reads 0 until then.
 */
export class CounterFunc {
  #read: () => number = () => 0;

  constructor(name: string, help: string) {
    const self = this;
    new client.Counter({
      name,
      help,
      collect() {
        this.reset();
        this.inc(self.#read());
      },
    });
  }

  report(read: () => number): void {
    this.#read = read;
  }
}

/** Counters etcd 3.4 keeps twice (etcd_ and etcd_debugging_), moved together. */
export class CounterPair {
  readonly #counters: readonly Counter[];

  constructor(names: readonly string[], help: string) {
    this.#counters = names.map((name) => counter(name, help));
  }

  inc(n = 1): void {
    for (const c of this.#counters) c.inc(n);
  }
}
