// The raft values the WAL stores, as plain objects shaped like the raft module's own
// (`Entry {term, index, type, data}`, `HardState {term, vote, commit}`), so the server
// passes raft's objects straight through. Terms and indexes are numbers, node IDs bigint.

export interface WalEntry {
  readonly term: number;
  readonly index: number;
  /** raftpb.EntryType: 0 normal, 1 conf change, 2 conf change v2. */
  readonly type: number;
  readonly data: Uint8Array;
}

export interface WalHardState {
  readonly term: number;
  readonly vote: bigint;
  readonly commit: number;
}

/** A walpb.Snapshot: the index and term of a raft snapshot the WAL knows of. */
export interface WalSnapshot {
  readonly index: number;
  readonly term: number;
}

export const EMPTY_HARD_STATE: WalHardState = Object.freeze({ term: 0, vote: 0n, commit: 0 });

export function isEmptyHardState(s: WalHardState): boolean {
  return s.term === 0 && s.vote === 0n && s.commit === 0;
}

/** What `Wal.readAll` recovers. */
export interface WalContents {
  readonly metadata: Buffer;
  readonly hardState: WalHardState;
  /** Entries after the snapshot index, later writes of an index replacing earlier ones. */
  readonly entries: WalEntry[];
}
