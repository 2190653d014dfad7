import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  decodeConfChange,
  decodeConfChangeV2,
  decodeConfState,
  decodeEntry,
  decodeHardState,
  decodeMessage,
  decodeSnapshot,
  encodeConfChange,
  encodeConfChangeV2,
  encodeConfState,
  encodeEntry,
  encodeHardState,
  encodeMessage,
  encodeSnapshot,
} from "./codec.js";
import {
  ConfChangeTransition,
  ConfChangeType,
  type ConfState,
  EntryType,
  type Message,
  MessageType,
  message,
  type Snapshot,
} from "./types.js";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

// Decoded byte fields are Buffers (views of the input); compare them as plain bytes.
function plain(v: unknown): unknown {
  if (v instanceof Uint8Array) return [...v];
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

function same(actual: unknown, expected: unknown): void {
  assert.deepEqual(plain(actual), plain(expected));
}
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

// Golden bytes produced by etcd 3.4's own raftpb (gogoproto) Marshal.
const snap: Snapshot = {
  data: bytes("snap"),
  metadata: {
    index: 10,
    term: 3,
    confState: {
      voters: [1n, 2n],
      learners: [3n],
      votersOutgoing: [1n, 4n],
      learnersNext: [4n],
      autoLeave: true,
    },
  },
};

describe("codec", () => {
  test("codec - entries encode exactly as etcd's raftpb", () => {
    const e = { term: 1, index: 2, type: EntryType.EntryNormal, data: bytes("a") };
    assert.equal(hex(encodeEntry(e)), "080010011802220161");
    same(decodeEntry(encodeEntry(e)), e);
    const e2 = { term: 300, index: 2 ** 40, type: EntryType.EntryConfChangeV2, data: new Uint8Array(0) };
    assert.equal(hex(encodeEntry(e2)), "080210ac0218808080808020");
  });

  test("codec - hard state, conf state and snapshot encode exactly as etcd's", () => {
    assert.equal(hex(encodeHardState({ term: 1, vote: 2n, commit: 3 })), "080110021803");
    const cs: ConfState = {
      voters: [1n, 2n, 3n],
      learners: [],
      votersOutgoing: [],
      learnersNext: [],
      autoLeave: false,
    };
    assert.equal(hex(encodeConfState(cs)), "0801080208032800");
    assert.equal(hex(encodeSnapshot(snap)), "0a04736e617012140a0e0801080210031801180420042801100a1803");
    same(decodeSnapshot(encodeSnapshot(snap)), snap);
  });

  test("codec - messages encode exactly as etcd's, with the non-nullable snapshot always present", () => {
    const e = { term: 1, index: 2, type: EntryType.EntryNormal, data: bytes("a") };
    const m = message({
      type: MessageType.MsgApp,
      to: 2n,
      from: 1n,
      term: 4,
      logTerm: 5,
      index: 6,
      commit: 7,
      entries: [e],
    });
    assert.equal(
      hex(encodeMessage(m)),
      "0803100218012004280530063a0908001001180222016140074a0a12080a0228001000180050005800",
    );
    same(decodeMessage(encodeMessage(m)), m);
    const m2 = message({
      type: MessageType.MsgHeartbeatResp,
      to: 0xfedcba9876543210n,
      from: 3n,
      term: 9,
      reject: true,
      rejectHint: 11,
      context: bytes("ctx"),
    });
    assert.equal(
      hex(encodeMessage(m2)),
      "08091090e4d0b287d3aeeefe01180320092800300040004a0a12080a022800100018005001580b6203637478",
    );
    same(decodeMessage(encodeMessage(m2)), m2);
    const m3 = message({ type: MessageType.MsgSnap, to: 2n, from: 1n, term: 3, snapshot: snap });
    assert.equal(
      hex(encodeMessage(m3)),
      "08071002180120032800300040004a1c0a04736e617012140a0e0801080210031801180420042801100a180350005800",
    );
    same(decodeMessage(encodeMessage(m3)), m3);
  });

  test("codec - conf changes encode exactly as etcd's", () => {
    const cc = {
      id: 5n,
      type: ConfChangeType.ConfChangeAddLearnerNode,
      nodeId: 0xffffffffffffffffn,
      context: bytes("x"),
    };
    assert.equal(hex(encodeConfChange(cc)), "0805100318ffffffffffffffffff01220178");
    same(decodeConfChange(encodeConfChange(cc)), cc);
    const cc2 = {
      transition: ConfChangeTransition.ConfChangeTransitionJointExplicit,
      changes: [
        { type: ConfChangeType.ConfChangeAddNode, nodeId: 2n },
        { type: ConfChangeType.ConfChangeRemoveNode, nodeId: 3n },
      ],
      context: bytes("y"),
    };
    assert.equal(hex(encodeConfChangeV2(cc2)), "08021204080010021204080110031a0179");
    same(decodeConfChangeV2(encodeConfChangeV2(cc2)), cc2);
  });

  const id = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
  const u53 = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
  const data = fc.uint8Array({ maxLength: 16 });
  const entry = fc.record({
    term: u53,
    index: u53,
    type: fc.constantFrom(0, 1, 2) as fc.Arbitrary<EntryType>,
    data,
  });
  const confState = fc.record({
    voters: fc.array(id, { maxLength: 4 }),
    learners: fc.array(id, { maxLength: 4 }),
    votersOutgoing: fc.array(id, { maxLength: 4 }),
    learnersNext: fc.array(id, { maxLength: 4 }),
    autoLeave: fc.boolean(),
  });
  const snapshot = fc.record({
    data,
    metadata: fc.record({
      confState,
      index: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      term: u53,
    }),
  });

  test("codec - every message round-trips", () => {
    const msg: fc.Arbitrary<Message> = fc.record({
      type: fc.integer({ min: 0, max: 18 }) as fc.Arbitrary<MessageType>,
      to: id,
      from: id,
      term: u53,
      logTerm: u53,
      index: u53,
      entries: fc.array(entry, { maxLength: 3 }),
      commit: u53,
      snapshot: fc.option(snapshot, { nil: null }),
      reject: fc.boolean(),
      rejectHint: u53,
      context: data,
    });
    fc.assert(fc.property(msg, (m) => same(decodeMessage(encodeMessage(m)), m)));
  });

  test("codec - entries, hard states and conf states round-trip", () => {
    fc.assert(fc.property(entry, (e) => same(decodeEntry(encodeEntry(e)), e)));
    fc.assert(
      fc.property(fc.record({ term: u53, vote: id, commit: u53 }), (hs) =>
        same(decodeHardState(encodeHardState(hs)), hs),
      ),
    );
    fc.assert(fc.property(confState, (cs) => same(decodeConfState(encodeConfState(cs)), cs)));
  });
});
