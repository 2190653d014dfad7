// What the two HTTP/2 transports of a call share: request messages arrive as DATA octets to
// be split into gRPC frames, statuses and metadata go out as header fields, and the peer is
// the other end of a socket.
import type net from "node:net";
import type { PeerCertificate, TLSSocket } from "node:tls";
import { type CallLimits, type Registered, ServerCall } from "./call.js";
import { FrameDecoder, type FrameSink } from "./framing.js";
import type { Metadata } from "./metadata.js";
import { encodeGrpcMessage, type OutgoingMetadata, Status } from "./status.js";

/** What a call tells its connection's keepalive policy. */
export interface ConnectionActivity {
  /** Frames were read (the connection is alive). */
  active: boolean;
}

/** Header values for outgoing metadata (`-bin` values as unpadded base64, as grpc-go sends them). */
export function metadataHeaders(metadata: OutgoingMetadata, into: Record<string, string | number>): void {
  for (const key of Object.keys(metadata)) {
    const value = metadata[key]!;
    into[key] = typeof value === "string" ? value : value.toString("base64").replace(/=+$/, "");
  }
}

/** A socket's remote end as grpc-go's peer.Addr prints it ("@" when it has none). */
export function peerAddress(socket: net.Socket | undefined): string {
  const address = socket?.remoteAddress;
  if (socket === undefined || address === undefined) return "@";
  return address.includes(":") ? `[${address}]:${socket.remotePort}` : `${address}:${socket.remotePort}`;
}

/** The header fields of a status: trailer metadata, grpc-status, grpc-message. */
export function statusHeaders(
  code: Status,
  message: string,
  trailers: OutgoingMetadata | undefined,
  into: Record<string, string | number>,
): Record<string, string | number> {
  if (trailers !== undefined) metadataHeaders(trailers, into);
  into["grpc-status"] = String(code);
  if (message !== "") into["grpc-message"] = encodeGrpcMessage(message);
  return into;
}

/** What the server found out about a call from its request headers. */
export interface CallSetup {
  readonly registered: Registered;
  readonly metadata: Metadata;
  readonly timeoutMs: number | undefined;
  readonly limits: CallLimits;
  /** The response's content-type (the request's, when it names a gRPC codec). */
  readonly contentType: string;
  readonly activity: ConnectionActivity | undefined;
}

export abstract class FramedCall extends ServerCall implements FrameSink {
  protected readonly contentType: string;
  readonly #decoder: FrameDecoder;
  readonly #activity: ConnectionActivity | undefined;

  constructor(setup: CallSetup) {
    super(setup.registered, setup.metadata, setup.timeoutMs, setup.limits);
    this.contentType = setup.contentType;
    this.#decoder = new FrameDecoder(setup.limits.maxReceiveMessageBytes);
    this.#activity = setup.activity;
  }

  /** Request body octets. */
  onData(chunk: Buffer): void {
    if (this.#activity !== undefined) this.#activity.active = true;
    this.#decoder.push(chunk, this);
  }

  onFrame(compressed: boolean, body: Buffer): void {
    if (compressed) {
      this.finish(Status.INTERNAL, "grpc: compressed flag set with identity or empty encoding");
      return;
    }
    this.receive(body);
  }

  onFrameTooLarge(length: number): void {
    this.finish(
      Status.RESOURCE_EXHAUSTED,
      `grpc: received message larger than max (${length} vs. ${this.limits.maxReceiveMessageBytes})`,
    );
  }

  get peer(): string {
    return peerAddress(this.socket);
  }

  /** The :authority of the request (its metadata holds every request header). */
  get authority(): string | undefined {
    return this.metadata.get(":authority");
  }

  peerCertificate(): PeerCertificate | undefined {
    const socket = this.socket as TLSSocket | undefined;
    if (socket === undefined || !socket.encrypted) return undefined;
    const certificate = socket.getPeerCertificate();
    return certificate !== null && Object.keys(certificate).length > 0 ? certificate : undefined;
  }

  /** The connection's socket, if it still has one. */
  protected abstract get socket(): net.Socket | undefined;

  /** The client has sent everything. */
  onEnd(): void {
    if (this.#decoder.partial) {
      this.finish(Status.INTERNAL, "unexpected EOF");
      return;
    }
    this.halfClose();
  }

  protected ended_(): void {
    this.#decoder.stop();
  }
}
