// Human-readable renderings of raft's types, in the style of etcd's Describe* helpers:
// scenario transcripts, simulator traces and log lines use them.

import { decodeConfChange, decodeConfChangeV2 } from "./codec.js";
import { confChangesToString } from "./conf_change.js";
import { messageTypeName, type SoftState, stateNames } from "./raft.js";
import type { Ready } from "./rawnode.js";
import {
  ConfChangeTransition,
  type ConfState,
  type Entry,
  EntryType,
  type HardState,
  type Message,
  type Snapshot,
} from "./types.js";

export type EntryFormatter = (data: Uint8Array) => string;

export const quoteData: EntryFormatter = (data) => JSON.stringify(Buffer.from(data).toString("latin1"));

export function describeHardState(hs: HardState): string {
  let s = `Term:${hs.term}`;
  if (hs.vote !== 0n) s += ` Vote:${hs.vote}`;
  return `${s} Commit:${hs.commit}`;
}

export function describeSoftState(ss: SoftState): string {
  return `Lead:${ss.lead} State:${stateNames[ss.raftState]}`;
}

const list = (ids: readonly bigint[]): string => `[${ids.join(" ")}]`;

export function describeConfState(cs: ConfState): string {
  return `Voters:${list(cs.voters)} VotersOutgoing:${list(cs.votersOutgoing)} Learners:${list(cs.learners)} LearnersNext:${list(cs.learnersNext)} AutoLeave:${cs.autoLeave}`;
}

export function describeSnapshot(s: Snapshot): string {
  const m = s.metadata;
  return `Index:${m.index} Term:${m.term} ConfState:${describeConfState(m.confState)}`;
}

const transitionNames = ["", " JointImplicit", " JointExplicit"];

export function describeEntry(e: Entry, f: EntryFormatter = quoteData): string {
  let payload: string;
  if (e.type === EntryType.EntryNormal) {
    payload = f(e.data);
  } else if (e.type === EntryType.EntryConfChange) {
    const cc = decodeConfChange(e.data);
    payload = confChangesToString([{ type: cc.type, nodeId: cc.nodeId }]);
  } else {
    const cc = decodeConfChangeV2(e.data);
    payload = confChangesToString(cc.changes);
    if (cc.transition !== ConfChangeTransition.ConfChangeTransitionAuto)
      payload += transitionNames[cc.transition];
  }
  const kind = ["EntryNormal", "EntryConfChange", "EntryConfChangeV2"][e.type];
  return `${e.term}/${e.index} ${kind} ${payload}`;
}

export function describeEntries(ents: readonly Entry[], f: EntryFormatter = quoteData): string {
  return ents.map((e) => `${describeEntry(e, f)}\n`).join("");
}

export function describeMessage(m: Message, f: EntryFormatter = quoteData): string {
  let s = `${m.from}->${m.to} ${messageTypeName(m.type)} Term:${m.term} Log:${m.logTerm}/${m.index}`;
  if (m.reject) s += ` Rejected (Hint: ${m.rejectHint})`;
  if (m.commit !== 0) s += ` Commit:${m.commit}`;
  if (m.entries.length > 0) s += ` Entries:[${m.entries.map((e) => describeEntry(e, f)).join(", ")}]`;
  if (m.snapshot !== null) s += ` Snapshot: ${describeSnapshot(m.snapshot)}`;
  return s;
}

export function describeReady(rd: Ready, f: EntryFormatter = quoteData): string {
  let s = "";
  if (rd.softState !== null) s += `${describeSoftState(rd.softState)}\n`;
  if (rd.hardState !== null) s += `HardState ${describeHardState(rd.hardState)}\n`;
  if (rd.readStates.length > 0) {
    s += `ReadStates ${rd.readStates.map((r) => `{Index:${r.index} Ctx:${f(r.requestCtx)}}`).join(" ")}\n`;
  }
  if (rd.entries.length > 0) s += `Entries:\n${describeEntries(rd.entries, f)}`;
  if (rd.snapshot !== null) s += `Snapshot ${describeSnapshot(rd.snapshot)}\n`;
  if (rd.committedEntries.length > 0) s += `CommittedEntries:\n${describeEntries(rd.committedEntries, f)}`;
  if (rd.messages.length > 0)
    s += `Messages:\n${rd.messages.map((m) => `${describeMessage(m, f)}\n`).join("")}`;
  return s.length > 0 ? `Ready MustSync=${rd.mustSync}:\n${s}` : "<empty Ready>";
}
