// The data dir, laid out as etcd's: <data-dir>/member/{wal,snap}; the applied state
// lives in LMDB beside them (etcd keeps a bbolt file at member/snap/db instead).
import { join } from "node:path";

export interface DataDirLayout {
  readonly memberDir: string;
  readonly walDir: string;
  readonly snapDir: string;
  /** The LMDB file of the applied state. */
  readonly backendPath: string;
}

export function dataDirLayout(dataDir: string, walDir?: string): DataDirLayout {
  const memberDir = join(dataDir, "member");
  return {
    memberDir,
    walDir: walDir && walDir.length > 0 ? walDir : join(memberDir, "wal"),
    snapDir: join(memberDir, "snap"),
    backendPath: join(memberDir, "tetcd", "state.lmdb"),
  };
}
