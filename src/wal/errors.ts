// Errors of the WAL and snapshot files. Each carries etcd's message text first, so logs
// read like etcd's; those that point at a place in a file also carry it.

/** Where in the WAL a problem was found: segment file name and byte offset in it. */
export interface WalPosition {
  readonly segment: string;
  readonly offset: number;
}

export class WalError extends Error {
  override name = "WalError";
}

function at(message: string, pos: WalPosition | undefined): string {
  return pos === undefined ? message : `${message} (segment ${pos.segment}, offset ${pos.offset})`;
}

/** Create found .wal files in the directory already (Go's os.ErrExist). */
export class WalExistsError extends WalError {
  override name = "WalExistsError";
  constructor(readonly dir: string) {
    super(`file already exists: ${dir}`);
  }
}

/** No WAL segment, or no unbroken run of segments, covers the snapshot to start from. */
export class WalFileNotFoundError extends WalError {
  override name = "WalFileNotFoundError";
  constructor(readonly dir: string) {
    super(`wal: file not found: ${dir}`);
  }
}

/** A record's checksum does not continue the chain: the bytes changed after they were written. */
export class WalCrcMismatchError extends WalError implements WalPosition {
  override name = "WalCrcMismatchError";
  constructor(
    readonly segment: string,
    readonly offset: number,
    etcdMessage = "walpb: crc mismatch",
  ) {
    super(at(etcdMessage, { segment, offset }));
  }
}

/**
 * The log ends inside a record: the tail of the last segment was torn by a crash.
 * `repairWal` truncates it; anywhere else it is corruption and reported as such.
 */
export class WalUnexpectedEofError extends WalError implements WalPosition {
  override name = "WalUnexpectedEofError";
  constructor(
    readonly segment: string,
    readonly offset: number,
  ) {
    super(at("unexpected EOF", { segment, offset }));
  }
}

/** A record that cannot be decoded, has an unknown type, or ends a middle segment early. */
export class WalCorruptError extends WalError implements WalPosition {
  override name = "WalCorruptError";
  constructor(
    readonly segment: string,
    readonly offset: number,
    detail: string,
  ) {
    super(at(`wal: corrupt record: ${detail}`, { segment, offset }));
  }
}

/** A frame claims a record of 10 MiB or more: etcd refuses those as corruption. */
export class WalMaxEntrySizeError extends WalError implements WalPosition {
  override name = "WalMaxEntrySizeError";
  constructor(
    readonly segment: string,
    readonly offset: number,
  ) {
    super(at("wal: max entry size limit exceeded", { segment, offset }));
  }
}

export class WalMetadataConflictError extends WalError {
  override name = "WalMetadataConflictError";
  constructor(pos?: WalPosition) {
    super(at("wal: conflicting metadata found", pos));
  }
}

/** The WAL holds a snapshot record at the start index but with another term. */
export class WalSnapshotMismatchError extends WalError {
  override name = "WalSnapshotMismatchError";
  constructor(pos?: WalPosition) {
    super(at("wal: snapshot mismatch", pos));
  }
}

/** The WAL holds no snapshot record for the snapshot it was opened at. */
export class WalSnapshotNotFoundError extends WalError {
  override name = "WalSnapshotNotFoundError";
  constructor() {
    super("wal: snapshot not found");
  }
}

/** An entry leaves a gap after the entries before it. */
export class WalSliceOutOfRangeError extends WalError {
  override name = "WalSliceOutOfRangeError";
  constructor(pos?: WalPosition) {
    super(at("wal: slice bounds out of range", pos));
  }
}

/** Another process holds the WAL (our lock file, or etcd's flock on a segment). */
export class WalLockedError extends WalError {
  override name = "WalLockedError";
  constructor(
    readonly path: string,
    readonly holder: string,
  ) {
    super(`fileutil: file already locked: ${path} (held by ${holder})`);
  }
}

/** A write or fdatasync failed earlier: the WAL can no longer promise durability. */
export class WalFailedError extends WalError {
  override name = "WalFailedError";
  constructor(override readonly cause: unknown) {
    super(`wal: failed earlier, refusing further writes: ${String(cause)}`);
  }
}

export class SnapNoSnapshotError extends WalError {
  override name = "SnapNoSnapshotError";
  constructor() {
    super("snap: no available snapshot");
  }
}

export class SnapEmptyError extends WalError {
  override name = "SnapEmptyError";
  constructor(readonly path: string) {
    super(`snap: empty snapshot: ${path}`);
  }
}

export class SnapCrcMismatchError extends WalError {
  override name = "SnapCrcMismatchError";
  constructor(readonly path: string) {
    super(`snap: crc mismatch: ${path}`);
  }
}

export class SnapCorruptError extends WalError {
  override name = "SnapCorruptError";
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`snap: corrupt snapshot file: ${path}: ${detail}`);
  }
}
