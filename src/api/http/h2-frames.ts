// The few HTTP/2 framing facts (RFC 9113 4, 6) the connection gate and the authority shim
// need: frame headers, HEADERS payload layout, and splitting a header block into frames.

export const CLIENT_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
export const FRAME_HEADER_LENGTH = 9;
/** The smallest SETTINGS_MAX_FRAME_SIZE there is: every peer accepts frames this large. */
export const MIN_MAX_FRAME_SIZE = 16384;

export const FrameType = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

export const Flag = {
  ACK: 0x1,
  END_STREAM: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const;

export interface FrameHeader {
  readonly length: number;
  readonly type: number;
  readonly flags: number;
  readonly streamId: number;
}

/** Reads a frame header at `offset` (which must have 9 octets). */
export function readFrameHeader(buf: Uint8Array, offset = 0): FrameHeader {
  const b = Buffer.from(buf.buffer, buf.byteOffset + offset, FRAME_HEADER_LENGTH);
  return { length: b.readUIntBE(0, 3), type: b[3]!, flags: b[4]!, streamId: b.readUInt32BE(5) & 0x7fffffff };
}

/** A frame header alone, for a payload of `length` octets sent as a buffer of its own. */
export function frameHeader(length: number, type: number, flags: number, streamId: number): Buffer {
  const head = Buffer.allocUnsafe(FRAME_HEADER_LENGTH);
  writeFrameHeader(head, length, type, flags, streamId);
  return head;
}

export function frame(type: number, flags: number, streamId: number, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER_LENGTH + payload.length);
  writeFrameHeader(out, payload.length, type, flags, streamId);
  out.set(payload, FRAME_HEADER_LENGTH);
  return out;
}

function writeFrameHeader(out: Buffer, length: number, type: number, flags: number, streamId: number): void {
  out.writeUIntBE(length, 0, 3);
  out[3] = type;
  out[4] = flags;
  out.writeUInt32BE(streamId, 5);
}

/** An empty SETTINGS frame: a server preface that changes nothing. */
export const EMPTY_SETTINGS = frame(FrameType.SETTINGS, 0, 0, Buffer.alloc(0));

export interface HeadersPayload {
  /** Stream dependency and weight (5 octets) when the PRIORITY flag is set. */
  readonly priority: Buffer | undefined;
  readonly fragment: Buffer;
}

/** Splits a HEADERS payload into priority fields and block fragment; undefined if malformed. */
export function parseHeadersPayload(flags: number, payload: Buffer): HeadersPayload | undefined {
  let start = 0;
  let padding = 0;
  if (flags & Flag.PADDED) {
    if (payload.length < 1) return undefined;
    padding = payload[0]!;
    start = 1;
  }
  let priority: Buffer | undefined;
  if (flags & Flag.PRIORITY) {
    if (payload.length < start + 5) return undefined;
    priority = payload.subarray(start, start + 5);
    start += 5;
  }
  if (start + padding > payload.length) return undefined;
  return { priority, fragment: payload.subarray(start, payload.length - padding) };
}

/**
 * A header block as one HEADERS frame and as many CONTINUATION frames as it takes, none
 * longer than `maxFrameSize`. Keeps END_STREAM and the priority fields; drops padding.
 */
export function headerBlockFrames(
  streamId: number,
  headersFlags: number,
  priority: Buffer | undefined,
  block: Buffer,
  maxFrameSize = MIN_MAX_FRAME_SIZE,
): Buffer {
  const frames: Buffer[] = [];
  const prefix = priority ?? Buffer.alloc(0);
  let flags = headersFlags & (Flag.END_STREAM | Flag.PRIORITY);
  let offset = Math.min(block.length, maxFrameSize - prefix.length);
  if (offset === block.length) flags |= Flag.END_HEADERS;
  frames.push(frame(FrameType.HEADERS, flags, streamId, Buffer.concat([prefix, block.subarray(0, offset)])));
  while (offset < block.length) {
    const end = Math.min(block.length, offset + maxFrameSize);
    const last = end === block.length;
    frames.push(
      frame(FrameType.CONTINUATION, last ? Flag.END_HEADERS : 0, streamId, block.subarray(offset, end)),
    );
    offset = end;
  }
  return Buffer.concat(frames);
}
