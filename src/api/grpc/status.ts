// gRPC status codes and the error class handlers throw to choose one.
import { GRPC_CODE_COUNT, grpcCodeName } from "../../proto/index.js";

/** gRPC status codes (google.rpc.Code). */
export enum Status {
  OK = 0,
  CANCELLED = 1,
  UNKNOWN = 2,
  INVALID_ARGUMENT = 3,
  DEADLINE_EXCEEDED = 4,
  NOT_FOUND = 5,
  ALREADY_EXISTS = 6,
  PERMISSION_DENIED = 7,
  RESOURCE_EXHAUSTED = 8,
  FAILED_PRECONDITION = 9,
  ABORTED = 10,
  OUT_OF_RANGE = 11,
  UNIMPLEMENTED = 12,
  INTERNAL = 13,
  UNAVAILABLE = 14,
  DATA_LOSS = 15,
  UNAUTHENTICATED = 16,
}

/** Every status code, in numeric order. */
export const allStatuses: readonly Status[] = Array.from(
  { length: GRPC_CODE_COUNT },
  (_, code) => code as Status,
);

/** The code's name as grpc-go prints it ("DeadlineExceeded"). */
export function statusName(code: Status): string {
  return grpcCodeName(code);
}

/** Trailing metadata: `-bin` keys carry bytes, every other key ASCII text. */
export type OutgoingMetadata = Record<string, string | Buffer>;

/**
 * An error a handler throws (or a stream ends with) to end its call with `code` and `message`.
 * Any other thrown Error ends the call with UNKNOWN and its message, as grpc-go does.
 */
export class GrpcError extends Error {
  override readonly name = "GrpcError";
  readonly code: Status;
  readonly trailers: OutgoingMetadata | undefined;

  constructor(code: Status, message: string, trailers?: OutgoingMetadata) {
    super(message);
    this.code = code;
    this.trailers = trailers;
  }

  /** The status any thrown value maps to: GrpcErrors keep theirs, the rest are UNKNOWN. */
  static from(error: unknown): GrpcError {
    if (error instanceof GrpcError) return error;
    if (error instanceof Error) return new GrpcError(Status.UNKNOWN, error.message);
    return new GrpcError(Status.UNKNOWN, String(error));
  }
}

/**
 * Percent-encodes a status message for the grpc-message header as grpc-go does: printable
 * ASCII except '%' passes through, every other byte of the UTF-8 encoding becomes %XX.
 */
export function encodeGrpcMessage(message: string): string {
  for (let i = 0; i < message.length; i++) {
    const c = message.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x25) return percentEncode(message);
  }
  return message;
}

function percentEncode(message: string): string {
  let out = "";
  for (const byte of Buffer.from(message, "utf8")) {
    out +=
      byte >= 0x20 && byte <= 0x7e && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Decodes a percent-encoded grpc-message (the inverse of encodeGrpcMessage). */
export function decodeGrpcMessage(encoded: string): string {
  if (!encoded.includes("%")) return encoded;
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const c = encoded.charCodeAt(i);
    if (c === 0x25 && i + 2 < encoded.length) {
      const hex = encoded.slice(i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(Number.parseInt(hex, 16));
        i += 2;
        continue;
      }
    }
    bytes.push(...Buffer.from(encoded[i] ?? "", "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}
