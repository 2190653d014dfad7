// The one loop that drives Raft. Everything else hands work to it (proposals, read
// index requests, peer messages) and nothing else touches the RawNode.
//
// Each turn takes one Ready and honours its contract: persist entries and hard state to
// the WAL (one fdatasync for the whole batch), then send messages, then apply committed
// entries, then advance. While a turn waits for the disk, new proposals keep arriving
// and pile up in Raft's unstable log, so the next turn carries them all: group commit
// falls out of the loop's shape rather than from timers.

import assert from "node:assert/strict";
import { diskMetrics } from "../metrics/index.js";
import {
  type AnyConfChange,
  type Entry,
  EntryType,
  type HardState,
  type MemoryStorage,
  type Message,
  type RawNode,
  type ReadState,
  type Ready,
  type SoftState,
} from "../raft/index.js";
import type { Wal } from "../wal/index.js";

export interface RaftDriverHooks {
  /** Applies committed entries in order, synchronously. */
  apply(entries: Entry[]): void;
  /** Leader or role changed. */
  softStateChanged(state: SoftState): void;
  /** Read index requests completed; serve each once applied >= its index. */
  readStates(states: ReadState[]): void;
  /** Messages for peers, sent only after what they promise is durable. */
  send(messages: Message[]): void;
  /** The disk failed: the member must stop (etcd panics here). */
  fatal(error: Error): void;
}

/** Blocking the loop for a WAL write is fine only while writes take less than this. */
const INLINE_WAL_WRITE_MAX_MS = 1;
/** Weight of the newest sample in the moving average of WAL write times. */
const WAL_WRITE_SMOOTHING = 0.1;

export class RaftDriver {
  private running = false;
  /** Moving average of how long a WAL write (and its fdatasync) takes. */
  private walWriteMs = 0;
  private scheduled = false;
  private stopped = false;
  private ticker: NodeJS.Timeout | undefined;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => {};

  constructor(
    private readonly node: RawNode,
    private readonly storage: MemoryStorage,
    private readonly wal: Wal,
    private readonly hooks: RaftDriverHooks,
    private readonly tickMs: number,
    /** Times WAL writes (milliseconds); tests pass a simulated disk's clock. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(): void {
    assert.ok(this.ticker === undefined, "raft driver started twice");
    this.ticker = setInterval(() => {
      this.node.tick();
      this.kick();
    }, this.tickMs);
    this.kick();
  }

  /** Appends a proposal to the leader's log; throws ErrProposalDropped without a leader. */
  propose(data: Uint8Array): void {
    this.node.propose(data);
    this.kick();
  }

  proposeConfChange(cc: AnyConfChange): void {
    this.node.proposeConfChange(cc);
    this.kick();
  }

  readIndex(context: Uint8Array): void {
    this.node.readIndex(context);
    this.kick();
  }

  campaign(): void {
    this.node.campaign();
    this.kick();
  }

  step(message: Message): void {
    this.node.step(message);
    this.kick();
  }

  /**
   * Runs a turn once this pass of the event loop has read what the sockets hold, so the
   * requests that arrived together go out in one batch. Work arriving while a turn waits
   * for the disk piles up and goes out together in the next turn.
   */
  kick(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.running) void this.turns();
    });
  }

  /** Stops ticking and waits for the turn in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.ticker !== undefined) clearInterval(this.ticker);
    await this.idle;
  }

  private async turns(): Promise<void> {
    this.running = true;
    this.idle = new Promise((resolve) => {
      this.markIdle = resolve;
    });
    try {
      let next: Persisting | undefined;
      while (!this.stopped) {
        const current = next ?? (this.node.hasReady() ? this.persist() : undefined);
        if (current === undefined) break;
        next = await this.finish(current);
      }
    } catch (e) {
      this.stopped = true;
      if (this.ticker !== undefined) clearInterval(this.ticker);
      this.hooks.fatal(e instanceof Error ? e : new Error(String(e)));
    } finally {
      this.running = false;
      this.markIdle();
    }
  }

  /** Takes a Ready and starts writing it to the WAL (the disk works on; this returns). */
  private persist(): Persisting {
    const rd = this.node.ready();
    if (rd.softState !== null) this.hooks.softStateChanged(rd.softState);
    if (rd.snapshot !== null) {
      // Installing a snapshot sent by a leader needs the backend's data to travel with
      // it; that arrives with clustering. A lone member never receives one.
      throw new Error("raft: receiving a snapshot from a leader is not supported yet");
    }
    let durable: Promise<void> = Promise.resolve();
    if (rd.hardState !== null || rd.entries.length > 0) {
      this.wal.save(rd.hardState === null ? undefined : toWalHardState(rd.hardState), rd.entries);
      if (rd.mustSync) {
        const started = this.now();
        // A lone entry has nothing to wait for: on a fast disk, writing it on this thread
        // beats the trip through the thread pool. Bigger batches (or a slow disk) go to the
        // pool so the loop keeps reading requests into the next batch meanwhile.
        const inline = rd.entries.length <= 1 && this.walWriteMs < INLINE_WAL_WRITE_MAX_MS;
        durable = this.wal.sync({ inline }).then(() => {
          const ms = this.now() - started;
          this.walWriteMs += (ms - this.walWriteMs) * WAL_WRITE_SMOOTHING;
          diskMetrics.walFsyncSeconds.observe(ms / 1000);
        });
      }
    }
    return { rd, durable };
  }

  /**
   * Waits for a Ready to be durable, then sends and applies it. Unless it carries conf
   * changes (which must be applied before Raft moves on), it advances first and starts
   * persisting the next Ready, so the disk writes the next batch while this one applies
   * (as etcd's apply goroutine overlaps its raft loop). Returns that next Ready, if any.
   */
  private async finish({ rd, durable }: Persisting): Promise<Persisting | undefined> {
    await durable;
    if (rd.entries.length > 0) this.storage.append(rd.entries);
    if (rd.hardState !== null) this.storage.setHardState(rd.hardState);
    if (rd.messages.length > 0) this.hooks.send(rd.messages);
    let next: Persisting | undefined;
    if (rd.committedEntries.every((e) => e.type === EntryType.EntryNormal)) {
      this.node.advance();
      if (!this.stopped && this.node.hasReady()) next = this.persist();
      this.apply(rd);
    } else {
      this.apply(rd);
      this.node.advance();
    }
    return next;
  }

  private apply(rd: Ready): void {
    if (rd.committedEntries.length > 0) this.hooks.apply(rd.committedEntries);
    if (rd.readStates.length > 0) this.hooks.readStates(rd.readStates);
  }
}

interface Persisting {
  readonly rd: Ready;
  /** Resolves once the Ready's entries and hard state are durable. */
  readonly durable: Promise<void>;
}

function toWalHardState(hs: HardState): { term: number; vote: bigint; commit: number } {
  return { term: hs.term, vote: hs.vote, commit: hs.commit };
}
