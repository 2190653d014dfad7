// gRPC's length-prefixed messages: 1 byte compressed flag, 4 bytes big-endian length, body.
import assert from "node:assert";

export const frameHeaderBytes = 5;

/** Receives what a FrameDecoder finds in the byte stream. */
export interface FrameSink {
  onFrame(compressed: boolean, body: Buffer): void;
  /** A frame announced a body longer than the decoder's limit; decoding has stopped. */
  onFrameTooLarge(length: number): void;
}

/**
 * Splits a stream of DATA chunks into messages. A message inside one chunk is passed on as a
 * view of that chunk (no copy); one spread over chunks is assembled with a single copy.
 */
export class FrameDecoder {
  readonly #maxLength: number;
  // Only needed when a frame header is split across chunks (rare): allocated then.
  #header: Buffer | undefined;
  #headerFilled = 0;
  #body: Buffer | undefined;
  #bodyFilled = 0;
  #compressed = false;
  #stopped = false;

  constructor(maxLength: number) {
    assert(maxLength >= 0);
    this.#maxLength = maxLength;
  }

  /** True while a message has begun but not ended (the stream ended mid-message if so). */
  get partial(): boolean {
    return this.#headerFilled > 0 || this.#body !== undefined;
  }

  /** Ignore everything from now on (the call has ended). */
  stop(): void {
    this.#stopped = true;
    this.#body = undefined;
  }

  push(chunk: Buffer, sink: FrameSink): void {
    let pos = 0;
    const end = chunk.length;
    while (pos < end && !this.#stopped) {
      if (this.#body !== undefined) {
        const want = this.#body.length - this.#bodyFilled;
        const take = Math.min(want, end - pos);
        chunk.copy(this.#body, this.#bodyFilled, pos, pos + take);
        this.#bodyFilled += take;
        pos += take;
        if (this.#bodyFilled === this.#body.length) {
          const body = this.#body;
          this.#body = undefined;
          sink.onFrame(this.#compressed, body);
        }
        continue;
      }
      let length: number;
      if (this.#headerFilled === 0 && end - pos >= frameHeaderBytes) {
        this.#compressed = chunk[pos] !== 0;
        length = chunk.readUInt32BE(pos + 1);
        pos += frameHeaderBytes;
      } else {
        if (this.#header === undefined) this.#header = Buffer.allocUnsafe(frameHeaderBytes);
        const header = this.#header;
        const take = Math.min(frameHeaderBytes - this.#headerFilled, end - pos);
        chunk.copy(header, this.#headerFilled, pos, pos + take);
        this.#headerFilled += take;
        pos += take;
        if (this.#headerFilled < frameHeaderBytes) return;
        this.#headerFilled = 0;
        this.#compressed = header[0] !== 0;
        length = header.readUInt32BE(1);
      }
      if (length > this.#maxLength) {
        this.stop();
        sink.onFrameTooLarge(length);
        return;
      }
      if (end - pos >= length) {
        const body = chunk.subarray(pos, pos + length);
        pos += length;
        sink.onFrame(this.#compressed, body);
      } else {
        this.#body = Buffer.allocUnsafe(length);
        this.#bodyFilled = 0;
      }
    }
  }
}

/** A message body framed for the wire (one new buffer: header and body). */
export function frame(body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(frameHeaderBytes + body.length);
  out[0] = 0;
  out.writeUInt32BE(body.length, 1);
  out.set(body, frameHeaderBytes);
  return out;
}
