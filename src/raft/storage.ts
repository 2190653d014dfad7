// The storage raft reads its stable log from, and MemoryStorage, which tests use and which
// the server keeps fed from its WAL (as etcd does).
import assert from "node:assert/strict";
import { ErrCompacted, ErrSnapOutOfDate, ErrUnavailable } from "./errors.js";
import {
  type ConfState,
  EMPTY_BYTES,
  type Entry,
  EntryType,
  emptyHardState,
  emptySnapshot,
  type HardState,
  type Snapshot,
} from "./types.js";
import { limitCount } from "./util.js";

/**
 * What raft needs from durable storage. Methods throw ErrCompacted, ErrUnavailable or
 * ErrSnapshotTemporarilyUnavailable as etcd's raft.Storage returns them.
 */
export interface Storage {
  /** The saved HardState, and the ConfState as of the applied index raft restarts from (Config.applied, else the snapshot). */
  initialState(): { hardState: HardState; confState: ConfState };
  /** Entries [lo, hi), at most maxSizeBytes in total but at least one if any. */
  entries(lo: number, hi: number, maxSizeBytes: number): Entry[];
  /** Term of entry i; i may be firstIndex()-1 (the snapshot's index). */
  term(i: number): number;
  lastIndex(): number;
  /** Index of the first entry that entries() may return (older ones are compacted). */
  firstIndex(): number;
  /** The most recent snapshot. */
  snapshot(): Snapshot;
}

/**
 * Storage in memory. `ents[0]` is a dummy entry holding the snapshot's index and term, so
 * the log is ents[1..] and `ents[i - ents[0].index]` is entry i.
 */
export class MemoryStorage implements Storage {
  private hardState: HardState = emptyHardState();
  private snap: Snapshot = emptySnapshot();
  /** What initialState() reports: the newest of the snapshots' configs and setConfState(). */
  private confState: ConfState = this.snap.metadata.confState;
  /** Invariant: ents.length >= 1, and ents[k].index === ents[0].index + k. */
  private ents: Entry[] = [{ term: 0, index: 0, type: EntryType.EntryNormal, data: EMPTY_BYTES }];

  initialState(): { hardState: HardState; confState: ConfState } {
    return { hardState: { ...this.hardState }, confState: this.confState };
  }

  setHardState(hs: HardState): void {
    this.hardState = { term: hs.term, vote: hs.vote, commit: hs.commit };
  }

  hardStateView(): Readonly<HardState> {
    return this.hardState;
  }

  /**
   * Sets the configuration initialState() reports. Raft starts from it, so it must be the
   * configuration as of the `applied` index the node restarts with (or as of the
   * snapshot when applied is 0): set it when rebuilding storage on restart, or for a
   * node whose peers are known up front (tests).
   */
  setConfState(cs: ConfState): void {
    this.confState = cs;
  }

  entries(lo: number, hi: number, maxSizeBytes: number): Entry[] {
    const offset = this.ents[0]!.index;
    if (lo <= offset) throw new ErrCompacted();
    if (hi > this.lastIndex() + 1) {
      assert.fail(`entries' hi(${hi}) is out of bound lastindex(${this.lastIndex()})`);
    }
    if (this.ents.length === 1) throw new ErrUnavailable();
    const from = lo - offset;
    const n = limitCount(this.ents, from, hi - offset, maxSizeBytes);
    return this.ents.slice(from, from + n);
  }

  term(i: number): number {
    const offset = this.ents[0]!.index;
    if (i < offset) throw new ErrCompacted();
    const e = this.ents[i - offset];
    if (e === undefined) throw new ErrUnavailable();
    return e.term;
  }

  lastIndex(): number {
    return this.ents[0]!.index + this.ents.length - 1;
  }

  firstIndex(): number {
    return this.ents[0]!.index + 1;
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  /** Replaces the whole contents with the snapshot (a follower receiving one). */
  applySnapshot(snap: Snapshot): void {
    if (this.snap.metadata.index >= snap.metadata.index) throw new ErrSnapOutOfDate();
    this.snap = snap;
    this.confState = snap.metadata.confState;
    this.ents = [
      {
        term: snap.metadata.term,
        index: snap.metadata.index,
        type: EntryType.EntryNormal,
        data: EMPTY_BYTES,
      },
    ];
  }

  /**
   * Records a snapshot of the applied state at index i (<= applied) for followers that
   * fall behind; `confState` must be the configuration as of i.
   */
  createSnapshot(i: number, confState: ConfState | null, data: Uint8Array): Snapshot {
    if (i <= this.snap.metadata.index) throw new ErrSnapOutOfDate();
    const offset = this.ents[0]!.index;
    if (i > this.lastIndex()) assert.fail(`snapshot ${i} is out of bound lastindex(${this.lastIndex()})`);
    const term = this.ents[i - offset]!.term;
    this.snap = {
      data,
      metadata: { index: i, term, confState: confState ?? this.snap.metadata.confState },
    };
    this.confState = this.snap.metadata.confState;
    return this.snap;
  }

  /** Discards entries before compactIndex; the application must not need them any more. */
  compact(compactIndex: number): void {
    const offset = this.ents[0]!.index;
    if (compactIndex <= offset) throw new ErrCompacted();
    if (compactIndex > this.lastIndex()) {
      assert.fail(`compact ${compactIndex} is out of bound lastindex(${this.lastIndex()})`);
    }
    const k = compactIndex - offset;
    const term = this.ents[k]!.term;
    this.ents.splice(0, k);
    this.ents[0] = { term, index: compactIndex, type: EntryType.EntryNormal, data: EMPTY_BYTES };
  }

  /**
   * Appends entries, replacing any suffix they conflict with. The entries must be
   * contiguous and must not leave a gap after the current last index.
   */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const first = this.firstIndex();
    const last = entries[0]!.index + entries.length - 1;
    if (last < first) return; // everything is already compacted
    let from = 0;
    if (first > entries[0]!.index) from = first - entries[0]!.index;
    const startIndex = entries[from]!.index;
    const at = startIndex - this.ents[0]!.index;
    if (at > this.ents.length) {
      assert.fail(`missing log entry [last: ${this.lastIndex()}, append at: ${startIndex}]`);
    }
    if (at < this.ents.length) this.ents.length = at; // truncate the conflicting suffix
    for (let i = from; i < entries.length; i++) this.ents.push(entries[i]!);
  }
}
