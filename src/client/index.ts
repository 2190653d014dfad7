// tetcd's etcd v3 client (`tetcd/client`): every v3 service over @grpc/grpc-js with
// endpoint failover, deadlines, keepalive, TLS, token auth, resuming watches, lease
// keep-alive, clientv3-compatible locks and elections, and clientv3's error texts.
export { Client, type PermissionTypeName } from "./client.js";
export { Election, Mutex, observeElection, Session } from "./concurrency.js";
export { fromWire, isIdField, toWire } from "./convert.js";
export { enumNames, type FieldLayout, type MessageLayout, messageLayout } from "./descriptor.js";
export { type Endpoint, parseEndpoint } from "./endpoints.js";
export * from "./errors.js";
export { LeaseKeepAlive } from "./keepalive.js";
export {
  type Bytes,
  FROM_KEY_END,
  prefixRangeEnd,
  type RangeSelector,
  resolveRange,
  toBuffer,
} from "./keys.js";
export {
  type Compare,
  type CompareResult,
  type CompareTarget,
  type DeleteOptions,
  type GetOptions,
  type Op,
  op,
  type PutOptions,
  type SortOrder,
  type SortTarget,
  type TxnSpec,
} from "./ops.js";
export {
  type CallOptions,
  type ClientConfig,
  codecOf,
  type RetryFailure,
  type TlsOptions,
} from "./transport.js";
export * from "./types.js";
export { isProgressNotify, Watcher, type WatchOptions } from "./watch.js";
