// gRPC status codes by grpc-go's names (codes.Code.String()): etcd's clients print them
// in errors and its metrics label calls with them.
const GO_NAMES = [
  "OK",
  "Canceled",
  "Unknown",
  "InvalidArgument",
  "DeadlineExceeded",
  "NotFound",
  "AlreadyExists",
  "PermissionDenied",
  "ResourceExhausted",
  "FailedPrecondition",
  "Aborted",
  "OutOfRange",
  "Unimplemented",
  "Internal",
  "Unavailable",
  "DataLoss",
  "Unauthenticated",
] as const;

/** How many status codes gRPC defines (0 through 16). */
export const GRPC_CODE_COUNT = GO_NAMES.length;

/** The code's name as grpc-go prints it ("DeadlineExceeded"); `Code(n)` for unknown codes. */
export function grpcCodeName(code: number): string {
  return GO_NAMES[code] ?? `Code(${code})`;
}
