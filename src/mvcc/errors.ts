// Errors callers act on, with etcd's exact messages (as the server reports them to clients).

export class ErrCompacted extends Error {
  constructor() {
    super("etcdserver: mvcc: required revision has been compacted");
    this.name = "ErrCompacted";
  }
}

export class ErrFutureRev extends Error {
  constructor() {
    super("etcdserver: mvcc: required revision is a future revision");
    this.name = "ErrFutureRev";
  }
}

export class ErrWatcherNotExist extends Error {
  constructor() {
    super("mvcc: watcher does not exist");
    this.name = "ErrWatcherNotExist";
  }
}

export class ErrEmptyWatcherRange extends Error {
  constructor() {
    super("mvcc: watcher range is empty");
    this.name = "ErrEmptyWatcherRange";
  }
}

export class ErrWatcherDuplicateID extends Error {
  constructor() {
    super("mvcc: duplicate watch ID provided on the WatchStream");
    this.name = "ErrWatcherDuplicateID";
  }
}

/** A key longer than the LMDB layout can index (see README.md); etcd itself has no such limit. */
export class ErrKeyTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`etcdserver: mvcc: key is too large (at most ${maxBytes} bytes)`);
    this.name = "ErrKeyTooLarge";
  }
}
