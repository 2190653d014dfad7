import assert from "node:assert/strict";

// Automatic compaction, as etcd 3.4 runs it (etcdserver/api/v3compactor).
// Periodic: keep the history of the last `retentionMs`; every retention/10 (at most every
// 6 minutes) it samples the revision, and once per retention (at most hourly) it compacts
// to the revision sampled one retention ago. Revision: every 5 minutes, compact to
// `current - retainRevisions` if that moved.

export type AutoCompaction =
  | { readonly mode: "periodic"; readonly retentionMs: number }
  | { readonly mode: "revision"; readonly retainRevisions: number };

export interface CompactorDeps {
  currentRevision(): number;
  /** Compacts to `revision`; rejects with the store's error (ErrCompacted is fine). */
  compact(revision: number): Promise<void>;
  now(): number;
  setTimer(fn: () => void, ms: number): () => void;
  log(msg: string, fields: Record<string, unknown>): void;
}

const HOUR_MS = 60 * 60 * 1000;
const REVISION_CHECK_MS = 5 * 60 * 1000;

export class Compactor {
  private cancelTimer: () => void = () => {};
  private stopped = false;

  constructor(
    private readonly policy: AutoCompaction,
    private readonly deps: CompactorDeps,
  ) {
    const retention = policy.mode === "periodic" ? policy.retentionMs : policy.retainRevisions;
    assert.ok(retention > 0, "auto-compaction needs a positive retention (zero turns it off)");
  }

  start(): void {
    if (this.policy.mode === "periodic") this.runPeriodic(this.policy.retentionMs);
    else this.runRevision(this.policy.retainRevisions);
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer();
  }

  private every(ms: number, step: () => Promise<void> | void): void {
    const tick = () => {
      if (this.stopped) return;
      void Promise.resolve(step()).finally(() => {
        if (!this.stopped) this.cancelTimer = this.deps.setTimer(tick, ms);
      });
    };
    this.cancelTimer = this.deps.setTimer(tick, ms);
  }

  private runPeriodic(retentionMs: number): void {
    const compactEveryMs = Math.min(retentionMs, HOUR_MS);
    const sampleEveryMs = compactEveryMs / 10;
    const keep = Math.floor(retentionMs / sampleEveryMs) + 1;
    const samples: number[] = [this.deps.currentRevision()];
    let lastSuccess = this.deps.now();
    let wait = retentionMs; // the first compaction waits a whole retention period
    this.every(sampleEveryMs, async () => {
      if (this.deps.now() - lastSuccess >= wait) {
        wait = compactEveryMs;
        const revision = samples[0] ?? 0;
        if (await this.tryCompact(revision)) lastSuccess = this.deps.now();
      }
      samples.push(this.deps.currentRevision());
      if (samples.length > keep) samples.shift();
    });
  }

  private runRevision(retain: number): void {
    let previous = 0;
    this.every(REVISION_CHECK_MS, async () => {
      const revision = this.deps.currentRevision() - retain;
      if (revision <= 0 || revision === previous) return;
      if (await this.tryCompact(revision)) previous = revision;
    });
  }

  private async tryCompact(revision: number): Promise<boolean> {
    if (revision <= 0) return false;
    try {
      await this.deps.compact(revision);
      this.deps.log("completed auto revision compaction", { revision });
      return true;
    } catch (e) {
      const message = (e as Error).message;
      // Already compacted past it: nothing to do, which counts as done.
      if (message.includes("required revision has been compacted")) return true;
      this.deps.log("failed auto compaction", { revision, error: message });
      return false;
    }
  }
}
