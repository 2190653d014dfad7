// What the leader knows about one follower's log, and how it sends to it: probing for the
// match point one message at a time, replicating optimistically within a window of
// inflight messages, or waiting for a snapshot to land.
import assert from "node:assert/strict";
import { Inflights } from "./inflights.js";

export enum ProgressState {
  /** Unsure of the follower's log: send one MsgApp per heartbeat until one is acked. */
  StateProbe = 0,
  /** Follower keeps up: stream MsgApps, up to the inflight window. */
  StateReplicate = 1,
  /** Follower needs a snapshot; send nothing until it is reported applied (or failed). */
  StateSnapshot = 2,
}

export const progressStateNames = ["StateProbe", "StateReplicate", "StateSnapshot"] as const;

export class Progress {
  /** Highest index known to be in the follower's log. Invariant: 0 <= match < next. */
  match: number;
  /** Index of the next entry to send. */
  next: number;
  state: ProgressState = ProgressState.StateProbe;
  /** Index of the snapshot in flight while in StateSnapshot (0 otherwise). */
  pendingSnapshot = 0;
  /** Heard from within the last election timeout (CheckQuorum); new peers start active. */
  recentActive = false;
  /** In StateProbe: a MsgApp was sent and no answer came yet, so sending pauses. */
  probeSent = false;
  inflights: Inflights;
  isLearner: boolean;

  constructor(next: number, match: number, maxInflight: number, isLearner: boolean) {
    this.next = next;
    this.match = match;
    this.inflights = new Inflights(maxInflight);
    this.isLearner = isLearner;
    this.checkInvariant();
  }

  /** A copy sharing nothing mutable (confchange works on copies). */
  clone(): Progress {
    const p = new Progress(this.next, this.match, this.inflights.size, this.isLearner);
    p.state = this.state;
    p.pendingSnapshot = this.pendingSnapshot;
    p.recentActive = this.recentActive;
    p.probeSent = this.probeSent;
    p.inflights = this.inflights.clone();
    return p;
  }

  private checkInvariant(): void {
    if (!(this.match >= 0 && this.match < this.next)) {
      assert.fail(`progress invariant 0 <= match < next broken: ${this}`);
    }
  }

  private resetState(state: ProgressState): void {
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.state = state;
    this.inflights.reset();
  }

  becomeProbe(): void {
    // After a snapshot the follower has at least the snapshot's index.
    if (this.state === ProgressState.StateSnapshot) {
      const pending = this.pendingSnapshot;
      this.resetState(ProgressState.StateProbe);
      this.next = Math.max(this.match + 1, pending + 1);
    } else {
      this.resetState(ProgressState.StateProbe);
      this.next = this.match + 1;
    }
  }

  becomeReplicate(): void {
    this.resetState(ProgressState.StateReplicate);
    this.next = this.match + 1;
  }

  becomeSnapshot(snapshotIndex: number): void {
    this.resetState(ProgressState.StateSnapshot);
    this.pendingSnapshot = snapshotIndex;
  }

  /** An append response acknowledged index n; false if it told us nothing new. */
  maybeUpdate(n: number): boolean {
    let updated = false;
    if (this.match < n) {
      this.match = n;
      updated = true;
      this.probeSent = false;
    }
    if (this.next < n + 1) this.next = n + 1;
    return updated;
  }

  /** Entries up to n were just sent (replicate state pipelines without waiting). */
  optimisticUpdate(n: number): void {
    this.next = n + 1;
    this.checkInvariant();
  }

  /**
   * A MsgApp at index `rejected` was refused; the follower hinted its log matches at most
   * up to `matchHint`. Returns false for stale rejections (nothing to change).
   */
  maybeDecrTo(rejected: number, matchHint: number): boolean {
    if (this.state === ProgressState.StateReplicate) {
      // Stale if the rejected index is already matched; otherwise fall back to match+1.
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    // Probing sends one message at a time, so only a rejection of next-1 is current.
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1);
    this.probeSent = false;
    this.checkInvariant();
    return true;
  }

  /** Whether sending to this follower should wait (probe outstanding, window full, or snapshot). */
  isPaused(): boolean {
    switch (this.state) {
      case ProgressState.StateProbe:
        return this.probeSent;
      case ProgressState.StateReplicate:
        return this.inflights.full();
      default:
        return true;
    }
  }

  toString(): string {
    let s = `${progressStateNames[this.state]} match=${this.match} next=${this.next}`;
    if (this.isLearner) s += " learner";
    if (this.isPaused()) s += " paused";
    if (this.pendingSnapshot > 0) s += ` pendingSnap=${this.pendingSnapshot}`;
    if (!this.recentActive) s += " inactive";
    const n = this.inflights.count();
    if (n > 0) s += ` inflight=${n}${this.inflights.full() ? "[full]" : ""}`;
    return s;
  }
}
