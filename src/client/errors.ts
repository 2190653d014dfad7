// Errors as clientv3 reports them (its `rpctypes` and `toErr`): a known etcd message
// becomes an EtcdError whose message is etcd's text exactly; an expired or cancelled
// call becomes "context deadline exceeded" / "context canceled"; any other gRPC failure
// reads like grpc-go's "rpc error: code = X desc = Y".
import { status as Status } from "@grpc/grpc-js";
import { grpcCodeName } from "../proto/index.js";

export function codeName(code: number): string {
  return grpcCodeName(code);
}

/** A gRPC failure that is not one of etcd's known errors. */
export class GrpcError extends Error {
  override name = "GrpcError";
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(`rpc error: code = ${codeName(code)} desc = ${details}`);
  }
}

/** One of etcd's server errors, with etcd's exact message. */
export class EtcdError extends Error {
  override name = "EtcdError";
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

export class CompactedError extends EtcdError {
  override name = "CompactedError";
}
export class FutureRevisionError extends EtcdError {
  override name = "FutureRevisionError";
}
export class LeaseNotFoundError extends EtcdError {
  override name = "LeaseNotFoundError";
}
export class InvalidAuthTokenError extends EtcdError {
  override name = "InvalidAuthTokenError";
}
export class AuthNotEnabledError extends EtcdError {
  override name = "AuthNotEnabledError";
}
export class PermissionDeniedError extends EtcdError {
  override name = "PermissionDeniedError";
}
export class RootRoleNotExistError extends EtcdError {
  override name = "RootRoleNotExistError";
}
export class NoLeaderError extends EtcdError {
  override name = "NoLeaderError";
}

/** The call's own deadline passed (Go's context.DeadlineExceeded). */
export class DeadlineExceededError extends Error {
  override name = "DeadlineExceededError";
  constructor() {
    super("context deadline exceeded");
  }
}

/** The caller cancelled the call (Go's context.Canceled). */
export class CanceledError extends Error {
  override name = "CanceledError";
  constructor() {
    super("context canceled");
  }
}

/** The client was closed. */
export class ClientClosedError extends Error {
  override name = "ClientClosedError";
  constructor() {
    super("grpc: the client connection is closing");
  }
}

export const ErrCompacted = "etcdserver: mvcc: required revision has been compacted";
export const ErrFutureRev = "etcdserver: mvcc: required revision is a future revision";
export const ErrLeaseNotFound = "etcdserver: requested lease not found";
export const ErrInvalidAuthToken = "etcdserver: invalid auth token";
export const ErrAuthNotEnabled = "etcdserver: authentication is not enabled";
export const ErrPermissionDenied = "etcdserver: permission denied";
export const ErrRootRoleNotExist = "etcdserver: root user does not have root role";
export const ErrNoLeader = "etcdserver: no leader";
export const ErrUserEmpty = "etcdserver: user name is empty";

const SPECIFIC: Record<string, new (message: string, code: number) => EtcdError> = {
  [ErrCompacted]: CompactedError,
  [ErrFutureRev]: FutureRevisionError,
  [ErrLeaseNotFound]: LeaseNotFoundError,
  [ErrInvalidAuthToken]: InvalidAuthTokenError,
  [ErrAuthNotEnabled]: AuthNotEnabledError,
  [ErrPermissionDenied]: PermissionDeniedError,
  [ErrRootRoleNotExist]: RootRoleNotExistError,
  [ErrNoLeader]: NoLeaderError,
};

/** Every message etcd 3.4's server sends that clientv3 recognises (rpctypes). */
const KNOWN = new Set<string>([
  ...Object.keys(SPECIFIC),
  "etcdserver: key is not provided",
  "etcdserver: value is provided",
  "etcdserver: lease is provided",
  "etcdserver: too many operations in txn request",
  "etcdserver: duplicate key given in txn request",
  "etcdserver: lease already exists",
  "etcdserver: too large lease TTL",
  "etcdserver: member ID already exist",
  "etcdserver: Peer URLs already exists",
  "etcdserver: member not found",
  "etcdserver: given member URLs are invalid",
  "etcdserver: can only promote a learner member",
  "etcdserver: can only promote a learner member which is in sync with leader",
  "etcdserver: too many learner members in cluster",
  "etcdserver: rpc not supported for learner",
  "etcdserver: request is too large",
  "etcdserver: too many requests",
  "etcdserver: root user does not exist",
  "etcdserver: user name already exists",
  ErrUserEmpty,
  "etcdserver: user name not found",
  "etcdserver: role name already exists",
  "etcdserver: role name not found",
  "etcdserver: role name is empty",
  "etcdserver: authentication failed, invalid user ID or password",
  "etcdserver: role is not granted to the user",
  "etcdserver: permission is not granted to the role",
  "etcdserver: invalid auth management",
  "etcdserver: revision of auth store is old",
  "etcdserver: not capable",
  "etcdserver: stopped",
  "etcdserver: server stopped",
  "etcdserver: not leader",
  "etcdserver: leader changed",
  "etcdserver: request timed out",
  "etcdserver: request timed out, possibly due to previous leader failure",
  "etcdserver: request timed out, possibly due to connection lost",
  "etcdserver: request timed out, waiting for the applied index took too long",
  "etcdserver: unhealthy cluster",
  "etcdserver: corrupt cluster",
  "etcdserver: bad leader transferee",
  "etcdserver: watch canceled",
  "etcdserver: key not found",
  "etcdserver: mvcc: database space exceeded",
]);

/** The error for an etcd message (used for watch cancel reasons and server errors). */
export function etcdError(message: string, code: number): EtcdError | undefined {
  if (!KNOWN.has(message)) return undefined;
  const Specific = SPECIFIC[message];
  return Specific ? new Specific(message, code) : new EtcdError(message, code);
}

/** A failed gRPC call as clientv3 would report it. */
export function fromGrpcError(
  err: { code?: number; details?: string; message?: string },
  deadlinePassed: boolean,
  canceled: boolean,
): Error {
  const code = err.code ?? Status.UNKNOWN;
  const details = err.details ?? err.message ?? "";
  const known = etcdError(details, code);
  if (known) return known;
  if (code === Status.DEADLINE_EXCEEDED || code === Status.CANCELLED) {
    if (canceled) return new CanceledError();
    if (deadlinePassed) return new DeadlineExceededError();
  }
  return new GrpcError(code, details);
}
