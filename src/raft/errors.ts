// Errors callers act on, one class each, carrying etcd raft's messages.

export class RaftError extends Error {
  override name = "RaftError";
}

/** The requested index is older than the first entry still in storage. */
export class ErrCompacted extends RaftError {
  override name = "ErrCompacted";
  constructor() {
    super("requested index is unavailable due to compaction");
  }
}

/** A snapshot at or below the one already held was offered. */
export class ErrSnapOutOfDate extends RaftError {
  override name = "ErrSnapOutOfDate";
  constructor() {
    super("requested index is older than the existing snapshot");
  }
}

/** The requested entry is not (yet) in storage. */
export class ErrUnavailable extends RaftError {
  override name = "ErrUnavailable";
  constructor() {
    super("requested entry at index is unavailable");
  }
}

/** Storage is preparing a snapshot; raft will ask again later. */
export class ErrSnapshotTemporarilyUnavailable extends RaftError {
  override name = "ErrSnapshotTemporarilyUnavailable";
  constructor() {
    super("snapshot is temporarily unavailable");
  }
}

/** No leader is known, this node is a leader handing over, or the leader refused it. */
export class ErrProposalDropped extends RaftError {
  override name = "ErrProposalDropped";
  constructor() {
    super("raft proposal dropped");
  }
}

/** Local message types (MsgHup, MsgBeat, ...) cannot arrive from the network. */
export class ErrStepLocalMsg extends RaftError {
  override name = "ErrStepLocalMsg";
  constructor() {
    super("raft: cannot step raft local message");
  }
}

/** A response arrived from a node this one does not track. */
export class ErrStepPeerNotFound extends RaftError {
  override name = "ErrStepPeerNotFound";
  constructor() {
    super("raft: cannot step as peer not found");
  }
}

/** A Config that etcd's raft would refuse. */
export class ErrInvalidConfig extends RaftError {
  override name = "ErrInvalidConfig";
}

/** A configuration change that is not allowed in the current configuration. */
export class ErrInvalidConfChange extends RaftError {
  override name = "ErrInvalidConfChange";
}
