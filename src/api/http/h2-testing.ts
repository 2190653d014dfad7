// Helpers for tests that speak raw HTTP/2 and HPACK: an HPACK encoder for hand-made header
// blocks and a frame reader for a socket. Not part of the module's public face.
import type net from "node:net";
import { FRAME_HEADER_LENGTH, type FrameHeader, FrameType, frame, readFrameHeader } from "./h2-frames.js";
import { huffmanEncode } from "./hpack-huffman.js";

export function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ""), "hex");
}

/** An HPACK integer with an N-bit prefix, the prefix's other bits set from `flags`. */
export function hpackInteger(value: number, prefixBits: number, flags = 0): Buffer {
  const max = (1 << prefixBits) - 1;
  if (value < max) return Buffer.from([flags | value]);
  const out = [flags | max];
  let rest = value - max;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return Buffer.from(out);
}

export function hpackString(value: string | Buffer, huffman = false): Buffer {
  const raw = typeof value === "string" ? Buffer.from(value, "latin1") : value;
  const bytes = huffman ? huffmanEncode(raw) : raw;
  return Buffer.concat([hpackInteger(bytes.length, 7, huffman ? 0x80 : 0), bytes]);
}

export function indexed(index: number): Buffer {
  return hpackInteger(index, 7, 0x80);
}

export type LiteralKind = "incremental" | "without-indexing" | "never-indexed";

/** A literal field; `name` is a literal name or a table index. */
export function literal(
  name: string | number,
  value: string,
  kind: LiteralKind = "without-indexing",
  huffman = false,
): Buffer {
  const [bits, flags] = kind === "incremental" ? [6, 0x40] : kind === "never-indexed" ? [4, 0x10] : [4, 0];
  const head = hpackInteger(typeof name === "number" ? name : 0, bits, flags);
  const nameLiteral = typeof name === "number" ? Buffer.alloc(0) : hpackString(name, huffman);
  return Buffer.concat([head, nameLiteral, hpackString(value, huffman)]);
}

export function sizeUpdate(size: number): Buffer {
  return hpackInteger(size, 5, 0x20);
}

export interface ReceivedFrame extends FrameHeader {
  readonly payload: Buffer;
}

/** Calls back with each frame the socket receives. */
export function onFrames(socket: net.Socket, callback: (frame: ReceivedFrame) => void): void {
  let buffered = Buffer.alloc(0);
  socket.on("data", (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= FRAME_HEADER_LENGTH) {
      const header = readFrameHeader(buffered);
      const end = FRAME_HEADER_LENGTH + header.length;
      if (buffered.length < end) break;
      callback({ ...header, payload: buffered.subarray(FRAME_HEADER_LENGTH, end) });
      buffered = buffered.subarray(end);
    }
  });
}

/** Splits a byte string into frames (after an optional client preface). */
export function splitFrames(bytes: Buffer, skip = 0): ReceivedFrame[] {
  const frames: ReceivedFrame[] = [];
  let pos = skip;
  while (pos < bytes.length) {
    const header = readFrameHeader(bytes, pos);
    const end = pos + FRAME_HEADER_LENGTH + header.length;
    frames.push({ ...header, payload: bytes.subarray(pos + FRAME_HEADER_LENGTH, end) });
    pos = end;
  }
  return frames;
}

/** A SETTINGS frame (not an ACK) carrying `entries` as (identifier, value) pairs. */
export function settingsFrame(entries: readonly (readonly [number, number])[] = []): Buffer {
  const payload = Buffer.alloc(entries.length * 6);
  entries.forEach(([id, value], i) => {
    payload.writeUInt16BE(id, i * 6);
    payload.writeUInt32BE(value, i * 6 + 2);
  });
  return frame(FrameType.SETTINGS, 0, 0, payload);
}

/** The (identifier, value) pairs of a SETTINGS payload. */
export function settingsEntries(payload: Buffer): [number, number][] {
  const entries: [number, number][] = [];
  for (let i = 0; i + 6 <= payload.length; i += 6)
    entries.push([payload.readUInt16BE(i), payload.readUInt32BE(i + 2)]);
  return entries;
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
}

export function windowUpdateFrame(streamId: number, increment: number): Buffer {
  return frame(FrameType.WINDOW_UPDATE, 0, streamId, u32(increment));
}

export function rstStreamFrame(streamId: number, code: number): Buffer {
  return frame(FrameType.RST_STREAM, 0, streamId, u32(code));
}

export function goawayFrame(lastStreamId: number, code: number): Buffer {
  return frame(FrameType.GOAWAY, 0, 0, Buffer.concat([u32(lastStreamId), u32(code)]));
}

/** The fields of a GOAWAY payload. */
export function goawayFields(payload: Buffer): { lastStreamId: number; code: number; debug: string } {
  return {
    lastStreamId: payload.readUInt32BE(0) & 0x7fffffff,
    code: payload.readUInt32BE(4),
    debug: payload.subarray(8).toString(),
  };
}
