// A whole raft cluster in one process, driven by a seeded schedule of events: ticks,
// message deliveries (lost, duplicated, reordered, blocked by partitions), Ready
// processing, proposals, reads, conf changes, leadership transfers, compactions, crashes
// that lose unsynced writes, and restarts. The checker runs after every step; then a
// quiet phase without faults must elect a leader and commit within a bound.
import { decodeMessage, encodeMessage } from "../codec.js";
import { type AnyConfChange, confChangeOfEntry } from "../conf_change.js";
import { ErrProposalDropped, ErrStepPeerNotFound, RaftError } from "../errors.js";
import { messageTypeName, StateType } from "../raft.js";
import { RawNode, type Ready } from "../rawnode.js";
import { ReadOnlyOption } from "../read_only.js";
import type { MemoryStorage } from "../storage.js";
import {
  ConfChangeTransition,
  ConfChangeType,
  type ConfState,
  EMPTY_BYTES,
  EntryType,
  emptyConfState,
  type Message,
  MessageType,
  type NodeId,
  type Snapshot,
} from "../types.js";
import { Checker, chainHash, entryKey, type NodeWatch, Violation } from "./checker.js";
import { SimDisk } from "./disk.js";
import { MAX_IN_FLIGHT, SimNetwork } from "./network.js";
import { Prng } from "./prng.js";
import { Trace } from "./trace.js";

export interface SimOptions {
  seed: number;
  nodes: 3 | 5;
  steps: number;
  /** Keep every trace line (for --trace / --trace-out); otherwise only the last few hundred. */
  fullTrace: boolean;
}

/** Raft settings a seed draws (so that many combinations get covered). */
interface RaftKnobs {
  electionTick: number;
  heartbeatTick: number;
  preVote: boolean;
  checkQuorum: boolean;
  readOnlyOption: ReadOnlyOption;
  maxSizePerMsg: number;
  maxInflightMsgs: number;
  maxUncommittedEntriesSize: number;
}

/** The application on one node: what it applied. Durable (like LMDB with the applied index). */
interface AppState {
  appliedIndex: number;
  chain: number;
  confState: ConfState;
}

class SimNode {
  up = true;
  rawNode: RawNode | null = null;
  storage: MemoryStorage | null = null;
  readonly disk = new SimDisk();
  app: AppState = { appliedIndex: 0, chain: 0, confState: emptyConfState() };
  watch: NodeWatch;
  incarnation = 0;
  /** A Ready persisted and sent but not yet applied and advanced. */
  pending: Ready | null = null;

  constructor(
    readonly id: NodeId,
    checker: Checker,
  ) {
    this.watch = checker.newWatch(id, 0, 0);
  }

  get rn(): RawNode {
    return this.rawNode!;
  }
}

export interface SimResult {
  seed: number;
  ok: boolean;
  failure: string | null;
  steps: number;
  traceHash: string;
  trace: Trace;
  summary: string;
  /** Ticks the quiet phase took to elect a leader and commit (when it did). */
  livenessTicks: number;
  stats: Record<string, number>;
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function encodeAppState(index: number, chain: number): Uint8Array {
  return enc(`${index}:${chain}`);
}

function decodeAppState(b: Uint8Array): { index: number; chain: number } {
  const [i, c] = new TextDecoder().decode(b).split(":");
  return { index: Number(i), chain: Number(c) };
}

/** Liveness bound of the quiet phase, in election timeouts. */
export const LIVENESS_ELECTION_TIMEOUTS = 100;

export class SimCluster {
  readonly prng: Prng;
  readonly net: SimNetwork;
  readonly checker = new Checker();
  readonly trace: Trace;
  readonly nodes: SimNode[] = [];
  readonly knobs: RaftKnobs;
  private proposalSeq = 0;
  private readSeq = 0;
  /** Proposals waiting for their answer at the node they were made on: key -> node. */
  private readonly pendingProposals = new Map<string, NodeId>();
  /** Reads in flight: ctx -> highest acknowledged index when issued. */
  private readonly pendingReads = new Map<string, number>();
  private step = 0;
  private readonly voterCount: number;
  /** What happened, for summaries: counts per kind of event. */
  readonly stats = {
    delivered: 0,
    lost: 0,
    leaders: 0,
    crashes: 0,
    snapshotsSent: 0,
    snapshotsRestored: 0,
    confChanges: 0,
    reads: 0,
    acked: 0,
    transfers: 0,
    /** Fault-phase steps during which some node was leader. */
    ledSteps: 0,
  };
  private reorderRate: number;
  /** Fault phase only: crash a node now and then right after an unsynced write. */
  private crashAfterUnsynced = true;

  constructor(readonly opts: SimOptions) {
    this.prng = new Prng(opts.seed);
    this.net = new SimNetwork(this.prng.fork());
    this.trace = new Trace(opts.fullTrace);
    this.voterCount = opts.nodes;
    const p = this.prng;
    const checkQuorum = p.chance(0.6);
    this.knobs = {
      electionTick: p.pick([5, 8, 10]),
      heartbeatTick: p.pick([1, 2, 3]),
      preVote: p.chance(0.6),
      checkQuorum,
      readOnlyOption: checkQuorum && p.chance(0.25) ? ReadOnlyOption.LeaseBased : ReadOnlyOption.Safe,
      maxSizePerMsg: p.pick([0, 0, 64, 256, 1024 * 1024]),
      maxInflightMsgs: p.pick([1, 2, 4, 256]),
      maxUncommittedEntriesSize: p.pick([0, 0, 64]),
    };
    this.reorderRate = p.pick([0, 0.1, 0.3]);
    // N voters plus two spares that may be added later.
    for (let i = 1; i <= opts.nodes + 2; i++) {
      const n = new SimNode(BigInt(i), this.checker);
      this.nodes.push(n);
      n.storage = n.disk.load();
      n.rawNode = this.newRawNode(n, 0);
      if (i <= opts.nodes) n.rn.bootstrap(this.founders());
    }
    this.trace.add(
      `seed ${opts.seed}: ${opts.nodes} voters + 2 spares, ${JSON.stringify({ ...this.knobs, reorderRate: this.reorderRate })}`,
    );
  }

  private founders(): { id: NodeId }[] {
    const peers = [];
    for (let i = 1; i <= this.voterCount; i++) peers.push({ id: BigInt(i) });
    return peers;
  }

  private newRawNode(n: SimNode, applied: number): RawNode {
    const p = this.prng.fork();
    return new RawNode({
      id: n.id,
      storage: n.storage!,
      applied,
      ...this.knobs,
      stepDownOnRemoval: true,
      random: (k) => p.int(k),
    });
  }

  node(id: NodeId): SimNode | undefined {
    return this.nodes[Number(id) - 1];
  }

  private upNodes(): SimNode[] {
    return this.nodes.filter((n) => n.up);
  }

  leader(): SimNode | undefined {
    let best: SimNode | undefined;
    for (const n of this.nodes) {
      if (!n.up || n.rn.raft.state !== StateType.StateLeader) continue;
      if (best === undefined || n.rn.raft.term > best.rn.raft.term) best = n;
    }
    return best;
  }

  // ---- the node's application loop

  /** Handles one Ready as the server will: persist (fsync if asked), send, apply, advance. */
  processReady(n: SimNode): void {
    if (n.pending === null) this.beginReady(n);
    if (n.up && n.pending !== null) this.finishReady(n);
  }

  /**
   * Takes a Ready, persists it and sends its messages. The rest (apply, advance) may
   * come later, with other events in between, as in a server that awaits its fsync.
   */
  private beginReady(n: SimNode): void {
    const rn = n.rn;
    const rd = rn.ready();
    n.pending = rd;
    const storage = n.storage!;
    this.trace.add(
      `${this.step} ready ${n.id}:${rd.hardState ? ` hs=${rd.hardState.term}/${rd.hardState.vote}/${rd.hardState.commit}` : ""}${rd.entries.length ? ` ents=${rd.entries[0]!.index}..${rd.entries[rd.entries.length - 1]!.index}@${rd.entries[rd.entries.length - 1]!.term}` : ""}${rd.snapshot ? ` snap=${rd.snapshot.metadata.index}` : ""}${rd.committedEntries.length ? ` apply=${rd.committedEntries[0]!.index}..${rd.committedEntries[rd.committedEntries.length - 1]!.index}` : ""} msgs=${rd.messages.length}${rd.mustSync ? " sync" : ""}`,
    );
    // 1. persist
    if (rd.snapshot !== null) {
      storage.applySnapshot(rd.snapshot);
      n.disk.write({ kind: "snapshot", snapshot: rd.snapshot });
    }
    if (rd.entries.length > 0) {
      this.checker.checkPersist(
        n.id,
        rd.entries,
        (i) => termOrUnknown(storage, i),
        rn.raft.raftLog.committed,
      );
      storage.append(rd.entries);
      n.disk.write({ kind: "entries", entries: rd.entries });
    }
    if (rd.hardState !== null) {
      storage.setHardState(rd.hardState);
      n.disk.write({ kind: "hardState", hardState: rd.hardState });
    }
    if (rd.mustSync) n.disk.fsync();
    // 2. send
    for (const m of rd.messages) this.send(n, m);
    // Power cuts strike right after writes that were not synced: the window in which a
    // durability bug (a vote or entry not fsynced before it is relied on) shows.
    if (n.disk.unsyncedWrites() > 0 && this.crashAfterUnsynced && this.prng.chance(0.08) && this.canCrash()) {
      this.crash(n);
    }
  }

  /** Applies the pending Ready (snapshot, committed entries, reads) and advances. */
  private finishReady(n: SimNode): void {
    const rn = n.rn;
    const rd = n.pending!;
    n.pending = null;
    // 3. apply
    if (rd.snapshot !== null) this.applySnapshot(n, rd.snapshot);
    for (const e of rd.committedEntries) {
      const key = entryKey(e);
      const chain = chainHash(n.app.chain, key);
      this.checker.checkApply(n.id, e.index, n.app.appliedIndex, key, chain);
      const cc = confChangeOfEntry(e);
      let confState = n.app.confState;
      if (cc !== null) {
        confState = rn.applyConfChange(cc);
        this.stats.confChanges++;
        this.trace.add(`${this.step} ${n.id} applied conf change at ${e.index}: ${describeCs(confState)}`);
      }
      n.app = { appliedIndex: e.index, chain, confState };
      if (e.type === EntryType.EntryNormal && this.pendingProposals.get(key) === n.id) {
        this.pendingProposals.delete(key);
        this.checker.ack(e.index, key);
        this.stats.acked++;
      }
    }
    for (const rs of rd.readStates) {
      const ctx = new TextDecoder().decode(rs.requestCtx);
      const before = this.pendingReads.get(ctx);
      this.pendingReads.delete(ctx);
      this.trace.add(`${this.step} ${n.id} read ${ctx} at index ${rs.index}`);
      this.stats.reads++;
      if (before !== undefined && this.knobs.readOnlyOption === ReadOnlyOption.Safe) {
        this.checker.checkRead(n.id, rs.index, before);
      }
    }
    rn.advance();
    // A leader that just moved its commit index loses contact at once, dropping what it
    // has in flight: if it counted the wrong entries as committed, the next leader may
    // not have them.
    if (
      rd.hardState !== null &&
      rn.raft.state === StateType.StateLeader &&
      this.crashAfterUnsynced &&
      this.prng.chance(0.05)
    ) {
      this.net.partition(
        [n.id],
        this.nodes.filter((x) => x !== n).map((x) => x.id),
      );
      this.trace.add(`${this.step} isolate leader ${n.id} right after commit ${rd.hardState.commit}`);
    }
  }

  private canCrash(): boolean {
    let down = 0;
    for (const n of this.nodes) if (!n.up) down++;
    return down < Math.ceil(this.voterCount / 2);
  }

  private applySnapshot(n: SimNode, snap: Snapshot): void {
    const { index, chain } = decodeAppState(snap.data);
    this.checker.checkSnapshotApplied(n.id, snap, index, chain, n.app.appliedIndex);
    this.stats.snapshotsRestored++;
    n.app = { appliedIndex: index, chain, confState: snap.metadata.confState };
    this.trace.add(
      `${this.step} ${n.id} restored snapshot ${index}/${snap.metadata.term} ${describeCs(snap.metadata.confState)}`,
    );
  }

  /**
   * Sends a message. Like etcd's server, a snapshot message is filled in from the
   * application's current state (so it includes every applied conf change).
   */
  private send(from: SimNode, m: Message): void {
    let out = m;
    if (m.type === MessageType.MsgSnap) {
      const a = from.app;
      const term = from.rn.raft.raftLog.term(a.appliedIndex);
      const snapshot: Snapshot = {
        data: encodeAppState(a.appliedIndex, a.chain),
        metadata: { index: a.appliedIndex, term, confState: a.confState },
      };
      out = { ...m, snapshot };
      this.stats.snapshotsSent++;
    }
    const copies = this.net.send(out);
    if (copies === 0) this.lost(out);
    while (this.net.inFlight() > MAX_IN_FLIGHT) this.lost(this.net.dropOldest()!.m);
  }

  /** A message the network lost; the transport tells the sender about snapshots. */
  private lost(m: Message): void {
    this.stats.lost++;
    this.trace.add(`${this.step} lost ${describeBrief(m)}`);
    const from = this.node(m.from);
    if (m.type === MessageType.MsgSnap && from?.up) from.rn.reportSnapshot(m.to, "failure");
  }

  /** Delivers one message (or drops it if the path is blocked or the receiver is down). */
  private deliver(m: Message): void {
    const to = this.node(m.to);
    const from = this.node(m.from);
    const blocked = to === undefined || !to.up || !this.net.canDeliver(m.from, m.to);
    if (blocked) {
      this.trace.add(`${this.step} drop ${describeBrief(m)}`);
      if (from?.up) {
        if (m.type === MessageType.MsgSnap) from.rn.reportSnapshot(m.to, "failure");
        else if (this.prng.chance(0.5)) from.rn.reportUnreachable(m.to);
      }
      return;
    }
    this.trace.add(`${this.step} deliver ${describeBrief(m)}`);
    this.stats.delivered++;
    try {
      // Over the wire in etcd's encoding: nothing is shared between nodes but bytes.
      to.rn.step(decodeMessage(encodeMessage(m)));
    } catch (e) {
      if (!(e instanceof ErrStepPeerNotFound || e instanceof ErrProposalDropped)) throw e;
      this.trace.add(`${this.step} ${to.id} refused: ${(e as Error).message}`);
    }
    if (m.type === MessageType.MsgSnap && from?.up) from.rn.reportSnapshot(m.to, "finish");
  }

  // ---- faults and client actions

  private propose(n: SimNode): void {
    const key = `p${this.proposalSeq++}`;
    try {
      n.rn.propose(enc(key));
      this.pendingProposals.set(`${EntryType.EntryNormal}:${key}`, n.id);
      this.trace.add(`${this.step} propose ${key} at ${n.id}`);
    } catch (e) {
      if (!(e instanceof ErrProposalDropped)) throw e;
      this.trace.add(`${this.step} propose ${key} at ${n.id}: dropped`);
    }
  }

  private readIndex(n: SimNode): void {
    const ctx = `r${this.readSeq++}`;
    this.pendingReads.set(ctx, this.checker.maxAckedIndex);
    n.rn.readIndex(enc(ctx));
    this.trace.add(`${this.step} read-index ${ctx} at ${n.id}`);
  }

  private randomConfChange(n: SimNode): AnyConfChange {
    const p = this.prng;
    const cs = n.rn.raft.prs.confState();
    const all = this.nodes.map((x) => x.id);
    if (cs.votersOutgoing.length > 0 && p.chance(0.7)) {
      return { transition: ConfChangeTransition.ConfChangeTransitionAuto, changes: [], context: EMPTY_BYTES };
    }
    const one = (id: NodeId): { type: ConfChangeType; nodeId: NodeId } => {
      const isVoter = cs.voters.includes(id);
      const isLearner = cs.learners.includes(id);
      let type: ConfChangeType;
      if (isVoter)
        type = p.chance(0.6) ? ConfChangeType.ConfChangeRemoveNode : ConfChangeType.ConfChangeAddLearnerNode;
      else if (isLearner)
        type = p.chance(0.7) ? ConfChangeType.ConfChangeAddNode : ConfChangeType.ConfChangeRemoveNode;
      else type = p.chance(0.5) ? ConfChangeType.ConfChangeAddNode : ConfChangeType.ConfChangeAddLearnerNode;
      return { type, nodeId: id };
    };
    // Mostly leave the leader alone, as operators should (transfer leadership first): a
    // removed leader has to hand over, which a crash can interrupt for good.
    const leader = this.leader()?.id;
    const candidates = leader !== undefined && p.chance(0.9) ? all.filter((id) => id !== leader) : all;
    if (p.chance(0.5)) {
      const c = one(p.pick(candidates));
      if (p.chance(0.5)) return { ...c, context: EMPTY_BYTES, id: 0n };
      return {
        transition: ConfChangeTransition.ConfChangeTransitionAuto,
        changes: [c],
        context: EMPTY_BYTES,
      };
    }
    const count = 2 + p.int(2);
    const ids = new Set<NodeId>();
    while (ids.size < count) ids.add(p.pick(candidates));
    return {
      transition: p.pick([
        ConfChangeTransition.ConfChangeTransitionAuto,
        ConfChangeTransition.ConfChangeTransitionJointImplicit,
        ConfChangeTransition.ConfChangeTransitionJointExplicit,
      ]),
      changes: [...ids].map(one),
      context: EMPTY_BYTES,
    };
  }

  private proposeConfChange(n: SimNode): void {
    const cc = this.randomConfChange(n);
    try {
      n.rn.proposeConfChange(cc);
      this.trace.add(
        `${this.step} propose conf change at ${n.id}: ${JSON.stringify(cc, (_k, v) => (typeof v === "bigint" ? Number(v) : v))}`,
      );
    } catch (e) {
      if (!(e instanceof ErrProposalDropped)) throw e;
      this.trace.add(`${this.step} conf change at ${n.id}: dropped`);
    }
  }

  /** The application snapshots its state at the applied index and compacts the log. */
  private compact(n: SimNode): void {
    const storage = n.storage!;
    const a = n.app;
    if (a.appliedIndex <= storage.snapshot().metadata.index) return;
    const data = encodeAppState(a.appliedIndex, a.chain);
    storage.createSnapshot(a.appliedIndex, a.confState, data);
    n.disk.saveSnapshot(a.appliedIndex, a.confState, data);
    const keep = this.prng.int(4);
    const to = a.appliedIndex - keep;
    if (to > storage.firstIndex() - 1) storage.compact(to);
    this.trace.add(`${this.step} ${n.id} snapshot at ${a.appliedIndex}, compacted to ${to}`);
  }

  crash(n: SimNode): void {
    this.stats.crashes++;
    n.up = false;
    n.pending = null;
    const lost = n.disk.crash(this.prng);
    n.rawNode = null;
    n.storage = null;
    this.trace.add(`${this.step} crash ${n.id} (lost ${lost} unsynced writes)`);
  }

  restart(n: SimNode): void {
    n.storage = n.disk.load();
    // A snapshot persisted but not yet applied when the node crashed: restore the state
    // machine from it first (as etcd restores its backend from the snapshot file).
    const snap = n.storage.snapshot();
    if (snap.metadata.index > n.app.appliedIndex) this.applySnapshot(n, snap);
    // The state machine survived with its applied index and configuration.
    n.storage.setConfState(n.app.confState);
    n.rawNode = this.newRawNode(n, n.app.appliedIndex);
    // A founding member that crashed before its bootstrap was durable starts over, as
    // etcd does when it finds no WAL.
    if (Number(n.id) <= this.voterCount && n.storage.lastIndex() === 0 && n.app.appliedIndex === 0) {
      n.rn.bootstrap(this.founders());
      this.trace.add(`${this.step} ${n.id} bootstraps again`);
    }
    n.up = true;
    n.incarnation++;
    n.watch = this.checker.newWatch(n.id, n.rn.raft.raftLog.committed, n.rn.raft.raftLog.applied);
    this.trace.add(
      `${this.step} restart ${n.id} (term ${n.rn.raft.term}, commit ${n.rn.raft.raftLog.committed}, applied ${n.app.appliedIndex})`,
    );
  }

  private tickAll(drift: boolean): void {
    for (const n of this.nodes) {
      if (n.up && (!drift || this.prng.chance(0.9))) n.rn.tick();
    }
  }

  /** Runs the invariants that look at every node's state. */
  private checkAll(): void {
    let led = false;
    for (const n of this.nodes) {
      if (!n.up) continue;
      const r = n.rn.raft;
      if (r.state === StateType.StateLeader) led = true;
      if (this.checker.checkLeader(r, n.storage!.hardStateView())) this.stats.leaders++;
      this.checker.checkCommit(n.watch, r, n.storage!.hardStateView().commit);
    }
    if (led) this.stats.ledSteps++;
  }

  /** One random event of the fault phase. */
  private randomStep(): void {
    const p = this.prng;
    const up = this.upNodes();
    const roll = p.int(1000);
    const canCrash = up.length > 0 && this.canCrash();
    if (roll < 400) {
      const f = this.net.take(this.reorderRate);
      if (f !== undefined) this.deliver(f.m);
      else this.tickAll(true);
    } else if (roll < 680) {
      // A node either finishes the Ready it is working on or takes a new one (and
      // sometimes finishes it at once).
      const ready = up.filter((n) => n.pending !== null || n.rn.hasReady());
      if (ready.length > 0) {
        const n = p.pick(ready);
        if (n.pending !== null) this.finishReady(n);
        else {
          this.beginReady(n);
          if (n.up && p.chance(0.5)) this.finishReady(n);
        }
      }
    } else if (roll < 750) {
      this.tickAll(true);
      this.trace.add(`${this.step} tick`);
    } else if (roll < 880) {
      // Clients mostly find the leader; the rest go through followers.
      const l = this.leader();
      const to = l !== undefined && p.chance(0.6) ? l : up.length > 0 ? p.pick(up) : undefined;
      if (to !== undefined) this.propose(to);
    } else if (roll < 900) {
      if (up.length > 0) this.readIndex(p.pick(up));
    } else if (roll < 915) {
      const l = this.leader() ?? (up.length > 0 ? p.pick(up) : undefined);
      if (l !== undefined) this.proposeConfChange(l);
    } else if (roll < 922) {
      const l = this.leader();
      if (l !== undefined) {
        const to = p.pick(l.rn.raft.prs.voterNodes());
        l.rn.transferLeader(to);
        this.stats.transfers++;
        this.trace.add(`${this.step} transfer leadership ${l.id} -> ${to}`);
      }
    } else if (roll < 937) {
      if (up.length > 0) this.compact(p.pick(up));
    } else if (roll < 940) {
      if (canCrash) this.crash(p.pick(up));
    } else if (roll < 944) {
      // Leaders crash too, often with entries only some followers have.
      const l = this.leader();
      if (l !== undefined && canCrash) this.crash(l);
    } else if (roll < 954) {
      // A crash while writes are still unsynced: the window where they get lost.
      const unsynced = up.filter((n) => n.disk.unsyncedWrites() > 0);
      if (unsynced.length > 0 && canCrash) this.crash(p.pick(unsynced));
    } else if (roll < 980) {
      const down = this.nodes.filter((n) => !n.up);
      if (down.length > 0) this.restart(p.pick(down));
    } else if (roll < 985) {
      this.changeWeather();
    } else if (roll < 988) {
      // Cut the leader off: it keeps taking proposals it cannot commit.
      const l = this.leader();
      if (l !== undefined) {
        this.net.partition(
          [l.id],
          this.nodes.filter((n) => n !== l).map((n) => n.id),
        );
        this.trace.add(`${this.step} isolate leader ${l.id}`);
      }
    } else {
      this.net.heal();
      this.trace.add(`${this.step} heal`);
    }
  }

  /** Calm (healed, little loss) or stormy (partitions, loss, duplication) for a while. */
  private changeWeather(): void {
    const p = this.prng;
    this.net.heal();
    if (p.chance(0.55)) {
      this.net.lossRate = 0;
      this.net.dupRate = p.pick([0, 0.02]);
      this.trace.add(`${this.step} weather: calm (dup=${this.net.dupRate})`);
      return;
    }
    this.net.lossRate = p.pick([0, 0.02, 0.1]);
    this.net.dupRate = p.pick([0, 0.02, 0.1]);
    this.trace.add(`${this.step} weather: stormy (loss=${this.net.lossRate} dup=${this.net.dupRate})`);
    const cuts = p.int(3);
    for (let i = 0; i < cuts; i++) this.partition();
  }

  private partition(): void {
    const p = this.prng;
    const ids = this.nodes.map((n) => n.id);
    if (p.chance(0.6)) {
      const a = ids.filter(() => p.chance(0.5));
      const b = ids.filter((id) => !a.includes(id));
      this.net.partition(a, b);
      this.trace.add(`${this.step} partition [${a.join(" ")}] | [${b.join(" ")}]`);
    } else {
      const from = p.pick(ids);
      const to = p.pick(ids);
      if (from !== to) this.net.cutOneWay(from, to);
      this.trace.add(`${this.step} cut ${from} -> ${to}`);
    }
  }

  // ---- the quiet phase

  /** Everything delivered and every Ready handled, until nothing moves. */
  private settle(): void {
    for (let round = 0; round < 1000; round++) {
      let moved = false;
      for (const n of this.nodes) {
        if (!n.up) continue;
        if (n.pending !== null) this.finishReady(n);
        while (n.up && n.rn.hasReady()) {
          this.processReady(n);
          moved = true;
        }
      }
      for (const f of this.net.takeAll()) {
        this.deliver(f.m);
        moved = true;
      }
      this.checkAll();
      if (!moved) return;
    }
    throw new Violation("liveness", "messages kept flowing without settling");
  }

  /**
   * Faults stop: heal the network, restart members, stop non-members. Then a leader must be
   * elected and a fresh proposal applied on every voter within the bound.
   */
  private quietPhase(): number {
    this.net.heal();
    this.net.lossRate = 0;
    this.net.dupRate = 0;
    this.reorderRate = 0;
    this.crashAfterUnsynced = false;
    this.trace.add(`${this.step} === quiet phase ===`);
    const bound = LIVENESS_ELECTION_TIMEOUTS * this.knobs.electionTick;
    // The liveness proposal; proposed again (under a new key) if it gets lost.
    const attempts: string[] = [];
    let lastAttempt = Number.NEGATIVE_INFINITY;
    let applied = false;
    for (let t = 0; t <= bound; t++) {
      this.step++;
      for (const n of this.nodes) if (!n.up) this.restart(n);
      this.settle();
      const l = this.leader();
      if (l !== undefined) {
        const r = l.rn.raft;
        const lcs = r.prs.confState();
        if (lcs.votersOutgoing.length > 0 && !lcs.autoLeave && r.pendingConfIndex <= r.raftLog.applied) {
          try {
            l.rn.proposeConfChange({
              transition: ConfChangeTransition.ConfChangeTransitionAuto,
              changes: [],
              context: EMPTY_BYTES,
            });
            this.trace.add(`${this.step} leave joint config at ${l.id}`);
          } catch (e) {
            if (!(e instanceof ErrProposalDropped)) throw e;
          }
        }
        applied ||= attempts.some((k) => !this.pendingProposals.has(k));
        if (!applied && t - lastAttempt >= 2 * this.knobs.electionTick) {
          const key = `live${this.opts.seed}.${attempts.length}`;
          try {
            l.rn.propose(enc(key));
            const k = `${EntryType.EntryNormal}:${key}`;
            this.pendingProposals.set(k, l.id);
            attempts.push(k);
            lastAttempt = t;
            this.trace.add(`${this.step} propose ${key} at ${l.id}`);
          } catch (e) {
            if (!(e instanceof ErrProposalDropped)) throw e;
          }
        }
        this.settle();
        applied ||= attempts.some((k) => !this.pendingProposals.has(k));
        if (applied) {
          // Committed and answered: now every voter must have applied as far as the leader.
          const target = l.app.appliedIndex;
          const behind = r.prs.voterNodes().filter((id) => {
            const v = this.node(id);
            return v === undefined || !v.up || v.app.appliedIndex < target;
          });
          if (behind.length === 0) {
            this.checker.checkAcked(l.app.appliedIndex);
            return t;
          }
        }
      }
      this.tickAll(false);
    }
    const states = this.nodes
      .map((n) =>
        n.up
          ? `${n.id}:${["F", "C", "L", "P"][n.rn.raft.state]}t${n.rn.raft.term}c${n.rn.raft.raftLog.committed}a${n.app.appliedIndex}`
          : `${n.id}:down`,
      )
      .join(" ");
    throw new Violation(
      "liveness",
      `no leader committing within ${bound} ticks after faults stopped (${states})`,
    );
  }

  /** Runs the whole seed. */
  run(): SimResult {
    let failure: string | null = null;
    let livenessTicks = -1;
    try {
      for (this.step = 1; this.step <= this.opts.steps; this.step++) {
        this.randomStep();
        this.checkAll();
      }
      livenessTicks = this.quietPhase();
    } catch (e) {
      if (e instanceof Violation) failure = e.message;
      else if (e instanceof RaftError || e instanceof Error)
        failure = `raft threw at step ${this.step}: ${e.stack ?? e.message}`;
      else failure = String(e);
      this.trace.add(`${this.step} FAILED: ${failure}`);
    }
    return {
      seed: this.opts.seed,
      ok: failure === null,
      failure,
      steps: this.step,
      traceHash: this.trace.hash(),
      trace: this.trace,
      summary: `nodes=${this.opts.nodes} ${JSON.stringify(this.knobs)}`,
      livenessTicks,
      stats: { ...this.stats, committed: this.checker.maxCommitted },
    };
  }
}

function termOrUnknown(storage: MemoryStorage, i: number): number {
  try {
    return storage.term(i);
  } catch {
    return -1;
  }
}

function describeCs(cs: ConfState): string {
  let s = `voters=[${cs.voters.join(" ")}]`;
  if (cs.votersOutgoing.length > 0) s += `&&[${cs.votersOutgoing.join(" ")}]`;
  if (cs.learners.length > 0) s += ` learners=[${cs.learners.join(" ")}]`;
  if (cs.learnersNext.length > 0) s += ` next=[${cs.learnersNext.join(" ")}]`;
  if (cs.autoLeave) s += " auto";
  return s;
}

function describeBrief(m: Message): string {
  let s = `${m.from}->${m.to} ${messageTypeName(m.type)} t${m.term}`;
  if (m.type === MessageType.MsgApp || m.type === MessageType.MsgVote || m.type === MessageType.MsgPreVote) {
    s += ` log=${m.logTerm}/${m.index}`;
  } else if (m.type === MessageType.MsgAppResp) {
    s += ` i=${m.index}`;
  }
  if (m.commit !== 0) s += ` c=${m.commit}`;
  if (m.entries.length > 0) s += ` e=${m.entries[0]!.index}..${m.entries[m.entries.length - 1]!.index}`;
  if (m.reject) s += ` reject(hint ${m.rejectHint})`;
  if (m.snapshot !== null) s += ` snap=${m.snapshot.metadata.index}/${m.snapshot.metadata.term}`;
  return s;
}
