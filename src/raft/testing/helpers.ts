// Small helpers shared by the paper tests.
import assert from "node:assert/strict";
import type { Raft } from "../raft.js";
import { StateType } from "../raft.js";
import { type Entry, EntryType, type Message, MessageType, message, type NodeId } from "../types.js";
import type { Network } from "./network.js";
import { ids, newTestRaft, newTestStorage } from "./network.js";

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

export function hup(nt: Network, id: number): void {
  nt.send(message({ type: MessageType.MsgHup, from: BigInt(id), to: BigInt(id) }));
}

export function propose(nt: Network, id: number, data: string): void {
  nt.send(
    message({
      type: MessageType.MsgProp,
      from: BigInt(id),
      to: BigInt(id),
      entries: [{ term: 0, index: 0, type: EntryType.EntryNormal, data: enc(data) }],
    }),
  );
}

export function proposeTo(r: Raft, data: string): void {
  r.step(
    message({
      type: MessageType.MsgProp,
      from: r.id,
      entries: [{ term: 0, index: 0, type: EntryType.EntryNormal, data: enc(data) }],
    }),
  );
}

/** Ticks until the node's randomized election timeout passes. */
export function tickElection(r: Raft): void {
  for (let i = 0; i < r.randomizedElectionTimeout; i++) r.tick();
}

/** Takes the queued messages, sorted by recipient for stable comparisons. */
export function take(r: Raft): Message[] {
  return r.readMessages().sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
}

/** The fields a test cares about, for readable comparisons. */
export function brief(m: Message): string {
  let s = `${m.from}->${m.to} ${MessageType[m.type]} t${m.term}`;
  if (m.type === MessageType.MsgApp || m.type === MessageType.MsgVote || m.type === MessageType.MsgPreVote) {
    s += ` ${m.logTerm}/${m.index}`;
  }
  if (m.type === MessageType.MsgAppResp) s += ` i${m.index}`;
  if (m.commit > 0) s += ` c${m.commit}`;
  if (m.reject) s += ` reject(${m.rejectHint})`;
  if (m.entries.length > 0) s += ` [${m.entries.map((e) => `${e.term}/${e.index}`).join(" ")}]`;
  return s;
}

export function entriesOf(r: Raft): [number, number][] {
  return r.raftLog.allEntries().map((e) => [e.index, e.term]);
}

export function dataOf(ents: readonly Entry[]): string[] {
  return ents.filter((e) => e.data.length > 0).map((e) => dec(e.data));
}

export function assertState(r: Raft, state: StateType, term: number, lead?: NodeId): void {
  assert.equal(StateType[r.state], StateType[state], `state of ${r.id}`);
  assert.equal(r.term, term, `term of ${r.id}`);
  if (lead !== undefined) assert.equal(r.lead, lead, `lead of ${r.id}`);
}

/** A leader of term 1 among peers [1..n] with its empty entry committed and acknowledged. */
export function electAndCommitEmpty(r: Raft): void {
  r.becomeCandidate();
  r.becomeLeader();
  r.bcastAppend();
  for (const m of r.readMessages()) {
    if (m.type === MessageType.MsgApp) {
      r.step(
        message({
          type: MessageType.MsgAppResp,
          from: m.to,
          to: r.id,
          term: r.term,
          index: r.raftLog.lastIndex(),
        }),
      );
    }
  }
  r.readMessages();
}

/** Plays each MsgApp the leader sent as accepted by its recipient. */
export function acceptAppends(r: Raft, msgs: readonly Message[]): void {
  for (const m of msgs) {
    if (m.type !== MessageType.MsgApp) continue;
    r.step(
      message({
        type: MessageType.MsgAppResp,
        from: m.to,
        to: m.from,
        term: m.term,
        index: m.index + m.entries.length,
      }),
    );
  }
}

/** "1 1 4" -> [[1, 1], [2, 1], [3, 4]]: a log written as the term of each index. */
export function termsLog(terms: string): [number, number][] {
  return terms
    .trim()
    .split(/\s+/)
    .filter((t) => t !== "")
    .map((t, i) => [i + 1, Number(t)]);
}

/** A raft (among voters 1..3 unless told) whose stable log holds these entries, at `term`. */
export function withLog(id: number, log: [number, number][] | string, term: number, peers = ids(1, 2, 3)) {
  const s = newTestStorage(peers);
  const pairs = typeof log === "string" ? termsLog(log) : log;
  s.append(
    pairs.map(([index, t]) => ({ index, term: t, type: EntryType.EntryNormal, data: new Uint8Array(0) })),
  );
  const r = newTestRaft(id, 10, 1, s);
  r.loadState({ term, vote: 0n, commit: 0 });
  return { r, s };
}

/** Steps a MsgReadIndex carrying `ctx` into r (as RawNode.readIndex does). */
export function readIndexOn(r: Raft, ctx: string): void {
  r.step(
    message({
      type: MessageType.MsgReadIndex,
      from: r.id,
      entries: [{ term: 0, index: 0, type: EntryType.EntryNormal, data: enc(ctx) }],
    }),
  );
}
