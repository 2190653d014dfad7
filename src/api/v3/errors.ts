// The one table from tetcd's errors to the gRPC status etcd sends for each
// (etcdserver/api/v3rpc/util.go togRPCError and rpctypes/error.go). Clients match on the
// code and on the exact text, so both are etcd's.

import { ErrLeaseExists, ErrLeaseNotFound, ErrLeaseTTLTooLarge } from "../../lease/index.js";
import { ErrCompacted, ErrFutureRev } from "../../mvcc/index.js";
import { ErrProposalDropped } from "../../raft/index.js";
import { ServerError, type ServerErrorKind } from "../../server/index.js";
import { GrpcError, Status } from "../grpc/index.js";
import type { ValidationError } from "./validate.js";

type Rpc = readonly [Status, string];

const SERVER_ERRORS: Record<ServerErrorKind, Rpc> = {
  unknownMethod: [Status.UNKNOWN, "etcdserver: unknown method"],
  stopped: [Status.UNAVAILABLE, "etcdserver: server stopped"],
  canceled: [Status.CANCELLED, "etcdserver: request cancelled"],
  timeout: [Status.UNAVAILABLE, "etcdserver: request timed out"],
  timeoutDueToLeaderFail: [
    Status.UNAVAILABLE,
    "etcdserver: request timed out, possibly due to previous leader failure",
  ],
  timeoutDueToConnectionLost: [
    Status.UNAVAILABLE,
    "etcdserver: request timed out, possibly due to connection lost",
  ],
  timeoutWaitAppliedIndex: [
    Status.UNAVAILABLE,
    "etcdserver: request timed out, waiting for the applied index took too long",
  ],
  timeoutLeaderTransfer: [Status.UNKNOWN, "etcdserver: request timed out, leader transfer took too long"],
  leaderChanged: [Status.UNAVAILABLE, "etcdserver: leader changed"],
  notEnoughStartedMembers: [
    Status.FAILED_PRECONDITION,
    "etcdserver: re-configuration failed due to not enough started members",
  ],
  learnerNotReady: [
    Status.FAILED_PRECONDITION,
    "etcdserver: can only promote a learner member which is in sync with leader",
  ],
  noLeader: [Status.UNAVAILABLE, "etcdserver: no leader"],
  notLeader: [Status.FAILED_PRECONDITION, "etcdserver: not leader"],
  requestTooLarge: [Status.INVALID_ARGUMENT, "etcdserver: request is too large"],
  noSpace: [Status.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded"],
  tooManyRequests: [Status.RESOURCE_EXHAUSTED, "etcdserver: too many requests"],
  unhealthy: [Status.UNAVAILABLE, "etcdserver: unhealthy cluster"],
  keyNotFound: [Status.INVALID_ARGUMENT, "etcdserver: key not found"],
  corrupt: [Status.DATA_LOSS, "etcdserver: corrupt cluster"],
  badLeaderTransferee: [Status.FAILED_PRECONDITION, "etcdserver: bad leader transferee"],
  memberIdRemoved: [Status.NOT_FOUND, "etcdserver: member not found"],
  memberIdNotFound: [Status.NOT_FOUND, "etcdserver: member not found"],
  memberIdExists: [Status.FAILED_PRECONDITION, "etcdserver: member ID already exist"],
  peerUrlExists: [Status.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists"],
  memberNotLearner: [Status.FAILED_PRECONDITION, "etcdserver: can only promote a learner member"],
  tooManyLearners: [Status.FAILED_PRECONDITION, "etcdserver: too many learner members in cluster"],
  noPeerTransport: [
    Status.FAILED_PRECONDITION,
    "etcdserver: adding a voting member needs the peer transport, which tetcd does not have yet",
  ],
};

const VALIDATION_ERRORS: Record<ValidationError, Rpc> = {
  emptyKey: [Status.INVALID_ARGUMENT, "etcdserver: key is not provided"],
  valueProvided: [Status.INVALID_ARGUMENT, "etcdserver: value is provided"],
  leaseProvided: [Status.INVALID_ARGUMENT, "etcdserver: lease is provided"],
  tooManyOps: [Status.INVALID_ARGUMENT, "etcdserver: too many operations in txn request"],
  duplicateKey: [Status.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request"],
  keyNotFound: [Status.INVALID_ARGUMENT, "etcdserver: key not found"],
};

const grpcError = ([code, message]: Rpc) => new GrpcError(code, message);

/** A request check failed: the status etcd answers with. */
export function validationError(kind: ValidationError): GrpcError {
  return grpcError(VALIDATION_ERRORS[kind]);
}

/** Maps an error from the layers below to etcd's status; unknown errors pass through (UNKNOWN). */
export function toGrpcError(e: unknown): unknown {
  if (e instanceof GrpcError) return e;
  if (e instanceof ServerError) return grpcError(SERVER_ERRORS[e.kind]);
  if (e instanceof ErrCompacted) return new GrpcError(Status.OUT_OF_RANGE, e.message);
  if (e instanceof ErrFutureRev) return new GrpcError(Status.OUT_OF_RANGE, e.message);
  if (e instanceof ErrLeaseNotFound) return new GrpcError(Status.NOT_FOUND, e.message);
  if (e instanceof ErrLeaseExists) return new GrpcError(Status.FAILED_PRECONDITION, e.message);
  if (e instanceof ErrLeaseTTLTooLarge) return new GrpcError(Status.OUT_OF_RANGE, e.message);
  if (e instanceof ErrProposalDropped) return new GrpcError(Status.UNKNOWN, e.message);
  return e;
}

/** Runs a handler body, turning its errors into etcd's statuses. */
export async function mapErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toGrpcError(e);
  }
}
