import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ErrCompacted, ErrSnapOutOfDate, ErrUnavailable } from "./errors.js";
import { MemoryStorage } from "./storage.js";
import { type ConfState, type Entry, EntryType, emptyConfState } from "./types.js";
import { entrySize, NO_LIMIT } from "./util.js";

const ent = (index: number, term: number, data = ""): Entry => ({
  index,
  term,
  type: EntryType.EntryNormal,
  data: new TextEncoder().encode(data),
});
const it = (ents: readonly Entry[]): [number, number][] => ents.map((e) => [e.index, e.term]);

/** Storage holding a snapshot at 3/3 and entries 4/4, 5/5. */
function fixture(): MemoryStorage {
  const s = new MemoryStorage();
  s.append([ent(1, 1), ent(2, 2), ent(3, 3), ent(4, 4), ent(5, 5)]);
  s.compact(3);
  return s;
}

describe("MemoryStorage", () => {
  test("storage - term of compacted, stored and missing entries", () => {
    const s = fixture();
    assert.throws(() => s.term(2), ErrCompacted);
    assert.equal(s.term(3), 3);
    assert.equal(s.term(5), 5);
    assert.throws(() => s.term(6), ErrUnavailable);
  });

  test("storage - entries respects bounds and the size limit, returning at least one", () => {
    const s = fixture();
    s.append([ent(6, 6)]);
    assert.throws(() => s.entries(2, 6, NO_LIMIT), ErrCompacted);
    assert.throws(() => s.entries(3, 4, NO_LIMIT), ErrCompacted);
    assert.deepEqual(it(s.entries(4, 5, NO_LIMIT)), [[4, 4]]);
    assert.deepEqual(it(s.entries(4, 7, NO_LIMIT)), [
      [4, 4],
      [5, 5],
      [6, 6],
    ]);
    assert.deepEqual(it(s.entries(4, 7, 0)), [[4, 4]]);
    const one = entrySize(ent(4, 4));
    assert.deepEqual(it(s.entries(4, 7, one * 2)), [
      [4, 4],
      [5, 5],
    ]);
    assert.deepEqual(it(s.entries(4, 7, one * 2 + one / 2)), [
      [4, 4],
      [5, 5],
    ]);
    assert.deepEqual(it(s.entries(4, 7, one * 3)), [
      [4, 4],
      [5, 5],
      [6, 6],
    ]);
    assert.throws(() => s.entries(4, 8, NO_LIMIT), /out of bound/);
  });

  test("storage - first and last index follow compaction and appends", () => {
    const s = fixture();
    assert.equal(s.firstIndex(), 4);
    assert.equal(s.lastIndex(), 5);
    s.append([ent(6, 5)]);
    assert.equal(s.lastIndex(), 6);
    s.compact(4);
    assert.equal(s.firstIndex(), 5);
  });

  test("storage - compact refuses old indexes and keeps the dummy's term", () => {
    const s = fixture();
    assert.throws(() => s.compact(2), ErrCompacted);
    assert.throws(() => s.compact(3), ErrCompacted);
    s.compact(4);
    assert.equal(s.term(4), 4);
    assert.throws(() => s.term(3), ErrCompacted);
    s.compact(5);
    assert.equal(s.firstIndex(), 6);
    assert.equal(s.lastIndex(), 5);
  });

  test("storage - createSnapshot records index, term, config and data", () => {
    const s = fixture();
    const cs: ConfState = { ...emptyConfState(), voters: [1n, 2n, 3n] };
    const data = new Uint8Array([1, 2]);
    const snap = s.createSnapshot(4, cs, data);
    assert.equal(snap.metadata.index, 4);
    assert.equal(snap.metadata.term, 4);
    assert.deepEqual(snap.metadata.confState, cs);
    assert.equal(s.snapshot(), snap);
    assert.throws(() => s.createSnapshot(3, cs, data), ErrSnapOutOfDate);
    assert.throws(() => s.createSnapshot(6, cs, data), /out of bound/);
  });

  test("storage - append truncates conflicts, ignores compacted prefixes and refuses gaps", () => {
    const cases: { add: Entry[]; want: [number, number][] }[] = [
      {
        add: [ent(1, 1), ent(2, 2)],
        want: [
          [3, 3],
          [4, 4],
          [5, 5],
        ],
      },
      {
        add: [ent(3, 3), ent(4, 4), ent(5, 5)],
        want: [
          [3, 3],
          [4, 4],
          [5, 5],
        ],
      },
      {
        add: [ent(3, 3), ent(4, 6), ent(5, 6)],
        want: [
          [3, 3],
          [4, 6],
          [5, 6],
        ],
      },
      {
        add: [ent(3, 3), ent(4, 4), ent(5, 5), ent(6, 5)],
        want: [
          [3, 3],
          [4, 4],
          [5, 5],
          [6, 5],
        ],
      },
      {
        add: [ent(2, 3), ent(3, 3), ent(4, 5)],
        want: [
          [3, 3],
          [4, 5],
        ],
      },
      {
        add: [ent(4, 5)],
        want: [
          [3, 3],
          [4, 5],
        ],
      },
      {
        add: [ent(6, 5)],
        want: [
          [3, 3],
          [4, 4],
          [5, 5],
          [6, 5],
        ],
      },
    ];
    for (const c of cases) {
      const s = fixture();
      s.append(c.add);
      assert.deepEqual([[3, s.term(3)], ...it(s.entries(4, s.lastIndex() + 1, NO_LIMIT))], c.want);
    }
    assert.throws(() => fixture().append([ent(7, 5)]), /missing log entry/);
  });

  test("storage - applySnapshot replaces everything and refuses older snapshots", () => {
    const s = new MemoryStorage();
    const cs: ConfState = { ...emptyConfState(), voters: [1n, 2n] };
    s.applySnapshot({ data: new Uint8Array(0), metadata: { index: 4, term: 4, confState: cs } });
    assert.equal(s.firstIndex(), 5);
    assert.equal(s.lastIndex(), 4);
    assert.equal(s.term(4), 4);
    assert.deepEqual(s.initialState().confState, cs);
    assert.throws(
      () => s.applySnapshot({ data: new Uint8Array(0), metadata: { index: 3, term: 3, confState: cs } }),
      ErrSnapOutOfDate,
    );
  });

  test("storage - many appends stay linear (no copy per append)", () => {
    const s = new MemoryStorage();
    for (let i = 1; i <= 100_000; i++) s.append([ent(i, 1)]);
    assert.equal(s.lastIndex(), 100_000);
    s.compact(99_990);
    assert.equal(s.entries(99_991, 100_001, NO_LIMIT).length, 10);
  });
});
