// An interaction environment in the style of etcd's rafttest: RawNodes on MemoryStorage,
// driven step by step (campaign, propose, process a Ready, deliver messages, tick,
// partition, crash and restart), printing a transcript. The scenario tests script it; the
// unit tests use it directly.
import assert from "node:assert/strict";
import { type AnyConfChange, confChangeOfEntry } from "../conf_change.js";
import type { Config } from "../config.js";
import {
  describeConfState,
  describeEntries,
  describeHardState,
  describeMessage,
  describeReady,
  describeSnapshot,
} from "../describe.js";
import { RaftError } from "../errors.js";
import { type Logger, LogLevel } from "../logger.js";
import { StateType, stateNames } from "../raft.js";
import { RawNode } from "../rawnode.js";
import { Prng } from "../sim/prng.js";
import { MemoryStorage } from "../storage.js";
import { describeTrackerConfig } from "../tracker/index.js";
import {
  type ConfState,
  type Entry,
  EntryType,
  emptyConfState,
  type Message,
  type MessageType,
  type NodeId,
  type Snapshot,
} from "../types.js";

/**
 * Storage whose snapshot() is the application's current state (applied index and
 * configuration), as etcd's server and etcd's own interaction tests provide: a follower
 * that needs a snapshot gets a fresh one, which includes every applied conf change.
 */
export class EnvStorage extends MemoryStorage {
  current: (() => Snapshot | null) | null = null;

  override snapshot(): Snapshot {
    const stored = super.snapshot();
    const fresh = this.current?.() ?? null;
    return fresh !== null && fresh.metadata.index > stored.metadata.index ? fresh : stored;
  }
}

export interface EnvNode {
  id: NodeId;
  rawNode: RawNode;
  storage: EnvStorage;
  /** Applied normal entries' data, in order (the "state machine"). */
  applied: Entry[];
  /** The application's applied index and the configuration as of it. */
  appliedIndex: number;
  confState: ConfState;
  /** Snapshots this node created or received. */
  history: Snapshot[];
  /** The config the node was created with (reused on restart). */
  config: Omit<Config, "storage" | "logger" | "random" | "id">;
  /** Whether the node's process is down (messages to it are dropped). */
  down: boolean;
}

export interface AddNodesOptions {
  voters?: NodeId[];
  learners?: NodeId[];
  /** Start from a snapshot at this index (with the given voters/learners) instead of empty. */
  index?: number;
  config?: Partial<Omit<Config, "storage" | "logger" | "random" | "id">>;
}

const defaultConfig = {
  electionTick: 3,
  heartbeatTick: 1,
  maxSizePerMsg: Number.POSITIVE_INFINITY,
  maxInflightMsgs: Number.MAX_SAFE_INTEGER,
};

export class InteractionEnv {
  readonly nodes: EnvNode[] = [];
  /** Messages sent and not yet delivered, in order. */
  messages: Message[] = [];
  private out: string[] = [];
  private indent = "";
  level: LogLevel = LogLevel.Info;
  /** Pairs (from->to) whose messages are dropped on delivery. */
  private readonly cut = new Set<string>();
  private readonly prng = new Prng(1);
  readonly logger: Logger;

  constructor() {
    const self = this;
    this.logger = {
      get level() {
        return self.level;
      },
      debug: (m) => this.log(LogLevel.Debug, "DEBUG", m),
      info: (m) => this.log(LogLevel.Info, "INFO", m),
      warn: (m) => this.log(LogLevel.Warn, "WARN", m),
      error: (m) => this.log(LogLevel.Error, "ERROR", m),
    };
  }

  private log(l: LogLevel, name: string, msg: string): void {
    if (l >= this.level) this.write(`${name} ${msg}`);
  }

  /** Adds to the transcript (nothing at log level Silent: set-up steps stay quiet). */
  write(line: string): void {
    if (this.level === LogLevel.Silent) return;
    for (const l of line.split("\n")) this.out.push(this.indent + l);
  }

  /** The transcript since the last call. */
  takeOutput(): string {
    const s = this.out.join("\n");
    this.out = [];
    return s;
  }

  node(id: number | NodeId): EnvNode {
    const n = this.nodes.find((x) => x.id === BigInt(id));
    assert.ok(n !== undefined, `no node ${id}`);
    return n;
  }

  private newRawNode(n: Omit<EnvNode, "rawNode">, applied: number): RawNode {
    const p = this.prng.fork();
    return new RawNode({
      ...n.config,
      id: n.id,
      storage: n.storage,
      logger: this.logger,
      applied,
      random: (k) => p.int(k),
    });
  }

  /** Adds `count` nodes with the next IDs. */
  addNodes(count: number, opts: AddNodesOptions = {}): void {
    for (let i = 0; i < count; i++) {
      const id = BigInt(this.nodes.length + 1);
      const storage = new EnvStorage();
      const cs: ConfState = { ...emptyConfState(), voters: opts.voters ?? [], learners: opts.learners ?? [] };
      let applied = 0;
      if (opts.index !== undefined && opts.index > 0) {
        storage.applySnapshot({
          data: new Uint8Array(0),
          metadata: { index: opts.index, term: 1, confState: cs },
        });
        storage.setHardState({ term: 0, vote: 0n, commit: opts.index });
        applied = opts.index;
      } else if (cs.voters.length > 0 || cs.learners.length > 0) {
        storage.setConfState(cs);
      }
      const config = { ...defaultConfig, ...opts.config };
      const partial = {
        id,
        storage,
        applied: [],
        history: [],
        config,
        down: false,
        appliedIndex: applied,
        confState: cs,
      };
      const rawNode = this.newRawNode(partial, applied);
      const node: EnvNode = { ...partial, rawNode };
      this.nodes.push(node);
      storage.current = () => {
        const index = node.appliedIndex;
        if (index === 0) return null;
        const term = node.rawNode.raft.raftLog.term(index);
        return { data: new Uint8Array(0), metadata: { index, term, confState: node.confState } };
      };
    }
  }

  /** Runs f, printing the error a dropped proposal (or other raft error) throws. */
  private guard(f: () => void): void {
    try {
      f();
    } catch (e) {
      if (e instanceof RaftError) this.write(`error: ${e.message}`);
      else throw e;
    }
  }

  campaign(id: number | NodeId): void {
    this.guard(() => this.node(id).rawNode.campaign());
  }

  propose(id: number | NodeId, data: string): void {
    this.guard(() => this.node(id).rawNode.propose(new TextEncoder().encode(data)));
  }

  proposeConfChange(id: number | NodeId, cc: AnyConfChange): void {
    this.guard(() => this.node(id).rawNode.proposeConfChange(cc));
  }

  readIndex(id: number | NodeId, ctx: string): void {
    this.guard(() => this.node(id).rawNode.readIndex(new TextEncoder().encode(ctx)));
  }

  transferLeader(id: number | NodeId, to: number | NodeId): void {
    this.guard(() => this.node(id).rawNode.transferLeader(BigInt(to)));
  }

  tick(id: number | NodeId, n = 1): void {
    const node = this.node(id);
    for (let i = 0; i < n; i++) node.rawNode.tick();
  }

  tickElection(id: number | NodeId): void {
    this.tick(id, this.node(id).rawNode.raft.randomizedElectionTimeout);
  }

  tickHeartbeat(id: number | NodeId): void {
    this.tick(id, this.node(id).config.heartbeatTick);
  }

  /** Handles one Ready of node id as an application would: persist, send, apply, advance. */
  processReady(id: number | NodeId): boolean {
    const n = this.node(id);
    if (!n.rawNode.hasReady()) return false;
    const rd = n.rawNode.ready();
    this.write(describeReady(rd).trimEnd());
    // 1. persist
    if (rd.snapshot !== null) {
      n.storage.applySnapshot(rd.snapshot);
      n.history.push(rd.snapshot);
    }
    n.storage.append(rd.entries);
    if (rd.hardState !== null) n.storage.setHardState(rd.hardState);
    // 2. send (messages across a partition or to a crashed node are lost on the way)
    for (const m of rd.messages) {
      const to = this.nodes.find((x) => x.id === m.to);
      if (this.cut.has(`${m.from}->${m.to}`) || to === undefined || to.down)
        this.write(`dropped: ${describeMessage(m)}`);
      else this.messages.push(m);
    }
    // 3. apply
    if (rd.snapshot !== null) {
      n.applied = [];
      n.appliedIndex = rd.snapshot.metadata.index;
      n.confState = rd.snapshot.metadata.confState;
    }
    for (const e of rd.committedEntries) {
      const cc = confChangeOfEntry(e);
      if (cc !== null) {
        n.confState = n.rawNode.applyConfChange(cc);
        this.write(`INFO ${n.id} applied conf change -> ${describeConfState(n.confState)}`);
      } else if (e.type === EntryType.EntryNormal && e.data.length > 0) {
        n.applied.push(e);
      }
      n.appliedIndex = e.index;
    }
    n.rawNode.advance();
    return true;
  }

  /** Delivers the pending messages addressed to id (all if id is null); returns how many. */
  deliverMsgs(id: NodeId | null, drop = false): number {
    let count = 0;
    const keep: Message[] = [];
    const deliver: Message[] = [];
    for (const m of this.messages) {
      if (id === null || m.to === id) deliver.push(m);
      else keep.push(m);
    }
    this.messages = keep;
    for (const m of deliver) {
      count++;
      const target = this.nodes.find((x) => x.id === m.to);
      if (drop) {
        this.write(`dropped: ${describeMessage(m)}`);
        continue;
      }
      if (target === undefined || target.down || this.cut.has(`${m.from}->${m.to}`)) {
        this.write(`dropped: ${describeMessage(m)}`);
        continue;
      }
      this.write(describeMessage(m));
      this.guard(() => target.rawNode.step(m));
    }
    return count;
  }

  /** Processes Readys and delivers messages among `ids` (all by default) until nothing moves. */
  stabilize(ids?: readonly NodeId[]): void {
    const set = ids ?? this.nodes.filter((n) => !n.down).map((n) => n.id);
    for (;;) {
      let done = true;
      for (const id of set) {
        const n = this.node(id);
        if (n.down || !n.rawNode.hasReady()) continue;
        done = false;
        this.write(`> ${id} handling Ready`);
        this.withIndent(() => this.processReady(id));
      }
      for (const id of set) {
        if (!this.messages.some((m) => m.to === id)) continue;
        done = false;
        this.write(`> ${id} receiving messages`);
        this.withIndent(() => this.deliverMsgs(id));
      }
      if (done) return;
    }
  }

  withIndent(f: () => void): void {
    const prev = this.indent;
    this.indent += "  ";
    try {
      f();
    } finally {
      this.indent = prev;
    }
  }

  /** Drops all messages between the two groups (both ways) until heal(). */
  partition(a: readonly NodeId[], b: readonly NodeId[]): void {
    for (const x of a) {
      for (const y of b) {
        this.cut.add(`${x}->${y}`);
        this.cut.add(`${y}->${x}`);
      }
    }
  }

  /** Drops messages from `from` to `to` only. */
  cutOneWay(from: NodeId, to: NodeId): void {
    this.cut.add(`${from}->${to}`);
  }

  heal(): void {
    this.cut.clear();
  }

  /**
   * Crashes the node: anything not persisted through a processed Ready is lost, and
   * in-flight messages to it are dropped. restart() brings it back from its storage.
   */
  crash(id: number | NodeId): void {
    const n = this.node(id);
    n.down = true;
    this.messages = this.messages.filter((m) => m.to !== n.id && m.from !== n.id);
  }

  restart(id: number | NodeId): void {
    const n = this.node(id);
    n.down = false;
    // The state machine survives with what it applied (its applied index is durable),
    // and raft restarts from the configuration as of that index.
    n.storage.setConfState(n.confState);
    n.rawNode = this.newRawNode(n, n.appliedIndex);
  }

  compact(id: number | NodeId, index: number): void {
    const n = this.node(id);
    const snap = n.storage.createSnapshot(index, n.confState, new Uint8Array(0));
    n.history.push(snap);
    n.storage.compact(index);
  }

  status(id: number | NodeId): string {
    const r = this.node(id).rawNode.raft;
    const config = describeTrackerConfig(r.prs.config);
    if (r.state !== StateType.StateLeader)
      return `${stateNames[r.state]} term=${r.term} lead=${r.lead} ${config}`;
    return [config, ...r.prs.memberIds().map((pid) => `${pid}: ${r.prs.progress.get(pid)!.toString()}`)].join(
      "\n",
    );
  }

  raftLog(id: number | NodeId): string {
    const r = this.node(id).rawNode.raft;
    const ents = r.raftLog.allEntries();
    if (ents.length === 0)
      return `log is empty: first index=${r.raftLog.firstIndex()}, last index=${r.raftLog.lastIndex()}`;
    return describeEntries(ents).trimEnd();
  }

  describeHardState(id: number | NodeId): string {
    return describeHardState(this.node(id).rawNode.raft.hardState());
  }

  describeSnapshot(s: Snapshot): string {
    return describeSnapshot(s);
  }

  /** Count of in-flight messages of a type (tests). */
  count(type: MessageType): number {
    return this.messages.filter((m) => m.type === type).length;
  }
}
