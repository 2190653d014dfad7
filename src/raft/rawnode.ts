// RawNode: the application's handle on a raft node. The application drives it from one
// loop: tick it, step it with messages from peers, propose, and whenever hasReady(),
// take a Ready, persist / send / apply what it says, and call advance().
import assert from "node:assert/strict";
import { type AnyConfChange, asV2, marshalConfChange } from "./conf_change.js";
import type { Config } from "./config.js";
import { ErrStepLocalMsg, ErrStepPeerNotFound, RaftError } from "./errors.js";
import { Raft, type SoftState } from "./raft.js";
import type { ReadState } from "./read_only.js";
import { type BasicStatus, basicStatusOf, type Status, statusOf } from "./status.js";
import {
  type ConfChange,
  ConfChangeType,
  type ConfState,
  EMPTY_BYTES,
  type Entry,
  EntryType,
  emptyHardState,
  type HardState,
  isLocalMessage,
  isResponseMessage,
  type Message,
  MessageType,
  message,
  NONE,
  type NodeId,
  type Snapshot,
} from "./types.js";

/**
 * One batch of work. The contract, in order:
 * 1. Persist `snapshot` (if any), then `entries` (appending, replacing any conflicting
 *    suffix), then `hardState` (if any); fsync if `mustSync`.
 * 2. Only then send `messages` (they may promise what step 1 made durable: votes, acks).
 * 3. Apply `snapshot` (if any) and then `committedEntries` to the state machine, calling
 *    applyConfChange() for conf change entries; serve `readStates` once applied >= index.
 * 4. Call advance().
 */
export interface Ready {
  /** Leader and role, when they changed since the last Ready; null otherwise. */
  softState: SoftState | null;
  /** Term, vote and commit to persist, when they changed; null otherwise. */
  hardState: HardState | null;
  /** Linearizable reads that completed: serve each once applied >= its index. */
  readStates: ReadState[];
  /** Entries to append to stable storage before sending messages. */
  entries: Entry[];
  /** A snapshot to persist and apply, or null. */
  snapshot: Snapshot | null;
  /** Committed entries to apply, in order; all were persisted by this or an earlier Ready. */
  committedEntries: Entry[];
  /** Messages to send once entries, snapshot and hardState are durable. */
  messages: Message[];
  /** Whether entries or the term/vote changed, so the write must be fsynced. */
  mustSync: boolean;
}

export type SnapshotStatus = "finish" | "failure";

export interface Peer {
  id: NodeId;
  context?: Uint8Array;
}

export class RawNode {
  /** The state machine; exposed for tests and the simulator, not for applications. */
  readonly raft: Raft;
  private prevSoftLead: NodeId;
  private prevSoftState: number;
  private prevHardState: HardState;
  private outstanding: Ready | null = null;

  constructor(config: Config) {
    this.raft = new Raft(config);
    this.prevSoftLead = this.raft.lead;
    this.prevSoftState = this.raft.state;
    // What storage holds: if raft caught its commit index up on start, the next Ready
    // carries the new HardState to persist.
    this.prevHardState = this.raft.loadedHardState;
  }

  /**
   * Starts a brand-new cluster on empty storage: the log begins with one ConfChangeAddNode
   * per peer, committed, and the configuration already includes them (the application
   * sees the entries in the first Ready and applies them as usual).
   */
  bootstrap(peers: readonly Peer[]): void {
    if (peers.length === 0) throw new RaftError("must provide at least one peer to Bootstrap");
    if (this.raft.raftLog.storage.lastIndex() !== 0)
      throw new RaftError("can't bootstrap a nonempty Storage");
    // Nothing of this is persisted yet: the first Ready carries the HardState too.
    this.prevHardState = emptyHardState();
    this.raft.becomeFollower(1, NONE);
    const ents: Entry[] = peers.map((p, i) => {
      const cc: ConfChange = {
        type: ConfChangeType.ConfChangeAddNode,
        nodeId: p.id,
        context: p.context ?? EMPTY_BYTES,
        id: 0n,
      };
      return { term: 1, index: i + 1, ...marshalConfChange(cc) };
    });
    this.raft.raftLog.append(ents);
    // Committed without a quorum's say: there is no one else yet.
    this.raft.raftLog.committed = ents.length;
    for (const p of peers) {
      this.raft.applyConfChange(
        asV2({ type: ConfChangeType.ConfChangeAddNode, nodeId: p.id, context: EMPTY_BYTES, id: 0n }),
      );
    }
  }

  /** Advances the logical clock by one tick (election and heartbeat timeouts count ticks). */
  tick(): void {
    this.raft.tick();
  }

  /** Like tick() but never fires an election or heartbeat (for quiesced groups). */
  tickQuiesced(): void {
    this.raft.electionElapsed++;
  }

  /** Campaigns for leadership now (pre-vote first if enabled). */
  campaign(): void {
    this.raft.step(message({ type: MessageType.MsgHup }));
  }

  /** Proposes data be appended to the log; throws ErrProposalDropped if it cannot be. */
  propose(data: Uint8Array): void {
    this.raft.step(
      message({
        type: MessageType.MsgProp,
        from: this.raft.id,
        entries: [{ term: 0, index: 0, type: EntryType.EntryNormal, data }],
      }),
    );
  }

  /** Proposes a configuration change (ConfChange or ConfChangeV2). */
  proposeConfChange(cc: AnyConfChange): void {
    const { type, data } = marshalConfChange(cc);
    this.raft.step(
      message({
        type: MessageType.MsgProp,
        from: this.raft.id,
        entries: [{ term: 0, index: 0, type, data }],
      }),
    );
  }

  /** Applies a committed conf change entry's change; returns the new configuration. */
  applyConfChange(cc: AnyConfChange): ConfState {
    return this.raft.applyConfChange(asV2(cc));
  }

  /** Feeds a message from a peer. */
  step(m: Message): void {
    if (isLocalMessage(m.type)) throw new ErrStepLocalMsg();
    if (isResponseMessage(m.type) && !this.raft.prs.progress.has(m.from)) throw new ErrStepPeerNotFound();
    this.raft.step(m);
  }

  /**
   * Asks for a linearizable read point; the answer arrives as a ReadState with the same
   * `ctx` (which must be unique) in a later Ready. Reads arriving between two Readys
   * share one heartbeat round.
   */
  readIndex(ctx: Uint8Array): void {
    this.raft.step(
      message({
        type: MessageType.MsgReadIndex,
        entries: [{ term: 0, index: 0, type: EntryType.EntryNormal, data: ctx }],
      }),
    );
  }

  /** Asks the leader to hand leadership to `transferee`. */
  transferLeader(transferee: NodeId): void {
    this.raft.step(message({ type: MessageType.MsgTransferLeader, from: transferee }));
  }

  /** Stop trusting the current leader (followers only; not with lease-based reads). */
  forgetLeader(): void {
    this.raft.forgetLeader();
  }

  /** The transport could not deliver to `id`: the leader stops streaming to it and probes. */
  reportUnreachable(id: NodeId): void {
    this.raft.step(message({ type: MessageType.MsgUnreachable, from: id }));
  }

  /** How sending a snapshot to `id` ended. */
  reportSnapshot(id: NodeId, status: SnapshotStatus): void {
    this.raft.step(message({ type: MessageType.MsgSnapStatus, from: id, reject: status === "failure" }));
  }

  /** Whether ready() would return anything. Call advance() for the previous Ready first. */
  hasReady(): boolean {
    assert.ok(this.outstanding === null, "hasReady() called before advance() of the previous Ready");
    const r = this.raft;
    if (r.lead !== this.prevSoftLead || r.state !== this.prevSoftState) return true;
    const hs = this.prevHardState;
    if (r.term !== hs.term || r.vote !== hs.vote || r.raftLog.committed !== hs.commit) return true;
    if (r.raftLog.hasPendingSnapshot()) return true;
    if (r.msgs.length > 0 || r.raftLog.unstable.length() > 0 || r.raftLog.hasNextEnts()) return true;
    if (r.readStates.length > 0 || r.readHeartbeatDue) return true;
    return false;
  }

  /** The current batch of work; call advance() once it is handled. */
  ready(): Ready {
    assert.ok(this.outstanding === null, "ready() called before advance() of the previous Ready");
    const r = this.raft;
    r.flushReadIndexHeartbeat();
    const softChanged = r.lead !== this.prevSoftLead || r.state !== this.prevSoftState;
    const prev = this.prevHardState;
    const hardChanged = r.term !== prev.term || r.vote !== prev.vote || r.raftLog.committed !== prev.commit;
    const entries = r.raftLog.unstableEntries();
    const snapshot = r.raftLog.hasPendingSnapshot() ? r.raftLog.unstable.snapshot : null;
    const rd: Ready = {
      softState: softChanged ? r.softState() : null,
      hardState: hardChanged ? r.hardState() : null,
      readStates: r.readStates,
      entries,
      snapshot,
      committedEntries: r.raftLog.nextEnts(),
      messages: r.msgs,
      mustSync: entries.length > 0 || snapshot !== null || r.term !== prev.term || r.vote !== prev.vote,
    };
    r.msgs = [];
    r.readStates = [];
    const ce = rd.committedEntries;
    if (ce.length > 0) r.raftLog.applying = ce[ce.length - 1]!.index;
    if (softChanged) {
      this.prevSoftLead = r.lead;
      this.prevSoftState = r.state;
    }
    this.outstanding = rd;
    return rd;
  }

  /** The last Ready was persisted, sent and applied. */
  advance(): void {
    const rd = this.outstanding;
    assert.ok(rd !== null, "advance() without a Ready");
    this.outstanding = null;
    if (rd.hardState !== null) this.prevHardState = rd.hardState;
    const ce = rd.committedEntries;
    let applied = 0;
    if (ce.length > 0) applied = ce[ce.length - 1]!.index;
    else if (rd.snapshot !== null) applied = rd.snapshot.metadata.index;
    const last = rd.entries.length > 0 ? rd.entries[rd.entries.length - 1]! : null;
    this.raft.advance(applied, ce, last, rd.snapshot === null ? 0 : rd.snapshot.metadata.index);
  }

  status(): Status {
    return statusOf(this.raft);
  }

  basicStatus(): BasicStatus {
    return basicStatusOf(this.raft);
  }
}
