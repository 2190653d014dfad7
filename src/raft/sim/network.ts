// The simulated network: messages in flight, delivered in an order the PRNG picks (so they
// are delayed and reordered), lost or duplicated at configurable rates, and blocked by
// symmetric or one-way partitions.
import type { Message, NodeId } from "../types.js";
import type { Prng } from "./prng.js";

export interface Flight {
  m: Message;
  /** Send order, for traces. */
  seq: number;
}

/** Beyond this many messages in flight, the oldest are lost (raft retransmits). */
export const MAX_IN_FLIGHT = 400;

export class SimNetwork {
  private flights: Flight[] = [];
  private seq = 0;
  lossRate = 0;
  dupRate = 0;
  /** Directed pairs "from->to" that cannot talk. */
  private readonly blocked = new Set<string>();

  constructor(private readonly prng: Prng) {}

  /** Puts a message on the wire; returns how many copies went out (0: lost). */
  send(m: Message): number {
    if (this.lossRate > 0 && this.prng.chance(this.lossRate)) return 0;
    let copies = 1;
    if (this.dupRate > 0 && this.prng.chance(this.dupRate)) copies = 2;
    for (let i = 0; i < copies; i++) this.flights.push({ m, seq: this.seq++ });
    return copies;
  }

  /** Takes the next message to deliver: usually the oldest, sometimes any (reordering). */
  take(reorderRate: number): Flight | undefined {
    if (this.flights.length === 0) return undefined;
    const i = this.prng.chance(reorderRate) ? this.prng.int(this.flights.length) : 0;
    return this.flights.splice(i, 1)[0];
  }

  /** Takes every message in order (quiet phase). */
  takeAll(): Flight[] {
    const all = this.flights;
    this.flights = [];
    return all;
  }

  /** Drops and returns the oldest message in flight (congestion). */
  dropOldest(): Flight | undefined {
    return this.flights.shift();
  }

  inFlight(): number {
    return this.flights.length;
  }

  canDeliver(from: NodeId, to: NodeId): boolean {
    return this.blocked.size === 0 || !this.blocked.has(`${from}->${to}`);
  }

  /** Splits the nodes into two sides that cannot talk either way. */
  partition(a: readonly NodeId[], b: readonly NodeId[]): void {
    for (const x of a) {
      for (const y of b) {
        this.blocked.add(`${x}->${y}`);
        this.blocked.add(`${y}->${x}`);
      }
    }
  }

  /** Messages from `from` to `to` are lost; the other direction still works. */
  cutOneWay(from: NodeId, to: NodeId): void {
    this.blocked.add(`${from}->${to}`);
  }

  heal(): void {
    this.blocked.clear();
  }

  describeBlocked(): string {
    return [...this.blocked].sort().join(" ");
  }
}
