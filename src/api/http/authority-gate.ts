// Decides, per HTTP/2 connection, between our own HTTP/2 framing (for connections whose
// first request is a gRPC call, when the caller offers it), giving node's HTTP/2 server the
// raw socket (no cost per request), and an AuthorityShim (for clients whose :authority
// nghttp2 rejects, like grpc-go dialed with "http://host:port").
//
// It reads the client's bytes until its first header block is complete and looks at the
// content-type and :authority there; clients keep one authority per connection. While it waits it stands in for the
// server as far as the client can tell:
//  - grpc-go sends no request before the server's preface (a SETTINGS frame), so one empty
//    SETTINGS is sent; the client's ACK for it is taken out of the stream, for the server
//    never sent it (if the ACK has not come yet, the shim takes it out later);
//  - PINGs are answered, so keepalive does not give up on an idle connection.
// Waiting is bounded in time and bytes; then the connection goes on as if never read (raw,
// or through the shim if the ACK for our SETTINGS is still to come).
import type net from "node:net";
import { isGrpcRequest } from "../grpc/index.js";
import { isAuthorityName, isValidAuthority } from "./authority.js";
import { AuthorityShim } from "./authority-shim.js";
import {
  CLIENT_PREFACE,
  EMPTY_SETTINGS,
  Flag,
  FRAME_HEADER_LENGTH,
  FrameType,
  frame,
  parseHeadersPayload,
  readFrameHeader,
} from "./h2-frames.js";
import { HpackDecoder, HpackError } from "./hpack.js";

export interface AuthorityGateOptions {
  /** Receives the socket with every byte read put back: the fast path. */
  direct(socket: net.Socket): void;
  /** Receives the shim standing in for the socket. */
  shimmed(shim: AuthorityShim): void;
  /**
   * If given, receives connections whose first request is a gRPC call, with every byte
   * read so far (the client preface first), to be served by our own HTTP/2 framing.
   */
  grpc?(socket: net.Socket, initial: Buffer): void;
  /** The server's SETTINGS_HEADER_TABLE_SIZE (node's default 4096). */
  settingsMaxSize?: number;
  /** Give up looking after this many bytes (default 64 KiB)... */
  maxBytes?: number;
  /** ...or this long without a complete first header block (default 3 s). */
  timeoutMs?: number;
}

/** Takes an HTTP/2 connection (cleartext or TLS) whose bytes nobody has consumed yet. */
export function gateAuthority(socket: net.Socket, options: AuthorityGateOptions): void {
  const maxBytes = options.maxBytes ?? 64 * 1024;
  let kept: Buffer[] = []; // parsed frames to hand on (PINGs and our ACK removed)
  let keptBytes = 0;
  let rest: Buffer = Buffer.alloc(0); // not parsed yet
  let prefaceSeen = false;
  let fragments: Buffer[] | undefined; // of the first header block, while it arrives
  let block: Buffer | undefined; // the first header block, complete
  let malformed = false;
  let settingsSent = false;
  let settingsAcked = false;

  const scan = (): void => {
    if (!prefaceSeen) {
      const n = Math.min(rest.length, CLIENT_PREFACE.length);
      if (rest.compare(CLIENT_PREFACE, 0, n, 0, n) !== 0) malformed = true;
      if (malformed || n < CLIENT_PREFACE.length) return;
      prefaceSeen = true;
      kept.push(rest.subarray(0, n));
      keptBytes += n;
      rest = rest.subarray(n);
    }
    let pos = 0;
    while (!malformed && rest.length - pos >= FRAME_HEADER_LENGTH) {
      const { length, type, flags } = readFrameHeader(rest, pos);
      if (rest.length - pos - FRAME_HEADER_LENGTH < length) break;
      const f = rest.subarray(pos, pos + FRAME_HEADER_LENGTH + length);
      const payload = f.subarray(FRAME_HEADER_LENGTH);
      pos += f.length;
      if (type === FrameType.PING && !(flags & Flag.ACK) && length === 8) {
        socket.write(frame(FrameType.PING, Flag.ACK, 0, payload));
        continue;
      }
      if (type === FrameType.SETTINGS && flags & Flag.ACK && settingsSent && !settingsAcked) {
        settingsAcked = true;
        continue;
      }
      kept.push(f);
      keptBytes += f.length;
      if (block !== undefined) continue;
      if (fragments === undefined && type === FrameType.HEADERS) {
        const parsed = parseHeadersPayload(flags, payload);
        if (parsed === undefined) malformed = true;
        else fragments = [parsed.fragment];
      } else if (fragments !== undefined && type === FrameType.CONTINUATION) {
        fragments.push(payload);
      } else if (fragments !== undefined) {
        malformed = true; // only CONTINUATIONs may follow a HEADERS without END_HEADERS
      }
      if (fragments !== undefined && !malformed && flags & Flag.END_HEADERS) block = Buffer.concat(fragments);
    }
    rest = rest.subarray(pos);
  };

  const finish = (): void => {
    socket.off("readable", onReadable);
    socket.off("end", onEnd);
    socket.off("close", onClose);
    clearTimeout(timer);
  };

  const decide = (): void => {
    finish();
    // Without the ACK for our SETTINGS the raw socket would hand the server an ACK it cannot
    // place (a connection error): the shim removes it when it comes.
    const ackPending = settingsSent && !settingsAcked;
    const bytes = Buffer.concat([...kept, rest]);
    kept = [];
    const first = inspect(block, options.settingsMaxSize);
    if (first.grpc && options.grpc !== undefined) {
      // Our framing ignores a SETTINGS ACK it did not ask for, so no need to wait for one.
      options.grpc(socket, bytes);
      return;
    }
    if (!ackPending && !first.rewrite) {
      if (bytes.length > 0) socket.unshift(bytes);
      options.direct(socket);
      return;
    }
    options.shimmed(
      new AuthorityShim(socket, {
        initial: bytes,
        dropSettingsAck: ackPending,
        ...(options.settingsMaxSize !== undefined && { settingsMaxSize: options.settingsMaxSize }),
      }),
    );
  };

  const onReadable = (): void => {
    for (let chunk: Buffer | null = socket.read(); chunk !== null; chunk = socket.read()) {
      rest = rest.length === 0 ? chunk : Buffer.concat([rest, chunk]);
    }
    scan();
    if (
      malformed ||
      keptBytes + rest.length > maxBytes ||
      (block !== undefined && (!settingsSent || settingsAcked || options.grpc !== undefined))
    ) {
      decide();
    } else if (prefaceSeen && block === undefined && !settingsSent) {
      socket.write(EMPTY_SETTINGS);
      settingsSent = true;
    }
  };
  // A client that stops sending before its first request gets no further.
  const onEnd = (): void => {
    finish();
    socket.destroy();
  };
  const onClose = (): void => finish();
  const timer = setTimeout(decide, options.timeoutMs ?? 3000);
  timer.unref();

  socket.on("readable", onReadable);
  socket.on("end", onEnd);
  socket.on("close", onClose);
}

/**
 * What the first header block says: `rewrite` if it holds an :authority or host value
 * nghttp2 rejects, `grpc` if it is a gRPC call.
 */
function inspect(
  block: Buffer | undefined,
  settingsMaxSize: number | undefined,
): { rewrite: boolean; grpc: boolean } {
  if (block === undefined) return { rewrite: false, grpc: false };
  try {
    const fields = new HpackDecoder(settingsMaxSize).decode(block);
    return {
      rewrite: fields.some((field) => isAuthorityName(field.name) && !isValidAuthority(field.value)),
      grpc: fields.some(
        (field) =>
          field.name.toString("latin1") === "content-type" &&
          isGrpcRequest({ "content-type": field.value.toString("latin1") }),
      ),
    };
  } catch (error) {
    if (error instanceof HpackError) return { rewrite: false, grpc: false }; // nghttp2 will refuse the block itself
    throw error;
  }
}
