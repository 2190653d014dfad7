// Pure codecs between raft's TypeScript types and etcd's raftpb bytes. The encodings are
// byte-for-byte those of etcd 3.4 (gogoproto, non-nullable fields always written), so the
// WAL and the peer transport carry exactly what etcd would. Decoded byte fields (entry
// data, contexts, snapshot data) are views of the input buffer: do not reuse it.
import { idToLong, raftpb, toId, toNumber } from "../proto/index.js";
import {
  type ConfChange,
  type ConfChangeSingle,
  type ConfChangeTransition,
  type ConfChangeType,
  type ConfChangeV2,
  type ConfState,
  EMPTY_BYTES,
  type Entry,
  type EntryType,
  type HardState,
  type Message,
  type MessageType,
  type Snapshot,
} from "./types.js";

type Long = ReturnType<typeof idToLong>;
type Int64 = number | Long | null | undefined;

function bytesOut(b: Uint8Array | null | undefined): Uint8Array {
  return b == null || b.length === 0 ? EMPTY_BYTES : b;
}

function ids(list: readonly bigint[]): Long[] {
  return list.map((id) => idToLong(id));
}

function idsIn(list: readonly Int64[] | null | undefined): bigint[] {
  return list == null ? [] : list.map((v) => toId(v));
}

// ---- Entry

export function entryToProto(e: Entry): raftpb.Entry.$Properties {
  const p: raftpb.Entry.$Properties = { Type: e.type, Term: e.term, Index: e.index };
  if (e.data.length > 0) p.Data = e.data;
  return p;
}

export function entryFromProto(p: raftpb.Entry.$Properties): Entry {
  return {
    term: toNumber(p.Term),
    index: toNumber(p.Index),
    type: (p.Type ?? 0) as EntryType,
    data: bytesOut(p.Data),
  };
}

export function encodeEntry(e: Entry): Uint8Array {
  return raftpb.Entry.encode(entryToProto(e)).finish();
}

export function decodeEntry(b: Uint8Array): Entry {
  return entryFromProto(raftpb.Entry.decode(b));
}

// ---- ConfState, Snapshot

export function confStateToProto(cs: ConfState): raftpb.ConfState.$Properties {
  return {
    voters: ids(cs.voters),
    learners: ids(cs.learners),
    votersOutgoing: ids(cs.votersOutgoing),
    learnersNext: ids(cs.learnersNext),
    autoLeave: cs.autoLeave,
  };
}

export function confStateFromProto(p: raftpb.ConfState.$Properties | null | undefined): ConfState {
  return {
    voters: idsIn(p?.voters),
    learners: idsIn(p?.learners),
    votersOutgoing: idsIn(p?.votersOutgoing),
    learnersNext: idsIn(p?.learnersNext),
    autoLeave: p?.autoLeave ?? false,
  };
}

export function encodeConfState(cs: ConfState): Uint8Array {
  return raftpb.ConfState.encode(confStateToProto(cs)).finish();
}

export function decodeConfState(b: Uint8Array): ConfState {
  return confStateFromProto(raftpb.ConfState.decode(b));
}

export function snapshotToProto(s: Snapshot): raftpb.Snapshot.$Properties {
  const p: raftpb.Snapshot.$Properties = {
    metadata: {
      confState: confStateToProto(s.metadata.confState),
      index: s.metadata.index,
      term: s.metadata.term,
    },
  };
  if (s.data.length > 0) p.data = s.data;
  return p;
}

export function snapshotFromProto(p: raftpb.Snapshot.$Properties | null | undefined): Snapshot {
  const md = p?.metadata;
  return {
    data: bytesOut(p?.data),
    metadata: {
      confState: confStateFromProto(md?.confState),
      index: toNumber(md?.index),
      term: toNumber(md?.term),
    },
  };
}

export function encodeSnapshot(s: Snapshot): Uint8Array {
  return raftpb.Snapshot.encode(snapshotToProto(s)).finish();
}

export function decodeSnapshot(b: Uint8Array): Snapshot {
  return snapshotFromProto(raftpb.Snapshot.decode(b));
}

// ---- HardState

export function hardStateToProto(hs: HardState): raftpb.HardState.$Properties {
  return { term: hs.term, vote: idToLong(hs.vote), commit: hs.commit };
}

export function hardStateFromProto(p: raftpb.HardState.$Properties): HardState {
  return { term: toNumber(p.term), vote: toId(p.vote), commit: toNumber(p.commit) };
}

export function encodeHardState(hs: HardState): Uint8Array {
  return raftpb.HardState.encode(hardStateToProto(hs)).finish();
}

export function decodeHardState(b: Uint8Array): HardState {
  return hardStateFromProto(raftpb.HardState.decode(b));
}

// ---- Message

const EMPTY_SNAPSHOT_PROTO: raftpb.Snapshot.$Properties = {
  metadata: { confState: { autoLeave: false }, index: 0, term: 0 },
};

export function messageToProto(m: Message): raftpb.Message.$Properties {
  const p: raftpb.Message.$Properties = {
    type: m.type,
    to: idToLong(m.to),
    from: idToLong(m.from),
    term: m.term,
    logTerm: m.logTerm,
    index: m.index,
    entries: m.entries.map(entryToProto),
    commit: m.commit,
    // etcd 3.4 declares the snapshot non-nullable: it is always on the wire.
    snapshot: m.snapshot === null ? EMPTY_SNAPSHOT_PROTO : snapshotToProto(m.snapshot),
    reject: m.reject,
    rejectHint: m.rejectHint,
  };
  if (m.context.length > 0) p.context = m.context;
  return p;
}

export function messageFromProto(p: raftpb.Message.$Properties): Message {
  const snap = p.snapshot == null ? null : snapshotFromProto(p.snapshot);
  return {
    type: (p.type ?? 0) as MessageType,
    to: toId(p.to),
    from: toId(p.from),
    term: toNumber(p.term),
    logTerm: toNumber(p.logTerm),
    index: toNumber(p.index),
    entries: p.entries == null ? [] : p.entries.map(entryFromProto),
    commit: toNumber(p.commit),
    // An all-zero snapshot is how etcd 3.4 spells "none".
    snapshot: snap === null || snap.metadata.index === 0 ? null : snap,
    reject: p.reject ?? false,
    rejectHint: toNumber(p.rejectHint),
    context: bytesOut(p.context),
  };
}

export function encodeMessage(m: Message): Uint8Array {
  return raftpb.Message.encode(messageToProto(m)).finish();
}

export function decodeMessage(b: Uint8Array): Message {
  return messageFromProto(raftpb.Message.decode(b));
}

// ---- ConfChange, ConfChangeV2

export function encodeConfChange(cc: ConfChange): Uint8Array {
  const p: raftpb.ConfChange.$Properties = {
    id: idToLong(cc.id),
    type: cc.type,
    nodeId: idToLong(cc.nodeId),
  };
  if (cc.context.length > 0) p.context = cc.context;
  return raftpb.ConfChange.encode(p).finish();
}

export function decodeConfChange(b: Uint8Array): ConfChange {
  const p = raftpb.ConfChange.decode(b);
  return {
    type: (p.type ?? 0) as ConfChangeType,
    nodeId: toId(p.nodeId),
    context: bytesOut(p.context),
    id: toId(p.id),
  };
}

export function encodeConfChangeV2(cc: ConfChangeV2): Uint8Array {
  const p: raftpb.ConfChangeV2.$Properties = {
    transition: cc.transition,
    changes: cc.changes.map((c) => ({ type: c.type, nodeId: idToLong(c.nodeId) })),
  };
  if (cc.context.length > 0) p.context = cc.context;
  return raftpb.ConfChangeV2.encode(p).finish();
}

export function decodeConfChangeV2(b: Uint8Array): ConfChangeV2 {
  const p = raftpb.ConfChangeV2.decode(b);
  const changes: ConfChangeSingle[] = (p.changes ?? []).map((c) => ({
    type: (c.type ?? 0) as ConfChangeType,
    nodeId: toId(c.nodeId),
  }));
  return { transition: (p.transition ?? 0) as ConfChangeTransition, changes, context: bytesOut(p.context) };
}
