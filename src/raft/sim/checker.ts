// The simulator's invariants, checked incrementally after every step against a global
// record of what the cluster has committed and applied. A violation throws Violation.
import type { Raft } from "../raft.js";
import { StateType } from "../raft.js";
import type { Entry, HardState, NodeId, Snapshot } from "../types.js";

export class Violation extends Error {
  override name = "Violation";
  constructor(
    readonly invariant: string,
    detail: string,
  ) {
    super(`${invariant}: ${detail}`);
  }
}

/** A string that identifies an entry's content (type and payload). */
export function entryKey(e: Entry): string {
  let s = `${e.type}:`;
  const d = e.data;
  for (let i = 0; i < d.length; i++) s += String.fromCharCode(d[i]!);
  return s;
}

/** Folds an applied entry into a node's running hash of everything it applied. */
export function chainHash(prev: number, key: string): number {
  let h = (prev ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  }
  return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
}

/** Per node and per incarnation, what the checker remembers. */
export interface NodeWatch {
  id: NodeId;
  /** Highest commit index already checked against the global record. */
  checkedCommit: number;
  /** Commit and applied indexes seen last step (this incarnation). */
  lastCommit: number;
  lastApplied: number;
  /** The term this node led at the last check, or -1. */
  ledTerm: number;
}

export class Checker {
  private readonly leaderOfTerm = new Map<number, NodeId>();
  /** committedTerm[i]: the term of the entry committed at i (0 = unknown yet). */
  private readonly committedTerm: number[] = [0];
  /** committedInTerm[i]: the term of the node that first saw i committed. */
  private readonly committedInTerm: number[] = [0];
  /** For log matching: (index, term) -> content key and previous entry's term. */
  private readonly entryAt = new Map<string, { key: string; prevTerm: number }>();
  /** appliedChain[i]: running hash of the applied sequence through i. */
  private readonly appliedChain: number[] = [0];
  /** appliedKey[i]: content of the entry applied at i. */
  private readonly appliedKey: string[] = [""];
  maxCommitted = 0;
  maxApplied = 0;
  /** Acknowledged proposals: the client was told "done" for these (index -> key). */
  readonly acked = new Map<number, string>();
  maxAckedIndex = 0;

  newWatch(id: NodeId, commit: number, applied: number): NodeWatch {
    return { id, checkedCommit: 0, lastCommit: commit, lastApplied: applied, ledTerm: -1 };
  }

  /**
   * Election safety: at most one leader per term; and the new leader's log is complete.
   * A node counts as leader once its vote for itself is written: before that nothing it
   * did as leader can have left it (a single voter elects itself in memory, and a crash
   * before its Ready is handled undoes that unseen).
   */
  checkLeader(r: Raft, written: Readonly<HardState>): boolean {
    if (r.state !== StateType.StateLeader || written.term !== r.term || written.vote !== r.id) return false;
    const known = this.leaderOfTerm.get(r.term);
    if (known === r.id) return false;
    if (known !== undefined) {
      throw new Violation("election safety", `${known} and ${r.id} are both leaders of term ${r.term}`);
    }
    this.leaderOfTerm.set(r.term, r.id);
    this.checkLeaderCompleteness(r);
    return true;
  }

  /**
   * Leader completeness: an entry committed in an earlier term is in a new leader's log.
   * (Committed in term t means: first seen committed by a node at term t; the leader
   * that committed it had a term <= t.)
   */
  private checkLeaderCompleteness(r: Raft): void {
    const log = r.raftLog;
    const from = log.firstIndex() - 1;
    for (let i = Math.max(from, 1); i <= this.maxCommitted; i++) {
      const want = this.committedTerm[i] ?? 0;
      if (want === 0 || (this.committedInTerm[i] ?? 0) >= r.term) continue;
      const have = i <= log.lastIndex() ? log.termOrZero(i) : 0;
      if (have !== want) {
        throw new Violation(
          "leader completeness",
          `leader ${r.id} of term ${r.term} has term ${have} at index ${i} (last index ${log.lastIndex()}), committed term is ${want}`,
        );
      }
    }
  }

  /**
   * Commit indexes never go back, and what a node commits matches what others committed.
   * A commit counts once written with a Ready (a single voter commits its own entries in
   * memory before they are durable; nothing depends on that until the Ready is handled).
   */
  checkCommit(w: NodeWatch, r: Raft, writtenCommit: number): void {
    const log = r.raftLog;
    if (log.committed < w.lastCommit) {
      throw new Violation("commit monotonic", `${w.id} commit went from ${w.lastCommit} to ${log.committed}`);
    }
    // §5.4.2: a leader commits by counting replicas only entries of its own term (older
    // ones are committed indirectly, as a prefix of one of those).
    const leading = r.state === StateType.StateLeader;
    if (
      leading &&
      w.ledTerm === r.term &&
      log.committed > w.lastCommit &&
      log.termOrZero(log.committed) !== r.term
    ) {
      throw new Violation(
        "leader commits only current-term entries",
        `${w.id} (leader of term ${r.term}) moved its commit index to ${log.committed}, an entry of term ${log.termOrZero(log.committed)}`,
      );
    }
    w.ledTerm = leading ? r.term : -1;
    w.lastCommit = log.committed;
    if (log.applied < w.lastApplied) {
      throw new Violation(
        "applied monotonic",
        `${w.id} applied went from ${w.lastApplied} to ${log.applied}`,
      );
    }
    w.lastApplied = log.applied;
    const c = writtenCommit;
    if (c <= w.checkedCommit) return;
    const snapIndex = log.firstIndex() - 1;
    for (let i = Math.max(w.checkedCommit + 1, snapIndex, 1); i <= c; i++) {
      this.recordCommitted(w.id, i, log.termOrZero(i), r.term);
    }
    w.checkedCommit = c;
    if (c > this.maxCommitted) this.maxCommitted = c;
  }

  private recordCommitted(id: NodeId, i: number, term: number, nodeTerm: number): void {
    if (term === 0) return; // compacted below a snapshot we cannot see into
    const known = this.committedTerm[i] ?? 0;
    if (known === 0) {
      while (this.committedTerm.length < i) this.committedTerm.push(0);
      while (this.committedInTerm.length < i) this.committedInTerm.push(0);
      this.committedTerm[i] = term;
      this.committedInTerm[i] = nodeTerm;
    } else if (known !== term) {
      throw new Violation(
        "committed entries never change",
        `${id} committed term ${term} at index ${i}, which was committed with term ${known}`,
      );
    }
  }

  /**
   * Log matching, checked as entries are persisted: an (index, term) always names the
   * same content and follows the same previous term, so equal entries mean equal prefixes.
   * Also: an entry a node has committed is never replaced.
   */
  checkPersist(id: NodeId, ents: readonly Entry[], termBefore: (i: number) => number, commit: number): void {
    let prevTerm = ents.length > 0 ? termBefore(ents[0]!.index - 1) : 0;
    for (const e of ents) {
      const k = `${e.index}:${e.term}`;
      const key = entryKey(e);
      const seen = this.entryAt.get(k);
      if (seen === undefined) {
        this.entryAt.set(k, { key, prevTerm });
      } else {
        if (seen.key !== key)
          throw new Violation("log matching", `${id} has ${k} with other content than another node`);
        if (prevTerm >= 0 && seen.prevTerm >= 0 && seen.prevTerm !== prevTerm) {
          throw new Violation(
            "log matching",
            `${id} has ${k} after term ${prevTerm}, another node after term ${seen.prevTerm}`,
          );
        }
      }
      const committed = this.committedTerm[e.index] ?? 0;
      if (e.index <= commit && committed !== 0 && committed !== e.term) {
        throw new Violation(
          "committed entries never change",
          `${id} overwrote committed index ${e.index} with term ${e.term}`,
        );
      }
      prevTerm = e.term;
    }
  }

  /** Every member applies the same sequence, one index after the other. */
  checkApply(id: NodeId, index: number, prevApplied: number, key: string, chain: number): void {
    if (index !== prevApplied + 1)
      throw new Violation("apply order", `${id} applied ${index} after ${prevApplied}`);
    const known = this.appliedChain[index];
    if (known === undefined) {
      this.appliedChain.push(chain);
      this.appliedKey.push(key);
      this.maxApplied = index;
      if (this.appliedChain.length !== index + 1)
        throw new Violation("apply order", `global record gap at ${index}`);
    } else if (known !== chain) {
      throw new Violation(
        "same applied sequence",
        `${id} applied ${JSON.stringify(key)} at ${index}; another member applied ${JSON.stringify(this.appliedKey[index])}`,
      );
    }
  }

  /** A snapshot stands for the applied sequence up to its index. */
  checkSnapshotApplied(id: NodeId, snap: Snapshot, index: number, chain: number, prevApplied: number): void {
    if (index !== snap.metadata.index)
      throw new Violation(
        "snapshot",
        `${id} got snapshot data for ${index} in metadata ${snap.metadata.index}`,
      );
    if (index <= prevApplied)
      throw new Violation("applied monotonic", `${id} restored snapshot ${index} <= applied ${prevApplied}`);
    const known = this.appliedChain[index];
    if (known !== chain) {
      throw new Violation(
        "same applied sequence",
        `${id} restored a snapshot at ${index} that differs from what was applied there`,
      );
    }
    const committed = this.committedTerm[index] ?? 0;
    if (committed !== 0 && committed !== snap.metadata.term) {
      throw new Violation(
        "committed entries never change",
        `${id} restored snapshot ${index}/${snap.metadata.term}, committed term ${committed}`,
      );
    }
  }

  /** The client got its answer for a proposal applied at `index`. */
  ack(index: number, key: string): void {
    this.acked.set(index, key);
    if (index > this.maxAckedIndex) this.maxAckedIndex = index;
  }

  /** No acknowledged proposal is lost: each is still what the cluster applied at its index. */
  checkAcked(leaderApplied: number): void {
    for (const [index, key] of this.acked) {
      if (this.appliedKey[index] !== key) {
        throw new Violation(
          "acknowledged proposal lost",
          `${JSON.stringify(key)} at ${index} was replaced by ${JSON.stringify(this.appliedKey[index])}`,
        );
      }
      if (leaderApplied < index) {
        throw new Violation(
          "acknowledged proposal lost",
          `leader applied only ${leaderApplied} < acknowledged index ${index}`,
        );
      }
    }
  }

  /** A linearizable read must see every write acknowledged before it was issued. */
  checkRead(id: NodeId, readIndex: number, ackedBefore: number): void {
    if (readIndex < ackedBefore) {
      throw new Violation(
        "linearizable read",
        `${id} read at index ${readIndex}, but index ${ackedBefore} was acknowledged before the read began`,
      );
    }
  }

  chainAt(index: number): number | undefined {
    return this.appliedChain[index];
  }
}
