// Helpers for tests that speak raw HTTP/2 and HPACK: an HPACK encoder for hand-made header
// blocks and a frame reader for a socket. Not part of the module's public face.
import type net from "node:net";
import { FRAME_HEADER_LENGTH, type FrameHeader, readFrameHeader } from "./h2-frames.js";
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
