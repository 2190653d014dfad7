import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ErrCompacted } from "./errors.js";
import { RaftLog } from "./log.js";
import { Unstable } from "./log_unstable.js";
import { silentLogger } from "./logger.js";
import { MemoryStorage } from "./storage.js";
import { type Entry, EntryType, emptyConfState, type Snapshot } from "./types.js";
import { entrySize, NO_LIMIT } from "./util.js";

const ent = (index: number, term: number): Entry => ({
  index,
  term,
  type: EntryType.EntryNormal,
  data: new Uint8Array([index]),
});
const ents = (...pairs: [number, number][]): Entry[] => pairs.map(([i, t]) => ent(i, t));
const it = (es: readonly Entry[]): [number, number][] => es.map((e) => [e.index, e.term]);
const snap = (index: number, term: number): Snapshot => ({
  data: new Uint8Array(0),
  metadata: { index, term, confState: emptyConfState() },
});

function logWith(stored: Entry[], unstable: Entry[] = []): RaftLog {
  const s = new MemoryStorage();
  s.append(stored);
  const l = new RaftLog(s, silentLogger);
  if (unstable.length > 0) l.append(unstable);
  return l;
}

describe("RaftLog", () => {
  test("log - findConflict returns the first conflicting or new entry, 0 if none", () => {
    const previous = ents([1, 1], [2, 2], [3, 3]);
    const cases: [Entry[], number][] = [
      [[], 0],
      [ents([1, 1], [2, 2], [3, 3]), 0],
      [ents([2, 2], [3, 3]), 0],
      [ents([1, 1], [2, 2], [3, 3], [4, 4], [5, 4]), 4],
      [ents([3, 3], [4, 4]), 4],
      [ents([1, 4], [2, 4]), 1],
      [ents([2, 1], [3, 4], [4, 4]), 2],
      [ents([3, 1], [4, 2], [5, 4], [6, 4]), 3],
    ];
    for (const [e, want] of cases) assert.equal(logWith([], previous).findConflict(e), want);
  });

  test("log - isUpToDate compares last term first, then length", () => {
    const l = logWith([], ents([1, 1], [2, 2], [3, 3]));
    assert.equal(l.isUpToDate(2, 4), true);
    assert.equal(l.isUpToDate(3, 2), false);
    assert.equal(l.isUpToDate(2, 3), false);
    assert.equal(l.isUpToDate(3, 3), true);
    assert.equal(l.isUpToDate(4, 3), true);
  });

  test("log - maybeAppend checks the previous entry, truncates conflicts, and caps commit", () => {
    const base = (): RaftLog => {
      const l = logWith([], ents([1, 1], [2, 2], [3, 3]));
      l.commitTo(1);
      return l;
    };
    let l = base();
    assert.equal(l.maybeAppend(3, 2, 3, ents([4, 4])), -1, "mismatching previous term");
    l = base();
    assert.equal(l.maybeAppend(3, 3, 3, ents([4, 4], [5, 4])), 5);
    assert.equal(l.committed, 3);
    l = base();
    assert.equal(l.maybeAppend(3, 3, 5, []), 3);
    assert.equal(l.committed, 3, "commit is capped at the last new entry");
    l = base();
    assert.equal(l.maybeAppend(1, 1, 2, ents([2, 4])), 2);
    assert.deepEqual(it(l.allEntries()), [
      [1, 1],
      [2, 4],
    ]);
    l = base();
    assert.throws(() => l.maybeAppend(0, 0, 3, ents([1, 4])), /conflict with committed entry/);
  });

  test("log - term, slice and entries see through storage, unstable and compaction", () => {
    const s = new MemoryStorage();
    s.append(ents([1, 1], [2, 1], [3, 2], [4, 2], [5, 3]));
    s.compact(2);
    const l = new RaftLog(s, silentLogger);
    l.append(ents([6, 3], [7, 4]));
    assert.equal(l.firstIndex(), 3);
    assert.equal(l.lastIndex(), 7);
    assert.equal(l.term(2), 1);
    assert.equal(l.term(6), 3);
    assert.equal(l.term(8), 0);
    assert.equal(l.term(1), 0, "below the snapshot: unknown, as in etcd");
    assert.deepEqual(it(l.slice(4, 8, NO_LIMIT)), [
      [4, 2],
      [5, 3],
      [6, 3],
      [7, 4],
    ]);
    const one = entrySize(ent(4, 2));
    assert.deepEqual(it(l.slice(4, 8, one * 2)), [
      [4, 2],
      [5, 3],
    ]);
    assert.throws(() => l.slice(2, 4, NO_LIMIT), ErrCompacted);
    assert.throws(() => l.slice(4, 9, NO_LIMIT), /out of bound/);
  });

  test("log - findConflictByTerm finds the last index whose term is at most the given one", () => {
    const l = logWith([], ents([1, 1], [2, 1], [3, 3], [4, 3], [5, 5]));
    assert.deepEqual(l.findConflictByTerm(5, 4), { index: 4, term: 3 });
    assert.deepEqual(l.findConflictByTerm(5, 2), { index: 2, term: 1 });
    assert.deepEqual(l.findConflictByTerm(5, 0), { index: 0, term: 0 });
    assert.deepEqual(l.findConflictByTerm(3, 3), { index: 3, term: 3 });
  });

  test("log - nextEnts hands out committed, unapplied entries within the size limit", () => {
    const s = new MemoryStorage();
    s.append(ents([1, 1], [2, 1], [3, 1]));
    const one = entrySize(ent(1, 1));
    const l = new RaftLog(s, silentLogger, one * 2);
    l.append(ents([4, 1]));
    l.commitTo(4);
    l.appliedTo(1);
    assert.deepEqual(it(l.nextEnts()), [
      [2, 1],
      [3, 1],
    ]);
    l.appliedTo(3);
    assert.deepEqual(it(l.nextEnts()), [[4, 1]]);
    l.appliedTo(4);
    assert.equal(l.hasNextEnts(), false);
    assert.throws(() => l.appliedTo(5), /out of range/);
  });

  test("log - a restored snapshot resets the log and becomes the commit point", () => {
    const l = logWith(ents([1, 1]));
    l.restore(snap(100, 10));
    assert.equal(l.committed, 100);
    assert.equal(l.firstIndex(), 101);
    assert.equal(l.lastIndex(), 100);
    assert.equal(l.term(100), 10);
    assert.equal(l.hasPendingSnapshot(), true);
    l.stableSnapTo(100);
    assert.equal(l.hasPendingSnapshot(), false);
  });

  test("log - maybeCommit only commits entries of the given term", () => {
    const l = logWith([], ents([1, 1], [2, 2], [3, 3]));
    assert.equal(l.maybeCommit(2, 3), false);
    assert.equal(l.maybeCommit(3, 3), true);
    assert.equal(l.committed, 3);
  });
});

describe("Unstable", () => {
  test("unstable - stableTo drops the persisted prefix unless the entry was replaced", () => {
    const u = new Unstable(5);
    u.truncateAndAppend(ents([5, 1], [6, 1], [7, 1]), 0);
    u.stableTo(6, 2);
    assert.equal(u.offset, 5, "term mismatch: ignored");
    u.stableTo(6, 1);
    assert.equal(u.offset, 7);
    assert.deepEqual(it(u.entries()), [[7, 1]]);
    u.stableTo(7, 1);
    assert.equal(u.length(), 0);
    assert.equal(u.maybeLastIndex(), undefined);
  });

  test("unstable - truncateAndAppend appends, replaces all, or replaces a suffix", () => {
    const mk = () => {
      const u = new Unstable(5);
      u.truncateAndAppend(ents([5, 1], [6, 1], [7, 1]), 0);
      return u;
    };
    let u = mk();
    u.truncateAndAppend(ents([8, 1]), 0);
    assert.deepEqual(it(u.entries()), [
      [5, 1],
      [6, 1],
      [7, 1],
      [8, 1],
    ]);
    u = mk();
    u.truncateAndAppend(ents([4, 2], [5, 2]), 0);
    assert.equal(u.offset, 4);
    assert.deepEqual(it(u.entries()), [
      [4, 2],
      [5, 2],
    ]);
    u = mk();
    u.truncateAndAppend(ents([6, 2]), 0);
    assert.deepEqual(it(u.entries()), [
      [5, 1],
      [6, 2],
    ]);
  });

  test("unstable - a Ready's copy of the entries is not affected by later appends", () => {
    const u = new Unstable(1);
    u.truncateAndAppend(ents([1, 1], [2, 1]), 0);
    const handedOut = u.entries();
    u.truncateAndAppend(ents([2, 2], [3, 2]), 0);
    assert.deepEqual(it(handedOut), [
      [1, 1],
      [2, 1],
    ]);
  });

  test("unstable - term lookups fall back to the pending snapshot", () => {
    const u = new Unstable(5);
    u.restore(snap(4, 3));
    assert.equal(u.maybeTerm(4), 3);
    assert.equal(u.maybeTerm(3), undefined);
    assert.equal(u.maybeFirstIndex(), 5);
    assert.equal(u.maybeLastIndex(), 4);
  });
});
