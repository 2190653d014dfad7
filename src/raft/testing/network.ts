// Test scaffolding in the style of etcd's raft tests: rafts wired through an in-memory
// network that can drop, cut and isolate, plus helpers to build nodes. Not part of the
// public API.
import type { Config } from "../config.js";
import { Raft } from "../raft.js";
import { Prng } from "../sim/prng.js";
import { MemoryStorage } from "../storage.js";
import {
  type ConfState,
  type Entry,
  emptyConfState,
  type Message,
  MessageType,
  type NodeId,
} from "../types.js";

export function ids(...n: number[]): NodeId[] {
  return n.map((x) => BigInt(x));
}

/** A MemoryStorage whose configuration holds these voters (and learners). */
export function newTestStorage(voters: readonly NodeId[], learners: readonly NodeId[] = []): MemoryStorage {
  const s = new MemoryStorage();
  const cs: ConfState = { ...emptyConfState(), voters: [...voters], learners: [...learners] };
  s.setConfState(cs);
  return s;
}

let seedCounter = 1;

/** A deterministic random source for one raft. */
export function testRandom(seed: number = seedCounter++): (n: number) => number {
  const p = new Prng(seed);
  return (n) => p.int(n);
}

export function newTestConfig(
  id: NodeId,
  election: number,
  heartbeat: number,
  storage: MemoryStorage,
): Config {
  return {
    id,
    electionTick: election,
    heartbeatTick: heartbeat,
    storage,
    maxSizePerMsg: Number.POSITIVE_INFINITY,
    maxInflightMsgs: 256,
    random: testRandom(),
  };
}

export function newTestRaft(
  id: number | NodeId,
  election: number,
  heartbeat: number,
  storage: MemoryStorage,
  tweak?: (c: Config) => void,
): Raft {
  const c = newTestConfig(BigInt(id), election, heartbeat, storage);
  tweak?.(c);
  return new Raft(c);
}

/** Moves the unstable entries to storage and returns (and marks applied) the committed ones. */
export function nextEnts(r: Raft, s: MemoryStorage): Entry[] {
  s.append(r.raftLog.unstableEntries());
  r.raftLog.stableTo(r.raftLog.lastIndex(), r.raftLog.lastTerm());
  const ents = r.raftLog.nextEnts();
  r.raftLog.appliedTo(r.raftLog.committed);
  return ents;
}

/** A peer that swallows everything. */
export class BlackHole {
  step(_m: Message): void {}
  readMessages(): Message[] {
    return [];
  }
}

export const blackHole = (): BlackHole => new BlackHole();

type Peer = Raft | BlackHole;

function connKey(from: NodeId, to: NodeId): string {
  return `${from}->${to}`;
}

/** Rafts (or black holes) exchanging messages synchronously until quiet. */
export class Network {
  readonly peers = new Map<NodeId, Peer>();
  readonly storage = new Map<NodeId, MemoryStorage>();
  private readonly dropm = new Map<string, number>();
  private readonly ignorem = new Set<MessageType>();
  /** Return false to drop a message. */
  msgHook: ((m: Message) => boolean) | null = null;
  private readonly prng = new Prng(42);

  /**
   * peers[i] gets ID i+1; null makes a fresh voter with everyone as voters; a Raft is used
   * as is (its storage should already name the group).
   */
  constructor(peers: readonly (Peer | null)[], tweak?: (c: Config) => void) {
    const all = peers.map((_, i) => BigInt(i + 1));
    peers.forEach((p, i) => {
      const id = BigInt(i + 1);
      if (p === null) {
        const s = newTestStorage(all);
        this.storage.set(id, s);
        this.peers.set(id, newTestRaft(id, 10, 1, s, tweak));
      } else {
        this.peers.set(id, p);
      }
    });
  }

  raft(id: number | NodeId): Raft {
    const p = this.peers.get(BigInt(id));
    if (!(p instanceof Raft)) throw new Error(`peer ${id} is not a raft`);
    return p;
  }

  /** Delivers the messages and everything they cause, breadth first. */
  send(...msgs: Message[]): void {
    const queue = [...msgs];
    while (queue.length > 0) {
      const m = queue.shift()!;
      const p = this.peers.get(m.to);
      if (p === undefined) continue;
      p.step(m);
      queue.push(...this.filter(p.readMessages()));
    }
  }

  drop(from: number | NodeId, to: number | NodeId, perc: number): void {
    this.dropm.set(connKey(BigInt(from), BigInt(to)), perc);
  }

  cut(one: number | NodeId, other: number | NodeId): void {
    this.drop(one, other, 2.0);
    this.drop(other, one, 2.0);
  }

  isolate(id: number | NodeId): void {
    for (const other of this.peers.keys()) {
      if (other !== BigInt(id)) this.cut(id, other);
    }
  }

  ignore(t: MessageType): void {
    this.ignorem.add(t);
  }

  recover(): void {
    this.dropm.clear();
    this.ignorem.clear();
  }

  filter(msgs: Message[]): Message[] {
    return msgs.filter((m) => {
      if (this.ignorem.has(m.type)) return false;
      // Hups never go over the network.
      if (m.type === MessageType.MsgHup) throw new Error("unexpected msgHup");
      const perc = this.dropm.get(connKey(m.from, m.to)) ?? 0;
      if (this.prng.float() < perc) return false;
      if (this.msgHook !== null && !this.msgHook(m)) return false;
      return true;
    });
  }
}
