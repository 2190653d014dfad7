// One etcd member: Raft, WAL, applied state, and the requests clients make of them.
export { AlarmType } from "./alarms.js";
export type { AutoCompaction } from "./compactor.js";
export { isServerError, ServerError, type ServerErrorKind } from "./errors.js";
export { computeClusterId, computeMemberId, formatId } from "./ids.js";
export {
  type DeleteRangeResponse,
  type PutResponse,
  type RangeResponse,
  type TxnResponse,
  toWireKv,
} from "./kv/ops.js";
export type { Member } from "./membership.js";
export { DEFAULT_SERVER_OPTIONS, type Logger, type ServerOptions } from "./options.js";
export { EtcdServer, type ResponseHeader, type ServerStatus } from "./server.js";
