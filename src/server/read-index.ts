// Linearizable reads, batched as etcd batches them: reads that arrive while a ReadIndex
// round is in flight wait for the next round, so one round (one heartbeat exchange in a
// cluster) serves them all. A round completes when Raft reports its read state and the
// member has applied up to that index.

import { ServerError } from "./errors.js";

const RETRY_MS = 500;

interface Round {
  readonly waiters: Array<{ resolve(): void; reject(e: Error): void }>;
  readonly startedMs: number;
  readonly context: Uint8Array;
  /** When the request last went to Raft (it may be dropped: no leader, lost message). */
  sentMs: number;
  /** Known once Raft answers. */
  index?: number;
}

export interface ReadIndexDeps {
  /** Asks Raft for a read index tagged with `context`. */
  requestReadIndex(context: Uint8Array): void;
  appliedIndex(): number;
  now(): number;
}

export class ReadIndexer {
  private next: Round["waiters"] = [];
  private readonly inFlight = new Map<string, Round>();
  private readonly answered: Round[] = [];
  private sequence = 0n;
  private scheduled = false;

  constructor(
    private readonly deps: ReadIndexDeps,
    private readonly timeoutMs: number,
  ) {}

  /** Resolves once a read may observe everything committed before it was called. */
  wait(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.next.push({ resolve, reject });
      this.schedule();
    });
  }

  /** Raft answered a round. */
  onReadState(context: Uint8Array, index: number): void {
    const key = Buffer.from(context).toString("hex");
    const round = this.inFlight.get(key);
    if (round === undefined) return; // timed out meanwhile
    this.inFlight.delete(key);
    round.index = index;
    this.answered.push(round);
    this.onApplied(this.deps.appliedIndex());
    if (this.next.length > 0) this.schedule();
  }

  /** Entries up to `applied` are applied: rounds at or below it complete. */
  onApplied(applied: number): void {
    if (this.answered.length === 0) return;
    for (let i = this.answered.length - 1; i >= 0; i--) {
      const round = this.answered[i]!;
      if ((round.index ?? Number.POSITIVE_INFINITY) > applied) continue;
      this.answered.splice(i, 1);
      for (const w of round.waiters) w.resolve();
    }
  }

  /**
   * Fails rounds that waited too long, and asks again for rounds Raft has not answered
   * for a while (etcd 3.5 retries every 500 ms): Raft silently drops a read index request
   * while there is no leader.
   */
  expire(): void {
    const now = this.deps.now();
    for (const [key, round] of this.inFlight) {
      if (now - round.startedMs >= this.timeoutMs) {
        this.inFlight.delete(key);
        for (const w of round.waiters) w.reject(new ServerError("timeout"));
      } else if (now - round.sentMs >= RETRY_MS) {
        this.send(round);
      }
    }
    if (this.next.length > 0 && this.inFlight.size === 0) this.schedule();
  }

  /** A leader appeared: unanswered rounds go out again at once. */
  resend(): void {
    for (const round of this.inFlight.values()) this.send(round);
  }

  private send(round: Round): void {
    round.sentMs = this.deps.now();
    try {
      this.deps.requestReadIndex(round.context);
    } catch (e) {
      this.inFlight.delete(Buffer.from(round.context).toString("hex"));
      for (const w of round.waiters) w.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  rejectAll(error: Error): void {
    const all = [...this.next, ...[...this.inFlight.values(), ...this.answered].flatMap((r) => r.waiters)];
    this.next = [];
    this.inFlight.clear();
    this.answered.length = 0;
    for (const w of all) w.reject(error);
  }

  /** One round in flight at a time; the reads gathered meanwhile form the next. */
  private schedule(): void {
    if (this.scheduled || this.inFlight.size > 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.inFlight.size > 0 || this.next.length === 0) return;
      const context = Buffer.alloc(8);
      context.writeBigUInt64BE(++this.sequence);
      const now = this.deps.now();
      const round: Round = { waiters: this.next, startedMs: now, context, sentMs: now };
      this.next = [];
      this.inFlight.set(context.toString("hex"), round);
      this.send(round);
    });
  }
}
