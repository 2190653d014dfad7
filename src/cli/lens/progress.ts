// Progress of a long listing on stderr: on a terminal one line rewritten in place, shown
// once the listing has run a while; otherwise (--progress into a pipe or file) a line at
// most once a second. The last line always says how many keys were read, at which revision.
import type { LsProgress } from "../../k8s/index.js";
import type { Io } from "../io.js";

export interface ProgressOptions {
  /** Rewrite one line (a terminal) instead of printing lines. */
  tty: boolean;
  /** Stay quiet until the listing has run this long (a terminal only: asked-for progress starts at once). */
  quietMs: number;
  /** At most one update per interval. */
  intervalMs: number;
  now?: () => number;
}

export class ProgressReporter {
  private readonly started: number;
  private lastShown = Number.NEGATIVE_INFINITY;
  private shown = false;
  private latest: LsProgress | undefined;
  private readonly now: () => number;

  constructor(
    private readonly io: Io,
    private readonly o: ProgressOptions,
  ) {
    this.now = o.now ?? Date.now;
    this.started = this.now();
  }

  update(p: LsProgress): void {
    this.latest = p;
    const t = this.now();
    if (this.o.tty && t - this.started < this.o.quietMs) return;
    if (t - this.lastShown < this.o.intervalMs) return;
    this.lastShown = t;
    this.write(`${describe(p, t - this.started)}…`);
  }

  /** The final line (on a terminal only if anything was shown: short runs stay silent). */
  done(): void {
    if (!this.latest) return;
    if (this.o.tty && !this.shown) return;
    this.write(`${describe(this.latest, this.now() - this.started)}, done`);
    if (this.o.tty) this.io.err("\n");
  }

  private write(text: string): void {
    this.shown = true;
    this.io.err(this.o.tty ? `\r\x1b[K${text}` : `${text}\n`);
  }
}

function describe(p: LsProgress, elapsedMs: number): string {
  const bytes = p.bytes > 0 ? ` (${formatBytes(p.bytes)})` : "";
  return `read ${p.keys} keys${bytes} at revision ${p.revision} in ${(elapsedMs / 1000).toFixed(1)}s`;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
