// The storage module: the Backend contract and its LMDB implementation.
export {
  type Backend,
  type BackendSnapshot,
  type Entry,
  ErrBackendBusy,
  ETCD_BUCKETS,
  type ReadTx,
  type ScanOptions,
  type WriteTx,
} from "./backend.js";
export { LmdbBackend, type LmdbBackendOptions, openLmdbBackend } from "./lmdb-backend.js";
