// The raft state machine: one node's view of the protocol. Roles are swapped step and tick
// functions (follower, candidate/pre-candidate, leader). It does no I/O: it reads its
// stable log from Storage and leaves messages, entries and read states for RawNode to
// hand out in a Ready.
import assert from "node:assert/strict";
import { asV2, confChangeOfEntry, enterJoint, leaveJoint } from "./conf_change.js";
import { type ChangeResult, Changer, restoreConfState } from "./confchange/index.js";
import { type Config, type ResolvedConfig, validateConfig } from "./config.js";
import {
  ErrCompacted,
  ErrProposalDropped,
  ErrSnapshotTemporarilyUnavailable,
  ErrUnavailable,
} from "./errors.js";
import { RaftLog } from "./log.js";
import { type Logger, LogLevel } from "./logger.js";
import { VoteResult } from "./quorum/index.js";
import { ReadOnly, ReadOnlyOption, type ReadState } from "./read_only.js";
import {
  describeTrackerConfig,
  type ProgressMap,
  ProgressState,
  ProgressTracker,
  type TrackerConfig,
} from "./tracker/index.js";
import {
  type ConfChangeV2,
  type ConfState,
  confStateEqual,
  EMPTY_BYTES,
  type Entry,
  EntryType,
  type HardState,
  type Message,
  MessageType,
  message,
  NONE,
  type NodeId,
  type Snapshot,
} from "./types.js";
import { payloadsSize } from "./util.js";

/** A node's role. Values are etcd's. */
export enum StateType {
  StateFollower = 0,
  StateCandidate = 1,
  StateLeader = 2,
  StatePreCandidate = 3,
}

export const stateNames = ["StateFollower", "StateCandidate", "StateLeader", "StatePreCandidate"] as const;

export function messageTypeName(t: MessageType): string {
  return MessageType[t] ?? `MessageType(${t})`;
}

/** Volatile state that the application may want to watch: who leads, and our role. */
export interface SoftState {
  lead: NodeId;
  raftState: StateType;
}

enum CampaignType {
  PreElection = "CampaignPreElection",
  Election = "CampaignElection",
  /** Forced by a leadership transfer: voters skip the leader-lease check. */
  Transfer = "CampaignTransfer",
}

const CAMPAIGN_TRANSFER_CTX = new TextEncoder().encode(CampaignType.Transfer);

function isTransferContext(ctx: Uint8Array): boolean {
  if (ctx.length !== CAMPAIGN_TRANSFER_CTX.length) return false;
  for (let i = 0; i < ctx.length; i++) if (ctx[i] !== CAMPAIGN_TRANSFER_CTX[i]) return false;
  return true;
}

function voteRespMsgType(t: MessageType): MessageType {
  if (t === MessageType.MsgVote) return MessageType.MsgVoteResp;
  if (t === MessageType.MsgPreVote) return MessageType.MsgPreVoteResp;
  throw new Error(`not a vote message: ${messageTypeName(t)}`);
}

type StepFn = (r: Raft, m: Message) => void;

export class Raft {
  readonly id: NodeId;
  term = 0;
  vote: NodeId = NONE;
  readStates: ReadState[] = [];
  readonly raftLog: RaftLog;
  readonly prs: ProgressTracker;
  state: StateType = StateType.StateFollower;
  /** Whether this node is a learner in its current configuration. */
  isLearner = false;
  /** Messages to send once the Ready they come in is persisted. */
  msgs: Message[] = [];
  lead: NodeId = NONE;
  /** The follower a leadership transfer goes to, or NONE. */
  leadTransferee: NodeId = NONE;
  /**
   * Only one conf change may be pending: this is the log index of the latest one (or of
   * the last entry at election), and new ones are refused until it is applied.
   */
  pendingConfIndex = 0;
  /** Bytes of uncommitted proposals this leader holds (MaxUncommittedEntriesSize). */
  uncommittedSize = 0;
  readOnly: ReadOnly;
  /** Ticks since the last election timeout reset (leader: since the last CheckQuorum). */
  electionElapsed = 0;
  heartbeatElapsed = 0;
  randomizedElectionTimeout = 0;
  /** ReadIndex requests held until this leader commits an entry of its own term. */
  pendingReadIndexMessages: Message[] = [];
  /** Safe reads arrived since the last heartbeat round; one round confirms them all. */
  readHeartbeatDue = false;

  /** The HardState storage held at start: what is durable, before any catch-up. */
  readonly loadedHardState: HardState;
  readonly cfg: ResolvedConfig;
  readonly logger: Logger;
  /** Whether info (debug) messages are wanted: raft builds them only then. */
  private get verbose(): boolean {
    return this.logger.level <= LogLevel.Info;
  }
  private get debugOn(): boolean {
    return this.logger.level <= LogLevel.Debug;
  }
  private tickFn: () => void;
  private stepFn: StepFn;

  constructor(config: Config) {
    const c = validateConfig(config);
    this.cfg = c;
    this.id = c.id;
    this.logger = c.logger;
    this.raftLog = new RaftLog(c.storage, c.logger, c.maxCommittedSizePerReady);
    this.prs = new ProgressTracker(c.maxInflightMsgs);
    this.readOnly = new ReadOnly(c.readOnlyOption);
    this.tickFn = () => this.tickElection();
    this.stepFn = stepFollower;

    const { hardState, confState } = c.storage.initialState();
    this.loadedHardState = hardState;
    const restored = restoreConfState(confState, this.raftLog.lastIndex(), c.maxInflightMsgs);
    assertConfStatesEquivalent(confState, this.switchToConfig(restored.config, restored.progress));
    if (hardState.term !== 0 || hardState.vote !== NONE || hardState.commit !== 0) this.loadState(hardState);
    if (c.applied > 0) {
      if (c.applied < this.raftLog.applied) {
        assert.fail(
          `applied(${c.applied}) is below the snapshot index(${this.raftLog.applied}): restore the state machine from the snapshot first`,
        );
      }
      // Applied entries are committed: if the commit index on disk lags (it is written
      // without fsync when nothing else changes), catch it up rather than re-apply.
      if (c.applied > this.raftLog.committed) {
        if (c.applied > this.raftLog.lastIndex()) {
          assert.fail(
            `applied(${c.applied}) is beyond the last index(${this.raftLog.lastIndex()}): entries were applied before they were persisted`,
          );
        }
        this.raftLog.commitTo(c.applied);
      }
      this.raftLog.appliedTo(c.applied);
    }
    this.becomeFollower(this.term, NONE);

    if (this.verbose) {
      this.logger.info(
        `newRaft ${this.id} [peers: [${this.prs.voterNodes().join(",")}], term: ${this.term}, commit: ${this.raftLog.committed}, applied: ${this.raftLog.applied}, lastindex: ${this.raftLog.lastIndex()}, lastterm: ${this.raftLog.lastTerm()}]`,
      );
    }
  }

  hasLeader(): boolean {
    return this.lead !== NONE;
  }

  softState(): SoftState {
    return { lead: this.lead, raftState: this.state };
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.raftLog.committed };
  }

  // ---- sending

  /** Queues m for sending, stamping our ID and (for most types) our term. */
  send(m: Message): void {
    if (m.from === NONE) m.from = this.id;
    const t = m.type;
    if (
      t === MessageType.MsgVote ||
      t === MessageType.MsgVoteResp ||
      t === MessageType.MsgPreVote ||
      t === MessageType.MsgPreVoteResp
    ) {
      // Campaign messages carry the term they are about, which is not always ours.
      if (m.term === 0) assert.fail(`term should be set when sending ${messageTypeName(t)}`);
    } else {
      if (m.term !== 0) {
        assert.fail(`term should not be set when sending ${messageTypeName(t)} (was ${m.term})`);
      }
      // Proposals and read requests forwarded to the leader are local messages: no term.
      if (t !== MessageType.MsgProp && t !== MessageType.MsgReadIndex) m.term = this.term;
    }
    this.msgs.push(m);
  }

  sendAppend(to: NodeId): void {
    this.maybeSendAppend(to, true);
  }

  /**
   * Sends a MsgApp (or a MsgSnap if the entries are compacted) to `to` according to its
   * progress. Returns whether a message went out; with sendIfEmpty=false an empty MsgApp
   * is not worth sending.
   */
  maybeSendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.prs.progress.get(to);
    if (pr === undefined || pr.isPaused()) return false;
    let term = 0;
    let ents: Entry[] = [];
    let compacted = false;
    try {
      term = this.raftLog.term(pr.next - 1);
      ents = this.raftLog.entries(pr.next, this.cfg.maxSizePerMsg);
    } catch (e) {
      if (!(e instanceof ErrCompacted || e instanceof ErrUnavailable)) throw e;
      compacted = true;
    }
    if (!compacted && ents.length === 0 && !sendIfEmpty) return false;

    if (compacted) {
      // The follower needs entries we no longer have: send a snapshot.
      if (!pr.recentActive) {
        if (this.debugOn)
          this.logger.debug(`ignore sending snapshot to ${to} since it is not recently active`);
        return false;
      }
      let snapshot: Snapshot;
      try {
        snapshot = this.raftLog.snapshot();
      } catch (e) {
        if (e instanceof ErrSnapshotTemporarilyUnavailable) {
          if (this.debugOn)
            this.logger.debug(
              `${this.id} failed to send snapshot to ${to} because snapshot is temporarily unavailable`,
            );
          return false;
        }
        throw e;
      }
      assert.ok(snapshot.metadata.index !== 0, "need non-empty snapshot");
      const { index, term: sterm } = snapshot.metadata;
      if (this.debugOn) {
        this.logger.debug(
          `${this.id} [firstindex: ${this.raftLog.firstIndex()}, commit: ${this.raftLog.committed}] sent snapshot[index: ${index}, term: ${sterm}] to ${to} [${pr}]`,
        );
      }
      pr.becomeSnapshot(index);
      if (this.debugOn) this.logger.debug(`${this.id} paused sending replication messages to ${to} [${pr}]`);
      this.send(message({ type: MessageType.MsgSnap, to, snapshot }));
      return true;
    }

    const m = message({
      type: MessageType.MsgApp,
      to,
      index: pr.next - 1,
      logTerm: term,
      entries: ents,
      commit: this.raftLog.committed,
    });
    const n = ents.length;
    switch (pr.state) {
      case ProgressState.StateReplicate:
        if (n > 0) {
          const last = ents[n - 1]!.index;
          pr.optimisticUpdate(last);
          pr.inflights.add(last);
        }
        break;
      case ProgressState.StateProbe:
        // One message per probe: wait for the answer (or a heartbeat response).
        pr.probeSent = true;
        break;
      default:
        assert.fail(`${this.id} is sending append in unhandled state ${pr.state}`);
    }
    this.send(m);
    return true;
  }

  sendHeartbeat(to: NodeId, ctx: Uint8Array): void {
    // The follower may not have all committed entries yet: never tell it to commit past
    // what it has (it would panic).
    const pr = this.prs.progress.get(to)!;
    const commit = Math.min(pr.match, this.raftLog.committed);
    this.send(message({ type: MessageType.MsgHeartbeat, to, commit, context: ctx }));
  }

  bcastAppend(): void {
    this.prs.visit((id) => {
      if (id !== this.id) this.sendAppend(id);
    });
  }

  bcastHeartbeat(): void {
    this.bcastHeartbeatWithCtx(this.readOnly.lastPendingRequestCtx() ?? EMPTY_BYTES);
  }

  private bcastHeartbeatWithCtx(ctx: Uint8Array): void {
    this.prs.visit((id) => {
      if (id !== this.id) this.sendHeartbeat(id, ctx);
    });
  }

  /** Starts the heartbeat round that confirms the reads that arrived since the last one. */
  flushReadIndexHeartbeat(): void {
    if (!this.readHeartbeatDue) return;
    this.readHeartbeatDue = false;
    const ctx = this.readOnly.lastPendingRequestCtx();
    if (this.state === StateType.StateLeader && ctx !== null) this.bcastHeartbeatWithCtx(ctx);
  }

  /** Takes the queued messages (tests and RawNode). */
  readMessages(): Message[] {
    this.flushReadIndexHeartbeat();
    const msgs = this.msgs;
    this.msgs = [];
    return msgs;
  }

  // ---- commitment and the log

  /** Advances the commit index to what a quorum has, if that entry is of our term. */
  maybeCommit(): boolean {
    return this.raftLog.maybeCommit(this.prs.committed(), this.term);
  }

  /** The result of an applied Ready: move the cursors, free uncommitted budget, maybe leave joint. */
  advance(
    appliedIndex: number,
    committedEntries: readonly Entry[],
    lastEntry: Entry | null,
    snapshotIndex: number,
  ): void {
    if (appliedIndex > 0) {
      this.raftLog.appliedTo(appliedIndex);
      if (
        this.prs.config.autoLeave &&
        appliedIndex >= this.pendingConfIndex &&
        this.state === StateType.StateLeader
      ) {
        // The joint configuration is committed and applied: propose leaving it. An empty
        // entry weighs nothing, so the uncommitted limit cannot refuse it.
        const ent: Entry = { term: 0, index: 0, type: EntryType.EntryConfChangeV2, data: EMPTY_BYTES };
        assert.ok(this.appendEntry([ent]), "refused un-refusable auto-leaving ConfChangeV2");
        this.pendingConfIndex = this.raftLog.lastIndex();
        if (this.verbose) {
          this.logger.info(
            `initiating automatic transition out of joint configuration ${describeTrackerConfig(this.prs.config)}`,
          );
        }
        this.bcastAppend();
      }
    }
    this.reduceUncommittedSize(committedEntries);
    if (lastEntry !== null) this.raftLog.stableTo(lastEntry.index, lastEntry.term);
    if (snapshotIndex > 0) this.raftLog.stableSnapTo(snapshotIndex);
  }

  /**
   * Appends proposals to the leader's log at the current term. The leader counts its own
   * copy at once: the Ready contract has the application persist entries before sending
   * the messages (or applying the committed entries) of the same Ready, so nothing that
   * depends on this copy leaves the node before it is durable. That is what lets a
   * single voter commit its proposals in the Ready that carries them.
   */
  appendEntry(es: Entry[]): boolean {
    let li = this.raftLog.lastIndex();
    for (let i = 0; i < es.length; i++) {
      const e = es[i]!;
      e.term = this.term;
      e.index = li + 1 + i;
    }
    if (!this.increaseUncommittedSize(es)) {
      if (this.debugOn) {
        this.logger.debug(
          `${this.id} appending new entries to log would exceed uncommitted entry size limit; dropping proposal`,
        );
      }
      return false;
    }
    li = this.raftLog.append(es);
    this.prs.progress.get(this.id)?.maybeUpdate(li);
    this.maybeCommit();
    return true;
  }

  private increaseUncommittedSize(ents: readonly Entry[]): boolean {
    const s = payloadsSize(ents);
    // Always admit one proposal when nothing is outstanding, however large.
    if (this.uncommittedSize > 0 && s > 0 && this.uncommittedSize + s > this.cfg.maxUncommittedEntriesSize)
      return false;
    this.uncommittedSize += s;
    return true;
  }

  private reduceUncommittedSize(ents: readonly Entry[]): void {
    if (this.uncommittedSize === 0) return; // followers never track it
    const s = payloadsSize(ents);
    this.uncommittedSize = s > this.uncommittedSize ? 0 : this.uncommittedSize - s;
  }

  // ---- ticks

  tick(): void {
    this.tickFn();
  }

  /** Followers and candidates: campaign when the randomized election timeout passes. */
  private tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.pastElectionTimeout()) {
      this.electionElapsed = 0;
      this.step(message({ type: MessageType.MsgHup, from: this.id }));
    }
  }

  /** Leaders: heartbeat every heartbeatTick, check the quorum every electionTick. */
  private tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.cfg.electionTick) {
      this.electionElapsed = 0;
      if (this.cfg.checkQuorum) this.step(message({ type: MessageType.MsgCheckQuorum, from: this.id }));
      // A transfer that did not finish within an election timeout is abandoned.
      if (this.state === StateType.StateLeader && this.leadTransferee !== NONE) {
        if (this.verbose)
          this.logger.info(
            `${this.id} [term ${this.term}] abandoned transferring leadership to ${this.leadTransferee}: timed out`,
          );
        this.abortLeaderTransfer();
      }
      // A removed leader tries again (perhaps with another voter).
      if (this.removedWhileLeading()) this.handOverLeadership();
    }
    if (this.state !== StateType.StateLeader) return;
    if (this.heartbeatElapsed >= this.cfg.heartbeatTick) {
      this.heartbeatElapsed = 0;
      this.step(message({ type: MessageType.MsgBeat, from: this.id }));
    }
  }

  pastElectionTimeout(): boolean {
    return this.electionElapsed >= this.randomizedElectionTimeout;
  }

  resetRandomizedElectionTimeout(): void {
    const t = this.cfg.electionTick;
    const r = this.cfg.random(t);
    if (!(Number.isInteger(r) && r >= 0 && r < t)) assert.fail(`random(${t}) returned ${r}`);
    this.randomizedElectionTimeout = t + r;
  }

  // ---- roles

  private reset(term: number): void {
    if (this.term !== term) {
      this.term = term;
      this.vote = NONE;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetRandomizedElectionTimeout();
    this.abortLeaderTransfer();
    this.prs.resetVotes();
    const last = this.raftLog.lastIndex();
    this.prs.visit((id, pr) => {
      pr.becomeProbe();
      pr.recentActive = false;
      pr.match = 0;
      pr.next = last + 1;
      if (id === this.id) pr.match = last;
    });
    this.pendingConfIndex = 0;
    this.uncommittedSize = 0;
    this.readOnly = new ReadOnly(this.cfg.readOnlyOption);
    this.readHeartbeatDue = false;
  }

  becomeFollower(term: number, lead: NodeId): void {
    this.stepFn = stepFollower;
    this.reset(term);
    this.tickFn = () => this.tickElection();
    this.lead = lead;
    this.state = StateType.StateFollower;
    if (this.verbose) this.logger.info(`${this.id} became follower at term ${this.term}`);
  }

  becomeCandidate(): void {
    assert.ok(this.state !== StateType.StateLeader, "invalid transition [leader -> candidate]");
    this.stepFn = stepCandidate;
    this.reset(this.term + 1);
    this.tickFn = () => this.tickElection();
    this.vote = this.id;
    this.state = StateType.StateCandidate;
    if (this.verbose) this.logger.info(`${this.id} became candidate at term ${this.term}`);
  }

  /** A pre-candidate asks for votes for term+1 without changing its term or vote. */
  becomePreCandidate(): void {
    assert.ok(this.state !== StateType.StateLeader, "invalid transition [leader -> pre-candidate]");
    this.stepFn = stepCandidate;
    this.prs.resetVotes();
    this.tickFn = () => this.tickElection();
    this.lead = NONE;
    this.state = StateType.StatePreCandidate;
    if (this.verbose) this.logger.info(`${this.id} became pre-candidate at term ${this.term}`);
  }

  becomeLeader(): void {
    assert.ok(this.state !== StateType.StateFollower, "invalid transition [follower -> leader]");
    this.stepFn = stepLeader;
    this.reset(this.term);
    this.tickFn = () => this.tickHeartbeat();
    this.lead = this.id;
    this.state = StateType.StateLeader;
    const self = this.prs.progress.get(this.id);
    if (self !== undefined) {
      // The leader's own progress is always in replicate state and active.
      self.becomeReplicate();
      self.recentActive = true;
    }
    // Entries of older terms may hold an unapplied conf change: assume so.
    this.pendingConfIndex = this.raftLog.lastIndex();
    // An empty entry of our term, so that older entries can commit (§5.4.2); it does not
    // count against the uncommitted limit.
    const empty: Entry = { term: 0, index: 0, type: EntryType.EntryNormal, data: EMPTY_BYTES };
    assert.ok(this.appendEntry([empty]), "empty entry was dropped");
    if (this.verbose) this.logger.info(`${this.id} became leader at term ${this.term}`);
  }

  /** Whether this node may campaign: a voter, not waiting to persist a snapshot. */
  promotable(): boolean {
    const pr = this.prs.progress.get(this.id);
    return pr !== undefined && !pr.isLearner && !this.raftLog.hasPendingSnapshot();
  }

  /** Starts an election (pre-vote first if enabled) unless that would be unsafe. */
  hup(t: CampaignType): void {
    if (this.state === StateType.StateLeader) {
      if (this.debugOn) this.logger.debug(`${this.id} ignoring MsgHup because already leader`);
      return;
    }
    if (!this.promotable()) {
      this.logger.warn(`${this.id} is unpromotable and can not campaign`);
      return;
    }
    // A conf change committed but not applied could change who votes: wait for it.
    if (this.raftLog.committed > this.raftLog.applied) {
      const pending = this.raftLog
        .slice(this.raftLog.applied + 1, this.raftLog.committed + 1, Number.POSITIVE_INFINITY)
        .filter((e) => e.type === EntryType.EntryConfChange || e.type === EntryType.EntryConfChangeV2).length;
      if (pending !== 0) {
        this.logger.warn(
          `${this.id} cannot campaign at term ${this.term} since there are still ${pending} pending configuration changes to apply`,
        );
        return;
      }
    }
    if (this.verbose) this.logger.info(`${this.id} is starting a new election at term ${this.term}`);
    this.campaign(t);
  }

  campaign(t: CampaignType): void {
    if (!this.promotable()) {
      this.logger.warn(`${this.id} is unpromotable; campaign() should have been called`);
      return;
    }
    let voteMsg: MessageType;
    let term: number;
    if (t === CampaignType.PreElection) {
      this.becomePreCandidate();
      voteMsg = MessageType.MsgPreVote;
      // Pre-votes are for the term we would move to.
      term = this.term + 1;
    } else {
      this.becomeCandidate();
      voteMsg = MessageType.MsgVote;
      term = this.term;
    }
    // Our own vote first: it decides alone in a single-voter group.
    const { result } = this.poll(this.id, voteRespMsgType(voteMsg), true);
    if (result === VoteResult.VoteWon) {
      if (t === CampaignType.PreElection) this.campaign(CampaignType.Election);
      else this.becomeLeader();
      return;
    }
    const lastIndex = this.raftLog.lastIndex();
    const lastTerm = this.raftLog.lastTerm();
    for (const id of this.prs.voterNodes()) {
      if (id === this.id) continue;
      if (this.verbose) {
        this.logger.info(
          `${this.id} [logterm: ${lastTerm}, index: ${lastIndex}] sent ${messageTypeName(voteMsg)} request to ${id} at term ${this.term}`,
        );
      }
      const context = t === CampaignType.Transfer ? CAMPAIGN_TRANSFER_CTX : EMPTY_BYTES;
      this.send(message({ type: voteMsg, to: id, term, index: lastIndex, logTerm: lastTerm, context }));
    }
  }

  poll(
    id: NodeId,
    t: MessageType,
    granted: boolean,
  ): { granted: number; rejected: number; result: VoteResult } {
    if (this.verbose) {
      this.logger.info(
        granted
          ? `${this.id} received ${messageTypeName(t)} from ${id} at term ${this.term}`
          : `${this.id} received ${messageTypeName(t)} rejection from ${id} at term ${this.term}`,
      );
    }
    this.prs.recordVote(id, granted);
    return this.prs.tallyVotes();
  }

  // ---- stepping

  /** Feeds a message (from the network or a local one) into the state machine. */
  step(m: Message): void {
    if (m.term === 0) {
      // local message
    } else if (m.term > this.term) {
      if (m.type === MessageType.MsgVote || m.type === MessageType.MsgPreVote) {
        const force = isTransferContext(m.context);
        const inLease =
          this.cfg.checkQuorum && this.lead !== NONE && this.electionElapsed < this.cfg.electionTick;
        if (!force && inLease) {
          // We heard from a leader within the election timeout: do not let a node that
          // merely lost contact disrupt it (§6's disruptive servers rule).
          if (this.verbose) {
            this.logger.info(
              `${this.id} [logterm: ${this.raftLog.lastTerm()}, index: ${this.raftLog.lastIndex()}, vote: ${this.vote}] ignored ${messageTypeName(m.type)} from ${m.from} [logterm: ${m.logTerm}, index: ${m.index}] at term ${this.term}: lease is not expired (remaining ticks: ${this.cfg.electionTick - this.electionElapsed})`,
            );
          }
          return;
        }
      }
      if (m.type === MessageType.MsgPreVote) {
        // Never change our term in response to a pre-vote.
      } else if (m.type === MessageType.MsgPreVoteResp && !m.reject) {
        // A granted pre-vote carries the term we asked for; we move to it once we win.
      } else {
        if (this.verbose) {
          this.logger.info(
            `${this.id} [term: ${this.term}] received a ${messageTypeName(m.type)} message with higher term from ${m.from} [term: ${m.term}]`,
          );
        }
        if (
          m.type === MessageType.MsgApp ||
          m.type === MessageType.MsgHeartbeat ||
          m.type === MessageType.MsgSnap
        ) {
          this.becomeFollower(m.term, m.from);
        } else {
          this.becomeFollower(m.term, NONE);
        }
      }
    } else if (m.term < this.term) {
      if (m.type === MessageType.MsgHeartbeat || m.type === MessageType.MsgApp) {
        // A leader of an older term: tell it our term so that it steps down (the Raft
        // paper's rule; etcd answers only with CheckQuorum or PreVote). We may have moved
        // on while partitioned, and it may never hear of it otherwise: with CheckQuorum
        // our votes are ignored in its lease, and a candidate whose configuration is older
        // than the leader's does not even ask it.
        this.send(message({ type: MessageType.MsgAppResp, to: m.from }));
      } else if (m.type === MessageType.MsgPreVote) {
        // Reject rather than ignore, or a cluster mixing old and new terms could deadlock.
        if (this.verbose) {
          this.logger.info(
            `${this.id} [logterm: ${this.raftLog.lastTerm()}, index: ${this.raftLog.lastIndex()}, vote: ${this.vote}] rejected ${messageTypeName(m.type)} from ${m.from} [logterm: ${m.logTerm}, index: ${m.index}] at term ${this.term}`,
          );
        }
        this.send(this.voteRejection(MessageType.MsgPreVoteResp, m.from));
      } else if (this.verbose) {
        this.logger.info(
          `${this.id} [term: ${this.term}] ignored a ${messageTypeName(m.type)} message with lower term from ${m.from} [term: ${m.term}]`,
        );
      }
      return;
    }

    if (
      (m.type === MessageType.MsgVoteResp || m.type === MessageType.MsgPreVoteResp) &&
      m.reject &&
      m.commit > 0 &&
      this.state !== StateType.StateLeader
    ) {
      this.learnCommitFromRejection(m);
    }

    switch (m.type) {
      case MessageType.MsgHup:
        this.hup(this.cfg.preVote ? CampaignType.PreElection : CampaignType.Election);
        return;
      case MessageType.MsgVote:
      case MessageType.MsgPreVote: {
        // We can vote if this repeats our vote, if we have not voted and know no leader
        // in this term, or if it is a pre-vote for a future term...
        const canVote =
          this.vote === m.from ||
          (this.vote === NONE && this.lead === NONE) ||
          (m.type === MessageType.MsgPreVote && m.term > this.term);
        // ...and the candidate's log is at least as up to date as ours (§5.4.1).
        // Learners vote too: a learner may have been promoted without knowing it yet.
        if (canVote && this.raftLog.isUpToDate(m.index, m.logTerm)) {
          if (this.verbose) {
            this.logger.info(
              `${this.id} [logterm: ${this.raftLog.lastTerm()}, index: ${this.raftLog.lastIndex()}, vote: ${this.vote}] cast ${messageTypeName(m.type)} for ${m.from} [logterm: ${m.logTerm}, index: ${m.index}] at term ${this.term}`,
            );
          }
          // Answer with the message's term: for pre-votes ours is older, and the
          // candidate ignores answers from older terms.
          this.send(message({ type: voteRespMsgType(m.type), to: m.from, term: m.term }));
          if (m.type === MessageType.MsgVote) {
            this.electionElapsed = 0;
            this.vote = m.from;
          }
        } else {
          if (this.verbose) {
            this.logger.info(
              `${this.id} [logterm: ${this.raftLog.lastTerm()}, index: ${this.raftLog.lastIndex()}, vote: ${this.vote}] rejected ${messageTypeName(m.type)} from ${m.from} [logterm: ${m.logTerm}, index: ${m.index}] at term ${this.term}`,
            );
          }
          this.send(this.voteRejection(voteRespMsgType(m.type), m.from));
        }
        return;
      }
      default:
        this.stepFn(this, m);
    }
  }

  /**
   * A vote rejection. Beyond etcd's, it carries our commit index and the term there
   * (in `commit` and `logTerm`, which vote responses leave unused), see below.
   */
  private voteRejection(type: MessageType, to: NodeId): Message {
    const commit = this.raftLog.committed;
    return message({
      type,
      to,
      term: this.term,
      reject: true,
      commit,
      logTerm: this.raftLog.termOrZero(commit),
    });
  }

  /**
   * A voter that refused us told us its commit index. If our log holds the same entry
   * there, by log matching our log up to it is that committed prefix: commit it. This is
   * what lets a candidate whose configuration still counts a removed node (configurations
   * change when applied) apply the committed removal and win without it, when the removed
   * node's longer log makes it refuse every remaining candidate. etcd's raft can get stuck
   * there (after a leader is removed through joint consensus, say).
   */
  private learnCommitFromRejection(m: Message): void {
    if (m.commit > this.raftLog.committed && this.raftLog.matchTerm(m.commit, m.logTerm)) {
      if (this.verbose)
        this.logger.info(`${this.id} learned commit index ${m.commit} from ${m.from}'s vote rejection`);
      this.raftLog.commitTo(m.commit);
    }
  }

  // ---- follower handlers

  handleAppendEntries(m: Message): void {
    if (m.index < this.raftLog.committed) {
      this.send(message({ type: MessageType.MsgAppResp, to: m.from, index: this.raftLog.committed }));
      return;
    }
    const lastNew = this.raftLog.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
    if (lastNew >= 0) {
      this.send(message({ type: MessageType.MsgAppResp, to: m.from, index: lastNew }));
      return;
    }
    // Our log does not match at (m.index, m.logTerm). Hint the largest index at which it
    // might: the last entry whose term is <= m.logTerm, so the leader can skip a whole term.
    const hint = this.raftLog.findConflictByTerm(Math.min(m.index, this.raftLog.lastIndex()), m.logTerm);
    if (this.debugOn) {
      this.logger.debug(
        `${this.id} [logterm: ${this.raftLog.termOrZero(m.index)}, index: ${m.index}] rejected MsgApp [logterm: ${m.logTerm}, index: ${m.index}] from ${m.from}`,
      );
    }
    this.send(
      message({
        type: MessageType.MsgAppResp,
        to: m.from,
        index: m.index,
        reject: true,
        rejectHint: hint.index,
        logTerm: hint.term,
      }),
    );
  }

  handleHeartbeat(m: Message): void {
    this.raftLog.commitTo(m.commit);
    this.send(message({ type: MessageType.MsgHeartbeatResp, to: m.from, context: m.context }));
  }

  handleSnapshot(m: Message): void {
    const s = m.snapshot!;
    const { index, term } = s.metadata;
    if (this.restore(s)) {
      if (this.verbose) {
        this.logger.info(
          `${this.id} [commit: ${this.raftLog.committed}] restored snapshot [index: ${index}, term: ${term}]`,
        );
      }
      this.send(message({ type: MessageType.MsgAppResp, to: m.from, index: this.raftLog.lastIndex() }));
    } else {
      if (this.verbose) {
        this.logger.info(
          `${this.id} [commit: ${this.raftLog.committed}] ignored snapshot [index: ${index}, term: ${term}]`,
        );
      }
      this.send(message({ type: MessageType.MsgAppResp, to: m.from, index: this.raftLog.committed }));
    }
  }

  /** Installs a snapshot from the leader; false if it is stale or not for us. */
  restore(s: Snapshot): boolean {
    const { index, term, confState: cs } = s.metadata;
    if (index <= this.raftLog.committed) return false;
    if (this.raftLog.applying > this.raftLog.applied) {
      // The application is still applying committed entries from the last Ready, conf
      // changes among them; switching to the snapshot's configuration now would have it
      // apply those on top of it. Refuse; the leader sends the snapshot again later.
      if (this.verbose) {
        this.logger.info(
          `${this.id} deferred snapshot [index: ${index}]: entries up to ${this.raftLog.applying} are being applied`,
        );
      }
      return false;
    }
    if (this.state !== StateType.StateFollower) {
      // Only a follower gets snapshots; stepping to term+1 guarantees no leader of this
      // term misses it.
      this.logger.warn(`${this.id} attempted to restore snapshot as leader; should never happen`);
      this.becomeFollower(this.term + 1, NONE);
      return false;
    }
    // A snapshot we are not part of would remove us: refuse it (the app has bigger problems).
    const member =
      cs.voters.includes(this.id) || cs.learners.includes(this.id) || cs.votersOutgoing.includes(this.id);
    if (!member) {
      this.logger.warn(
        `${this.id} attempted to restore snapshot but it is not in the ConfState; should never happen`,
      );
      return false;
    }
    // If we already have the snapshot's last entry, just move commit forward: the log
    // after it may hold more entries we must keep.
    if (this.raftLog.matchTerm(index, term)) {
      if (this.verbose) {
        this.logger.info(
          `${this.id} [commit: ${this.raftLog.committed}, lastindex: ${this.raftLog.lastIndex()}, lastterm: ${this.raftLog.lastTerm()}] fast-forwarded commit to snapshot [index: ${index}, term: ${term}]`,
        );
      }
      this.raftLog.commitTo(index);
      return false;
    }
    this.raftLog.restore(s);
    // The configuration is the snapshot's, rebuilt from scratch.
    const restored = restoreConfState(cs, this.raftLog.lastIndex(), this.cfg.maxInflightMsgs);
    assertConfStatesEquivalent(cs, this.switchToConfig(restored.config, restored.progress));
    const pr = this.prs.progress.get(this.id)!;
    pr.maybeUpdate(pr.next - 1);
    if (this.verbose) {
      this.logger.info(
        `${this.id} [commit: ${this.raftLog.committed}, lastindex: ${this.raftLog.lastIndex()}, lastterm: ${this.raftLog.lastTerm()}] restored snapshot [index: ${index}, term: ${term}]`,
      );
    }
    return true;
  }

  // ---- configuration

  /**
   * Applies a committed conf change (the application calls this when it applies the
   * entry). The leader checked it when proposing, so a failure here is a bug.
   */
  applyConfChange(cc: ConfChangeV2): ConfState {
    const result = this.changeConfig(cc);
    return this.switchToConfig(result.config, result.progress);
  }

  /** The configuration `cc` leads to from the current one; throws ErrInvalidConfChange. */
  changeConfig(cc: ConfChangeV2): ChangeResult {
    const changer = new Changer(
      { config: this.prs.config, progress: this.prs.progress, maxInflight: this.prs.maxInflight },
      this.raftLog.lastIndex(),
    );
    if (leaveJoint(cc)) return changer.leaveJoint();
    const j = enterJoint(cc);
    if (j.joint) return changer.enterJoint(j.autoLeave, cc.changes);
    return changer.simple(cc.changes);
  }

  /** Installs a configuration and reacts to it (commit, replicate, hand over). */
  switchToConfig(config: TrackerConfig, progress: ProgressMap): ConfState {
    this.prs.setConfig(config, progress);
    if (this.verbose)
      this.logger.info(`${this.id} switched to configuration ${describeTrackerConfig(config)}`);
    const cs = this.prs.confState();
    const pr = this.prs.progress.get(this.id);
    this.isLearner = pr?.isLearner === true;
    if (this.state !== StateType.StateLeader || cs.voters.length === 0) return cs;

    // The quorum changed: something may now be committed, and new members need entries.
    if (this.maybeCommit()) {
      this.bcastAppend();
    } else {
      this.prs.visit((id) => {
        if (id !== this.id) this.maybeSendAppend(id, false);
      });
    }
    // A transfer to a node that is no longer a voter cannot finish.
    if (this.leadTransferee !== NONE && !this.prs.voterNodes().includes(this.leadTransferee)) {
      this.abortLeaderTransfer();
    }
    if (this.removedWhileLeading()) this.handOverLeadership();
    return cs;
  }

  /** Leading a configuration we are not a voter of (removed or demoted, and still leader). */
  removedWhileLeading(): boolean {
    if (this.state !== StateType.StateLeader) return false;
    const pr = this.prs.progress.get(this.id);
    return pr === undefined || pr.isLearner;
  }

  /**
   * A leader that was removed or demoted keeps leading only to hand over: it takes no
   * proposals, keeps replicating (so the remaining voters learn that the change is
   * committed and apply it; until then they may need it in their quorums), and transfers
   * leadership to the most up-to-date voter, stepping down when it sends MsgTimeoutNow.
   * Stepping down at once instead (as etcd does) can leave the
   * remaining voters unable to elect anyone: their configuration may still count this
   * node, whose log is longer than theirs.
   */
  private handOverLeadership(): void {
    if (!this.cfg.stepDownOnRemoval || this.leadTransferee !== NONE) return;
    let best: NodeId = NONE;
    let bestMatch = -1;
    for (const id of this.prs.voterNodes()) {
      const pr = this.prs.progress.get(id)!;
      if (id !== this.id && pr.match > bestMatch) {
        best = id;
        bestMatch = pr.match;
      }
    }
    if (best === NONE) return;
    if (this.verbose) this.logger.info(`${this.id} is no longer a voter; handing leadership over to ${best}`);
    this.step(message({ type: MessageType.MsgTransferLeader, from: best }));
  }

  loadState(hs: HardState): void {
    if (hs.commit > this.raftLog.lastIndex()) {
      assert.fail(
        `${this.id} state.commit ${hs.commit} is out of range [${this.raftLog.committed}, ${this.raftLog.lastIndex()}]`,
      );
    }
    // A snapshot holds only committed entries: a commit index on disk below it merely
    // lags (it is written without fsync when nothing else changes).
    if (hs.commit > this.raftLog.committed) this.raftLog.committed = hs.commit;
    this.term = hs.term;
    this.vote = hs.vote;
  }

  abortLeaderTransfer(): void {
    this.leadTransferee = NONE;
  }

  sendTimeoutNow(to: NodeId): void {
    this.send(message({ type: MessageType.MsgTimeoutNow, to }));
    // A removed leader's job is done once an up-to-date voter is told to take over.
    if (this.cfg.stepDownOnRemoval && this.removedWhileLeading()) {
      if (this.verbose) this.logger.info(`${this.id} handed leadership over to ${to}; stepping down`);
      this.becomeFollower(this.term, NONE);
    }
  }

  /** Followers: stop trusting the current leader (lets a vote through the lease check). */
  forgetLeader(): void {
    if (this.state !== StateType.StateFollower) return;
    if (this.cfg.readOnlyOption === ReadOnlyOption.LeaseBased) {
      this.logger.error("ignoring forgetLeader due to ReadOnlyLeaseBased");
      return;
    }
    if (this.lead !== NONE) {
      if (this.verbose) this.logger.info(`${this.id} forgetting leader ${this.lead} at term ${this.term}`);
      this.lead = NONE;
    }
  }

  committedEntryInCurrentTerm(): boolean {
    return this.raftLog.termOrZero(this.raftLog.committed) === this.term;
  }

  /** The answer to a read request at `readIndex`: a local ReadState or a message to the asker. */
  responseToReadIndexReq(req: Message, readIndex: number): Message | null {
    if (req.from === NONE || req.from === this.id) {
      this.readStates.push({ index: readIndex, requestCtx: req.entries[0]!.data });
      return null;
    }
    return message({
      type: MessageType.MsgReadIndexResp,
      to: req.from,
      index: readIndex,
      entries: req.entries,
    });
  }

  sendReadIndexResponse(m: Message): void {
    if (this.readOnly.option === ReadOnlyOption.Safe) {
      this.readOnly.addRequest(this.raftLog.committed, m);
      // Our own ack; the heartbeat round (one per batch of reads) collects the others.
      this.readOnly.recvAck(this.id, m.entries[0]!.data);
      this.readHeartbeatDue = true;
      return;
    }
    const resp = this.responseToReadIndexReq(m, this.raftLog.committed);
    if (resp !== null) this.send(resp);
  }

  releasePendingReadIndexMessages(): void {
    if (this.pendingReadIndexMessages.length === 0) return;
    if (!this.committedEntryInCurrentTerm()) {
      this.logger.error("pending MsgReadIndex should be released only after first commit in current term");
      return;
    }
    const msgs = this.pendingReadIndexMessages;
    this.pendingReadIndexMessages = [];
    for (const m of msgs) this.sendReadIndexResponse(m);
  }

  /** Whether a conf change proposal must be refused, and why (etcd's checks plus validation). */
  refuseConfChange(cc: ConfChangeV2): string | null {
    const alreadyPending = this.pendingConfIndex > this.raftLog.applied;
    const alreadyJoint = this.prs.isJoint();
    const wantsLeaveJoint = cc.changes.length === 0;
    if (alreadyPending) {
      return `possible unapplied conf change at index ${this.pendingConfIndex} (applied to ${this.raftLog.applied})`;
    }
    if (alreadyJoint && !wantsLeaveJoint) return "must transition out of joint config first";
    if (!alreadyJoint && wantsLeaveJoint) return "not in joint state; refusing empty conf change";
    // Nothing is pending, so the change will apply to exactly this configuration: check
    // it now rather than fail on every node when it is applied.
    try {
      this.changeConfig(cc);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    return null;
  }
}

// ---- step functions, one per role

function stepLeader(r: Raft, m: Message): void {
  switch (m.type) {
    case MessageType.MsgBeat:
      r.bcastHeartbeat();
      return;
    case MessageType.MsgCheckQuorum: {
      const self = r.prs.progress.get(r.id);
      if (self !== undefined) self.recentActive = true;
      if (!r.prs.quorumActive()) {
        r.logger.warn(`${r.id} stepped down to follower since quorum is not active`);
        r.becomeFollower(r.term, NONE);
      }
      // Start a fresh round of activity tracking.
      r.prs.visit((id, pr) => {
        if (id !== r.id) pr.recentActive = false;
      });
      return;
    }
    case MessageType.MsgProp: {
      if (m.entries.length === 0) assert.fail(`${r.id} stepped empty MsgProp`);
      if (!r.prs.progress.has(r.id)) {
        // Removed from the configuration while leading: do not take proposals.
        throw new ErrProposalDropped();
      }
      if (r.leadTransferee !== NONE) {
        if (r.logger.level <= LogLevel.Debug) {
          r.logger.debug(
            `${r.id} [term ${r.term}] transfer leadership to ${r.leadTransferee} is in progress; dropping proposal`,
          );
        }
        throw new ErrProposalDropped();
      }
      const ents = m.entries.map((e) => ({ term: 0, index: 0, type: e.type, data: e.data }));
      for (let i = 0; i < ents.length; i++) {
        const e = ents[i]!;
        const cc = confChangeOfEntry(e);
        if (cc === null) continue;
        const refused = r.refuseConfChange(asV2(cc));
        if (refused !== null) {
          r.logger.info(
            `${r.id} ignoring conf change at config ${describeTrackerConfig(r.prs.config)}: ${refused}`,
          );
          ents[i] = { term: 0, index: 0, type: EntryType.EntryNormal, data: EMPTY_BYTES };
        } else {
          r.pendingConfIndex = r.raftLog.lastIndex() + i + 1;
        }
      }
      if (!r.appendEntry(ents)) throw new ErrProposalDropped();
      r.bcastAppend();
      return;
    }
    case MessageType.MsgReadIndex:
      // When we are the only voter, our commit index is always current: no round needed.
      // (Not so for a removed leader whose configuration is another single voter.)
      if (r.prs.isSingleton() && r.prs.config.voters.incoming.has(r.id)) {
        const resp = r.responseToReadIndexReq(m, r.raftLog.committed);
        if (resp !== null) r.send(resp);
        return;
      }
      // Until we commit an entry of our term we may not know the latest commit index.
      if (!r.committedEntryInCurrentTerm()) {
        r.pendingReadIndexMessages.push(m);
        return;
      }
      r.sendReadIndexResponse(m);
      return;
    default:
      break;
  }

  const pr = r.prs.progress.get(m.from);
  if (pr === undefined) {
    if (r.logger.level <= LogLevel.Debug) r.logger.debug(`${r.id} no progress available for ${m.from}`);
    return;
  }
  switch (m.type) {
    case MessageType.MsgAppResp: {
      pr.recentActive = true;
      if (m.reject) {
        // The follower's log does not match at m.index. Its hint (the last index whose
        // term is <= the term we sent) lets us skip past a whole conflicting term, and
        // our own log may let us skip further (§5.3's optimization).
        let nextProbeIdx = m.rejectHint;
        if (m.logTerm > 0) nextProbeIdx = r.raftLog.findConflictByTerm(m.rejectHint, m.logTerm).index;
        if (pr.maybeDecrTo(m.index, nextProbeIdx)) {
          if (r.logger.level <= LogLevel.Debug)
            r.logger.debug(`${r.id} decreased progress of ${m.from} to [${pr}]`);
          if (pr.state === ProgressState.StateReplicate) pr.becomeProbe();
          r.sendAppend(m.from);
        }
        return;
      }
      const oldPaused = pr.isPaused();
      if (!pr.maybeUpdate(m.index)) return;
      if (pr.state === ProgressState.StateProbe) {
        pr.becomeReplicate();
      } else if (pr.state === ProgressState.StateSnapshot && pr.match + 1 >= r.raftLog.firstIndex()) {
        // The follower caught up past what the log still has (the snapshot landed, or
        // the log did): replicate from here.
        if (r.logger.level <= LogLevel.Debug) {
          r.logger.debug(
            `${r.id} recovered from needing snapshot, resumed sending replication messages to ${m.from} [${pr}]`,
          );
        }
        pr.becomeProbe();
        pr.becomeReplicate();
      } else if (pr.state === ProgressState.StateReplicate) {
        pr.inflights.freeLE(m.index);
      }
      if (r.maybeCommit()) {
        r.releasePendingReadIndexMessages();
        r.bcastAppend();
      } else if (oldPaused) {
        // It was paused and may have missed a commit index update.
        r.sendAppend(m.from);
      }
      // Keep the pipeline full.
      while (r.maybeSendAppend(m.from, false)) {
        // sends until paused or caught up
      }
      if (m.from === r.leadTransferee && pr.match === r.raftLog.lastIndex()) {
        if (r.logger.level <= LogLevel.Info)
          r.logger.info(`${r.id} sent MsgTimeoutNow to ${m.from} after received MsgAppResp`);
        r.sendTimeoutNow(m.from);
      }
      return;
    }
    case MessageType.MsgHeartbeatResp: {
      pr.recentActive = true;
      pr.probeSent = false;
      // The follower is alive: let one more message through a full window.
      if (pr.state === ProgressState.StateReplicate && pr.inflights.full()) pr.inflights.freeFirstOne();
      if (pr.match < r.raftLog.lastIndex()) r.sendAppend(m.from);
      if (r.readOnly.option !== ReadOnlyOption.Safe || m.context.length === 0) return;
      const acks = r.readOnly.recvAck(m.from, m.context);
      if (acks === null) return;
      if (r.prs.voteResult(acks) !== VoteResult.VoteWon) return;
      for (const rs of r.readOnly.advance(m.context)) {
        const resp = r.responseToReadIndexReq(rs.req, rs.index);
        if (resp !== null) r.send(resp);
      }
      return;
    }
    case MessageType.MsgSnapStatus:
      if (pr.state !== ProgressState.StateSnapshot) return;
      if (m.reject) {
        // The snapshot did not arrive: forget it and probe again.
        pr.pendingSnapshot = 0;
      }
      pr.becomeProbe();
      if (r.logger.level <= LogLevel.Debug) {
        r.logger.debug(
          `${r.id} snapshot ${m.reject ? "failed" : "succeeded"}, resumed sending replication messages to ${m.from} [${pr}]`,
        );
      }
      // Wait for a MsgAppResp (or heartbeat response) before probing: the snapshot may
      // still be on its way to being applied.
      pr.probeSent = true;
      return;
    case MessageType.MsgUnreachable:
      // Optimistic streaming probably lost messages: probe again.
      if (pr.state === ProgressState.StateReplicate) pr.becomeProbe();
      if (r.logger.level <= LogLevel.Debug) {
        r.logger.debug(`${r.id} failed to send message to ${m.from} because it is unreachable [${pr}]`);
      }
      return;
    case MessageType.MsgTransferLeader: {
      if (pr.isLearner) {
        if (r.logger.level <= LogLevel.Debug)
          r.logger.debug(`${r.id} is learner. Ignored transferring leadership`);
        return;
      }
      const transferee = m.from;
      const last = r.leadTransferee;
      if (last !== NONE) {
        if (last === transferee) {
          r.logger.info(
            `${r.id} [term ${r.term}] transfer leadership to ${transferee} is in progress, ignores request to same node ${transferee}`,
          );
          return;
        }
        r.abortLeaderTransfer();
        r.logger.info(`${r.id} [term ${r.term}] abort previous transferring leadership to ${last}`);
      }
      if (transferee === r.id) {
        if (r.logger.level <= LogLevel.Debug)
          r.logger.debug(`${r.id} is already leader. Ignored transferring leadership to self`);
        return;
      }
      r.logger.info(`${r.id} [term ${r.term}] starts to transfer leadership to ${transferee}`);
      // The transfer must finish within one election timeout.
      r.electionElapsed = 0;
      r.leadTransferee = transferee;
      if (pr.match === r.raftLog.lastIndex()) {
        r.sendTimeoutNow(transferee);
        r.logger.info(
          `${r.id} sends MsgTimeoutNow to ${transferee} immediately as ${transferee} already has up-to-date log`,
        );
      } else {
        r.sendAppend(transferee);
      }
      return;
    }
    default:
      return;
  }
}

function stepCandidate(r: Raft, m: Message): void {
  // Only answers to our kind of campaign count: a pre-candidate ignores vote answers.
  const myVoteRespType =
    r.state === StateType.StatePreCandidate ? MessageType.MsgPreVoteResp : MessageType.MsgVoteResp;
  switch (m.type) {
    case MessageType.MsgProp:
      r.logger.info(`${r.id} no leader at term ${r.term}; dropping proposal`);
      throw new ErrProposalDropped();
    case MessageType.MsgApp:
      r.becomeFollower(m.term, m.from); // m.term === r.term: a leader won this term
      r.handleAppendEntries(m);
      return;
    case MessageType.MsgHeartbeat:
      r.becomeFollower(m.term, m.from);
      r.handleHeartbeat(m);
      return;
    case MessageType.MsgSnap:
      r.becomeFollower(m.term, m.from);
      r.handleSnapshot(m);
      return;
    case myVoteRespType: {
      const { granted, rejected, result } = r.poll(m.from, m.type, !m.reject);
      if (r.logger.level <= LogLevel.Info) {
        r.logger.info(
          `${r.id} has received ${granted} ${messageTypeName(m.type)} votes and ${rejected} vote rejections`,
        );
      }
      if (result === VoteResult.VoteWon) {
        if (r.state === StateType.StatePreCandidate) {
          r.campaign(CampaignType.Election);
        } else {
          r.becomeLeader();
          r.bcastAppend();
        }
      } else if (result === VoteResult.VoteLost) {
        // A pre-vote rejection may come with a higher term; move to it (§ pre-vote).
        r.becomeFollower(r.term, NONE);
      }
      return;
    }
    case MessageType.MsgTimeoutNow:
      if (r.logger.level <= LogLevel.Debug) {
        r.logger.debug(
          `${r.id} [term ${r.term} state ${stateNames[r.state]}] ignored MsgTimeoutNow from ${m.from}`,
        );
      }
      return;
    default:
      return;
  }
}

function stepFollower(r: Raft, m: Message): void {
  switch (m.type) {
    case MessageType.MsgProp:
      if (r.lead === NONE) {
        r.logger.info(`${r.id} no leader at term ${r.term}; dropping proposal`);
        throw new ErrProposalDropped();
      }
      if (r.cfg.disableProposalForwarding) {
        r.logger.info(`${r.id} not forwarding to leader ${r.lead} at term ${r.term}; dropping proposal`);
        throw new ErrProposalDropped();
      }
      r.send({ ...m, to: r.lead });
      return;
    case MessageType.MsgApp:
      r.electionElapsed = 0;
      r.lead = m.from;
      r.handleAppendEntries(m);
      return;
    case MessageType.MsgHeartbeat:
      r.electionElapsed = 0;
      r.lead = m.from;
      r.handleHeartbeat(m);
      return;
    case MessageType.MsgSnap:
      r.electionElapsed = 0;
      r.lead = m.from;
      r.handleSnapshot(m);
      return;
    case MessageType.MsgTransferLeader:
      if (r.lead === NONE) {
        r.logger.info(`${r.id} no leader at term ${r.term}; dropping leader transfer msg`);
        return;
      }
      r.send({ ...m, to: r.lead });
      return;
    case MessageType.MsgTimeoutNow:
      // The leader hands over: campaign at once, skipping pre-vote (the leader is
      // cooperating, so there is no one to disrupt).
      r.logger.info(
        `${r.id} [term ${r.term}] received MsgTimeoutNow from ${m.from} and starts an election to get leadership.`,
      );
      r.hup(CampaignTransfer);
      return;
    case MessageType.MsgReadIndex:
      if (r.lead === NONE) {
        r.logger.info(`${r.id} no leader at term ${r.term}; dropping index reading msg`);
        return;
      }
      r.send({ ...m, to: r.lead });
      return;
    case MessageType.MsgReadIndexResp:
      if (m.entries.length !== 1) {
        r.logger.error(
          `${r.id} invalid format of MsgReadIndexResp from ${m.from}, entries count: ${m.entries.length}`,
        );
        return;
      }
      r.readStates.push({ index: m.index, requestCtx: m.entries[0]!.data });
      return;
    default:
      return;
  }
}

const CampaignTransfer = CampaignType.Transfer;

/** Whether the configuration we built equals the ConfState we were given (a bug otherwise). */
function assertConfStatesEquivalent(a: ConfState, b: ConfState): void {
  if (!confStateEqual(a, b))
    assert.fail(`ConfStates not equivalent after sorting: ${JSON.stringify([a, b], bigintJson)}`);
}

function bigintJson(_k: string, v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}
