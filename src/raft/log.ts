// The raft log: stable entries in Storage followed by unstable ones, plus the commit and
// apply cursors. Invariant: firstIndex-1 <= applied <= committed <= lastIndex.
import assert from "node:assert/strict";
import { ErrCompacted, ErrUnavailable } from "./errors.js";
import { Unstable } from "./log_unstable.js";
import type { Logger } from "./logger.js";
import type { Storage } from "./storage.js";
import type { Entry, Snapshot } from "./types.js";
import { limitSize, NO_LIMIT } from "./util.js";

export class RaftLog {
  readonly unstable: Unstable;
  /** Highest index known to be stored on a quorum. */
  committed: number;
  /** Highest index the application has applied. Invariant: applied <= committed. */
  applied: number;
  /**
   * Highest index handed to the application in a Ready that is not yet advanced.
   * Invariant: applied <= applying <= committed.
   */
  applying: number;

  constructor(
    readonly storage: Storage,
    private readonly logger: Logger,
    /** Limit on the bytes of committed entries handed out in one Ready. */
    private readonly maxNextEntsSize: number = NO_LIMIT,
  ) {
    const firstIndex = storage.firstIndex();
    const lastIndex = storage.lastIndex();
    this.unstable = new Unstable(lastIndex + 1);
    // Everything up to the snapshot is committed and applied by definition.
    this.committed = firstIndex - 1;
    this.applied = firstIndex - 1;
    this.applying = firstIndex - 1;
  }

  toString(): string {
    return `committed=${this.committed}, applied=${this.applied}, unstable.offset=${this.unstable.offset}, len(unstable.Entries)=${this.unstable.length()}`;
  }

  /**
   * Appends what a leader's MsgApp carries if our log matches (index, logTerm); returns
   * the index of the last new entry, or -1 if the log does not match.
   */
  maybeAppend(index: number, logTerm: number, committed: number, ents: readonly Entry[]): number {
    if (!this.matchTerm(index, logTerm)) return -1;
    const lastNew = index + ents.length;
    const ci = this.findConflict(ents);
    if (ci !== 0) {
      if (ci <= this.committed) {
        assert.fail(`entry ${ci} conflict with committed entry [committed(${this.committed})]`);
      }
      this.appendFrom(ents, ci - (index + 1));
    }
    this.commitTo(Math.min(committed, lastNew));
    return lastNew;
  }

  /** Appends entries (truncating any conflicting unstable suffix); returns the last index. */
  append(ents: readonly Entry[]): number {
    if (ents.length === 0) return this.lastIndex();
    return this.appendFrom(ents, 0);
  }

  private appendFrom(ents: readonly Entry[], from: number): number {
    const after = ents[from]!.index - 1;
    if (after < this.committed) {
      assert.fail(`after(${after}) is out of range [committed(${this.committed})]`);
    }
    this.unstable.truncateAndAppend(ents, from);
    return this.lastIndex();
  }

  /**
   * The index of the first entry that conflicts with our log (same index, other term),
   * or of the first new entry; 0 if all are already present.
   */
  findConflict(ents: readonly Entry[]): number {
    for (const e of ents) {
      if (!this.matchTerm(e.index, e.term)) {
        if (e.index <= this.lastIndex()) {
          this.logger.info(
            `found conflict at index ${e.index} [existing term: ${this.termOrZero(e.index)}, conflicting term: ${e.term}]`,
          );
        }
        return e.index;
      }
    }
    return 0;
  }

  /**
   * For a rejected MsgApp at (index, term): the largest index <= index whose term is
   * <= term. The leader can skip every entry above it in one round trip.
   */
  findConflictByTerm(index: number, term: number): { index: number; term: number } {
    for (; index > 0; index--) {
      let t: number;
      try {
        t = this.term(index);
      } catch (e) {
        if (e instanceof ErrCompacted || e instanceof ErrUnavailable) return { index, term: 0 };
        throw e;
      }
      if (t <= term) return { index, term: t };
    }
    return { index: 0, term: 0 };
  }

  /** Entries not yet persisted. */
  unstableEntries(): Entry[] {
    return this.unstable.length() === 0 ? [] : this.unstable.entries();
  }

  /** Committed entries not yet applied, within maxNextEntsSize. */
  nextEnts(): Entry[] {
    const off = Math.max(this.applied + 1, this.firstIndex());
    if (this.committed + 1 > off) return this.slice(off, this.committed + 1, this.maxNextEntsSize);
    return [];
  }

  hasNextEnts(): boolean {
    return this.committed + 1 > Math.max(this.applied + 1, this.firstIndex());
  }

  hasPendingSnapshot(): boolean {
    return this.unstable.snapshot !== null && this.unstable.snapshot.metadata.index !== 0;
  }

  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  firstIndex(): number {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  commitTo(toCommit: number): void {
    if (this.committed < toCommit) {
      if (this.lastIndex() < toCommit) {
        assert.fail(
          `tocommit(${toCommit}) is out of range [lastIndex(${this.lastIndex()})]. Was the raft log corrupted, truncated, or lost?`,
        );
      }
      this.committed = toCommit;
    }
  }

  appliedTo(i: number): void {
    if (i === 0) return;
    if (!(this.committed >= i && i >= this.applied)) {
      assert.fail(
        `applied(${i}) is out of range [prevApplied(${this.applied}), committed(${this.committed})]`,
      );
    }
    this.applied = i;
    if (this.applying < i) this.applying = i;
  }

  stableTo(i: number, t: number): void {
    this.unstable.stableTo(i, t);
  }

  stableSnapTo(i: number): void {
    this.unstable.stableSnapTo(i);
  }

  lastTerm(): number {
    return this.termOrZero(this.lastIndex());
  }

  /**
   * Term of entry i; 0 outside [firstIndex-1, lastIndex]. Throws ErrCompacted or
   * ErrUnavailable as storage does.
   */
  term(i: number): number {
    const t = this.unstable.maybeTerm(i);
    if (t !== undefined) return t;
    const dummyIndex = this.firstIndex() - 1;
    if (i < dummyIndex || i > this.lastIndex()) return 0;
    return this.storage.term(i);
  }

  /** Term of entry i, or 0 if it is compacted or unavailable. */
  termOrZero(i: number): number {
    try {
      return this.term(i);
    } catch (e) {
      if (e instanceof ErrCompacted || e instanceof ErrUnavailable) return 0;
      throw e;
    }
  }

  /** Entries from i on, within maxSize. */
  entries(i: number, maxSize: number): Entry[] {
    if (i > this.lastIndex()) return [];
    return this.slice(i, this.lastIndex() + 1, maxSize);
  }

  /** Every entry (tests); retries if compaction races (it cannot here: no concurrency). */
  allEntries(): Entry[] {
    return this.entries(this.firstIndex(), NO_LIMIT);
  }

  /**
   * Whether a candidate whose last entry is (lastIndex, term) is at least as up to date
   * as this log (§5.4.1): later last term wins, then longer log.
   */
  isUpToDate(lastIndex: number, term: number): boolean {
    const lastTerm = this.lastTerm();
    return term > lastTerm || (term === lastTerm && lastIndex >= this.lastIndex());
  }

  matchTerm(i: number, term: number): boolean {
    try {
      const t = this.term(i);
      // term() returns 0 for indexes beyond the log; only a real entry can match.
      return t === term && (t !== 0 || i <= this.lastIndex());
    } catch (e) {
      if (e instanceof ErrCompacted || e instanceof ErrUnavailable) return false;
      throw e;
    }
  }

  /** Commits up to maxIndex if that entry is of `term` (only current-term entries are counted, §5.4.2). */
  maybeCommit(maxIndex: number, term: number): boolean {
    if (maxIndex > this.committed && this.termOrZero(maxIndex) === term) {
      this.commitTo(maxIndex);
      return true;
    }
    return false;
  }

  restore(s: Snapshot): void {
    this.logger.info(
      `log [${this}] starts to restore snapshot [index: ${s.metadata.index}, term: ${s.metadata.term}]`,
    );
    this.committed = s.metadata.index;
    this.unstable.restore(s);
  }

  /** Entries [lo, hi) within maxSize (at least one). Throws ErrCompacted if lo is compacted. */
  slice(lo: number, hi: number, maxSize: number): Entry[] {
    this.mustCheckOutOfBounds(lo, hi);
    if (lo === hi) return [];
    let ents: Entry[] = [];
    const uoff = this.unstable.offset;
    if (lo < uoff) {
      const storedHi = Math.min(hi, uoff);
      let stored: Entry[];
      try {
        stored = this.storage.entries(lo, storedHi, maxSize);
      } catch (e) {
        if (e instanceof ErrUnavailable) {
          assert.fail(`entries[${lo}:${storedHi}) is unavailable from storage`);
        }
        throw e;
      }
      // Storage hit the size limit: no point looking at unstable entries.
      if (stored.length < storedHi - lo) return stored;
      ents = stored;
    }
    if (hi > uoff) {
      const u = this.unstable.slice(Math.max(lo, uoff), hi);
      if (ents.length > 0) {
        for (const e of u) ents.push(e);
      } else {
        ents = u;
      }
    }
    return limitSize(ents, maxSize);
  }

  private mustCheckOutOfBounds(lo: number, hi: number): void {
    if (lo > hi) assert.fail(`invalid slice ${lo} > ${hi}`);
    const fi = this.firstIndex();
    if (lo < fi) throw new ErrCompacted();
    const length = this.lastIndex() + 1 - fi;
    if (hi > fi + length) assert.fail(`slice[${lo},${hi}) out of bound [${fi},${this.lastIndex()}]`);
  }
}
