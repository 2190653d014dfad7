// Raft's wire types as plain TypeScript: the same fields and meanings as etcd's raftpb
// (raft.proto), in camelCase, with terms and indexes as `number` and node IDs as `bigint`.
// `codec.ts` converts them to and from raftpb bytes.

/** raftpb.EntryType */
export enum EntryType {
  EntryNormal = 0,
  EntryConfChange = 1,
  EntryConfChangeV2 = 2,
}

/** raftpb.MessageType */
export enum MessageType {
  MsgHup = 0,
  MsgBeat = 1,
  MsgProp = 2,
  MsgApp = 3,
  MsgAppResp = 4,
  MsgVote = 5,
  MsgVoteResp = 6,
  MsgSnap = 7,
  MsgHeartbeat = 8,
  MsgHeartbeatResp = 9,
  MsgUnreachable = 10,
  MsgSnapStatus = 11,
  MsgCheckQuorum = 12,
  MsgTransferLeader = 13,
  MsgTimeoutNow = 14,
  MsgReadIndex = 15,
  MsgReadIndexResp = 16,
  MsgPreVote = 17,
  MsgPreVoteResp = 18,
}

/** raftpb.ConfChangeType */
export enum ConfChangeType {
  ConfChangeAddNode = 0,
  ConfChangeRemoveNode = 1,
  ConfChangeUpdateNode = 2,
  ConfChangeAddLearnerNode = 3,
}

/** raftpb.ConfChangeTransition */
export enum ConfChangeTransition {
  ConfChangeTransitionAuto = 0,
  ConfChangeTransitionJointImplicit = 1,
  ConfChangeTransitionJointExplicit = 2,
}

/** A node ID; 0 means "none". */
export type NodeId = bigint;
export const NONE: NodeId = 0n;

/** Shared empty byte array; treat every `Uint8Array` in these types as immutable. */
export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

export interface Entry {
  term: number;
  index: number;
  type: EntryType;
  data: Uint8Array;
}

export interface ConfState {
  /** Voters of the incoming (or only) configuration. */
  voters: NodeId[];
  learners: NodeId[];
  /** Voters of the outgoing configuration; non-empty only while joint. */
  votersOutgoing: NodeId[];
  /** Nodes that become learners when the joint configuration is left. */
  learnersNext: NodeId[];
  autoLeave: boolean;
}

export interface SnapshotMetadata {
  confState: ConfState;
  index: number;
  term: number;
}

export interface Snapshot {
  data: Uint8Array;
  metadata: SnapshotMetadata;
}

export interface HardState {
  term: number;
  vote: NodeId;
  commit: number;
}

export interface Message {
  type: MessageType;
  to: NodeId;
  from: NodeId;
  term: number;
  logTerm: number;
  index: number;
  entries: Entry[];
  commit: number;
  /** Only MsgSnap carries one; `null` elsewhere. */
  snapshot: Snapshot | null;
  reject: boolean;
  rejectHint: number;
  context: Uint8Array;
}

export interface ConfChange {
  type: ConfChangeType;
  nodeId: NodeId;
  context: Uint8Array;
  /** Used only by etcd to thread a request ID through; raft ignores it. */
  id: bigint;
}

export interface ConfChangeSingle {
  type: ConfChangeType;
  nodeId: NodeId;
}

export interface ConfChangeV2 {
  transition: ConfChangeTransition;
  changes: ConfChangeSingle[];
  context: Uint8Array;
}

const EMPTY_ENTRIES: Entry[] = [];
Object.freeze(EMPTY_ENTRIES);

/** A message with every field present (one object shape for V8), defaults for the rest. */
export function message(fields: Partial<Message> & { type: MessageType }): Message {
  return {
    type: fields.type,
    to: fields.to ?? NONE,
    from: fields.from ?? NONE,
    term: fields.term ?? 0,
    logTerm: fields.logTerm ?? 0,
    index: fields.index ?? 0,
    entries: fields.entries ?? EMPTY_ENTRIES,
    commit: fields.commit ?? 0,
    snapshot: fields.snapshot ?? null,
    reject: fields.reject ?? false,
    rejectHint: fields.rejectHint ?? 0,
    context: fields.context ?? EMPTY_BYTES,
  };
}

export function entry(fields: Partial<Entry>): Entry {
  return {
    term: fields.term ?? 0,
    index: fields.index ?? 0,
    type: fields.type ?? EntryType.EntryNormal,
    data: fields.data ?? EMPTY_BYTES,
  };
}

export function emptyConfState(): ConfState {
  return { voters: [], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false };
}

export function emptySnapshot(): Snapshot {
  return { data: EMPTY_BYTES, metadata: { confState: emptyConfState(), index: 0, term: 0 } };
}

export function emptyHardState(): HardState {
  return { term: 0, vote: NONE, commit: 0 };
}

export function isEmptySnapshot(s: Snapshot | null): boolean {
  return s === null || s.metadata.index === 0;
}

export function isEmptyHardState(hs: HardState): boolean {
  return hs.term === 0 && hs.vote === NONE && hs.commit === 0;
}

export function hardStateEqual(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

export function confChange(
  fields: Partial<ConfChange> & { type: ConfChangeType; nodeId: NodeId },
): ConfChange {
  return {
    type: fields.type,
    nodeId: fields.nodeId,
    context: fields.context ?? EMPTY_BYTES,
    id: fields.id ?? 0n,
  };
}

export function confChangeV2(fields: Partial<ConfChangeV2>): ConfChangeV2 {
  return {
    transition: fields.transition ?? ConfChangeTransition.ConfChangeTransitionAuto,
    changes: fields.changes ?? [],
    context: fields.context ?? EMPTY_BYTES,
  };
}

function sameIds(a: readonly NodeId[], b: readonly NodeId[]): boolean {
  if (a.length !== b.length) return false;
  const sa = [...a].sort(compareIds);
  const sb = [...b].sort(compareIds);
  return sa.every((v, i) => v === sb[i]);
}

/** Whether two ConfStates describe the same configuration (order of IDs ignored). */
export function confStateEqual(a: ConfState, b: ConfState): boolean {
  return (
    sameIds(a.voters, b.voters) &&
    sameIds(a.learners, b.learners) &&
    sameIds(a.votersOutgoing, b.votersOutgoing) &&
    sameIds(a.learnersNext, b.learnersNext) &&
    a.autoLeave === b.autoLeave
  );
}

export function compareIds(a: NodeId, b: NodeId): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isLocalMessage(t: MessageType): boolean {
  return (
    t === MessageType.MsgHup ||
    t === MessageType.MsgBeat ||
    t === MessageType.MsgUnreachable ||
    t === MessageType.MsgSnapStatus ||
    t === MessageType.MsgCheckQuorum
  );
}

export function isResponseMessage(t: MessageType): boolean {
  return (
    t === MessageType.MsgAppResp ||
    t === MessageType.MsgVoteResp ||
    t === MessageType.MsgHeartbeatResp ||
    t === MessageType.MsgUnreachable ||
    t === MessageType.MsgPreVoteResp
  );
}
