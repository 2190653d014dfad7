// Pending linearizable reads (ReadIndex). In the safe mode a read at index i is released
// when a quorum has answered a heartbeat sent after the read arrived, which proves this
// node was still the leader when it recorded i.
import type { Message, NodeId } from "./types.js";

export enum ReadOnlyOption {
  /** Confirm leadership with a heartbeat round per batch of reads. */
  Safe = 0,
  /** Trust the leader lease (needs CheckQuorum; unsafe with unbounded clock drift). */
  LeaseBased = 1,
}

/** A read the application may serve once it has applied `index`. */
export interface ReadState {
  index: number;
  requestCtx: Uint8Array;
}

interface ReadIndexStatus {
  req: Message;
  index: number;
  ctx: Uint8Array;
  acks: Map<NodeId, boolean>;
}

function keyOf(ctx: Uint8Array): string {
  return Buffer.from(ctx.buffer, ctx.byteOffset, ctx.byteLength).toString("latin1");
}

export class ReadOnly {
  private readonly pending = new Map<string, ReadIndexStatus>();
  /** Requests in arrival order; a heartbeat ack for one confirms all before it. */
  private queue: ReadIndexStatus[] = [];

  constructor(readonly option: ReadOnlyOption) {}

  /** Records a read request (its context is entries[0].data) at commit index `index`. */
  addRequest(index: number, m: Message): void {
    const ctx = m.entries[0]!.data;
    const key = keyOf(ctx);
    if (this.pending.has(key)) return;
    const status: ReadIndexStatus = { req: m, index, ctx, acks: new Map() };
    this.pending.set(key, status);
    this.queue.push(status);
  }

  /** Notes that `id` answered the heartbeat carrying `ctx`; returns who has, or null. */
  recvAck(id: NodeId, ctx: Uint8Array): ReadonlyMap<NodeId, boolean> | null {
    const rs = this.pending.get(keyOf(ctx));
    if (rs === undefined) return null;
    rs.acks.set(id, true);
    return rs.acks;
  }

  /** Releases every request up to and including the one with `ctx`. */
  advance(ctx: Uint8Array): { req: Message; index: number }[] {
    const key = keyOf(ctx);
    const at = this.queue.findIndex((s) => keyOf(s.ctx) === key);
    if (at < 0) return [];
    const released = this.queue.slice(0, at + 1);
    this.queue = this.queue.slice(at + 1);
    for (const s of released) this.pending.delete(keyOf(s.ctx));
    return released.map((s) => ({ req: s.req, index: s.index }));
  }

  /** The context of the newest pending request (what heartbeats carry), or null. */
  lastPendingRequestCtx(): Uint8Array | null {
    const last = this.queue[this.queue.length - 1];
    return last === undefined ? null : last.ctx;
  }

  pendingCount(): number {
    return this.queue.length;
  }
}
