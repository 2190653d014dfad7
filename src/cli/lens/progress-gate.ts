// When to ask a watch for progress, and which answers to believe. The lens needs "every
// event up to revision R was delivered" to know that a deleted key's history is complete.
// etcd 3.5.8+ (and tetcd) answer a progress request only once the watcher has caught up;
// etcd 3.4.23 answers at once with the store's revision, even while an unsynced watcher's
// old events are still to come (its sync loop runs every 100 ms), and its send loop may
// pick a control response before events already queued. So an answer is believed only
// when (1) its request went out a grace period after the watcher was created, and (2) a
// second request, sent after that answer arrived, was answered too: whatever was queued
// before the first answer left has been sent by then, on the same ordered stream.
import assert from "node:assert/strict";

export interface ProgressGateOptions {
  /** Ask only after the watch was silent this long. */
  idleMs: number;
  /** Answers to requests sent sooner than this after creation are not believed. */
  graceMs: number;
  /** A request unanswered this long is taken as lost (e.g. across a reconnect). */
  lostMs: number;
}

export const DEFAULT_PROGRESS_GATE: ProgressGateOptions = { idleMs: 200, graceMs: 1000, lostMs: 2000 };

export class ProgressGate {
  private createdAt: number | undefined;
  private lastActivity = 0;
  /** When the request in flight was sent (undefined: none). */
  private requestedAt: number | undefined;
  /** A believable answer waiting for its confirmation. */
  private candidate: number | undefined;

  constructor(private readonly o: ProgressGateOptions = DEFAULT_PROGRESS_GATE) {
    assert.ok(o.idleMs > 0 && o.graceMs >= 0 && o.lostMs > o.idleMs, "progress gate: bad timings");
  }

  /** The watcher was created (again, after a reconnect: what was believed is void). */
  created(now: number): void {
    this.createdAt = now;
    this.lastActivity = now;
    this.requestedAt = undefined;
    this.candidate = undefined;
  }

  /** Events arrived. */
  activity(now: number): void {
    this.lastActivity = now;
  }

  /** Whether to send a progress request now (call requested() when it is sent). */
  shouldRequest(now: number): boolean {
    if (this.createdAt === undefined) return false;
    if (this.requestedAt !== undefined && now - this.requestedAt < this.o.lostMs) return false;
    // A candidate is confirmed by the next answer: no need to wait for silence again.
    return this.candidate !== undefined || now - this.lastActivity >= this.o.idleMs;
  }

  requested(now: number): void {
    this.requestedAt = now;
  }

  /** A progress answer at `revision`: the revision to report, or undefined (not yet believable). */
  answered(revision: number): number | undefined {
    const sentAt = this.requestedAt;
    this.requestedAt = undefined;
    if (sentAt === undefined || this.createdAt === undefined) return undefined;
    if (sentAt - this.createdAt < this.o.graceMs) return undefined;
    if (this.candidate === undefined) {
      this.candidate = revision;
      return undefined;
    }
    const confirmed = this.candidate;
    assert.ok(revision >= confirmed, "progress gate: progress went backwards");
    this.candidate = undefined;
    return confirmed;
  }
}
