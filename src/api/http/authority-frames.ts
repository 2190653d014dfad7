// The client-to-server byte stream of one HTTP/2 connection, rewritten so nghttp2 accepts
// its :authority values: frames pass through untouched except header blocks, which go
// through an AuthorityRewriter and, when it changed them, are framed anew.
//
// Anything this cannot make sense of (a header block that does not decode, frames out of
// order, an oversized block) is forwarded as received and rewriting stops for the rest of
// the connection: nghttp2 then judges those bytes exactly as if we were not here.
import { AuthorityRewriter } from "./authority-rewriter.js";
import {
  CLIENT_PREFACE,
  Flag,
  FRAME_HEADER_LENGTH,
  FrameType,
  headerBlockFrames,
  parseHeadersPayload,
  readFrameHeader,
} from "./h2-frames.js";
import { HpackError } from "./hpack.js";

export interface FrameRewriterOptions {
  /** Drop the client's first SETTINGS ACK: it answers a SETTINGS the server never sent. */
  dropSettingsAck?: boolean;
  /** The server's SETTINGS_HEADER_TABLE_SIZE (node's default 4096). */
  settingsMaxSize?: number;
  /** A header block larger than this is forwarded unread (rewriting stops). */
  maxHeaderBlock?: number;
  /** Told the values a stream's header block carried before they were sanitized. */
  onOriginals?: (streamId: number, originals: readonly (readonly [string, string])[]) => void;
}

interface OpenBlock {
  readonly streamId: number;
  readonly flags: number;
  readonly priority: Buffer | undefined;
  /** The frames as received, to forward unchanged if the block needs no rewriting. */
  readonly frames: Buffer[];
  readonly fragments: Buffer[];
  size: number;
}

export class AuthorityFrameRewriter {
  #rewriter: AuthorityRewriter | undefined;
  #dropSettingsAck: boolean;
  readonly #maxHeaderBlock: number;
  readonly #onOriginals: FrameRewriterOptions["onOriginals"];

  #prefaceLeft = CLIENT_PREFACE.length;
  /** Payload octets of a forwarded frame still to come. */
  #passLeft = 0;
  /** A frame header split across chunks. */
  readonly #head = Buffer.alloc(FRAME_HEADER_LENGTH);
  #headLength = 0;
  /** A header-block frame split across chunks, and how much of it has arrived. */
  #frame: Buffer | undefined;
  #frameFill = 0;
  #block: OpenBlock | undefined;

  // Output of the current feed(): whole buffers, and a run of the chunk being fed that is
  // forwarded as one view rather than copied.
  #out: Buffer[] = [];
  #chunk: Buffer = Buffer.alloc(0);
  #runStart = -1;
  #runEnd = -1;

  constructor(options: FrameRewriterOptions = {}) {
    this.#rewriter = new AuthorityRewriter(options.settingsMaxSize);
    this.#dropSettingsAck = options.dropSettingsAck ?? false;
    this.#maxHeaderBlock = options.maxHeaderBlock ?? 256 * 1024;
    this.#onOriginals = options.onOriginals;
  }

  /** False once rewriting stopped. */
  get rewriting(): boolean {
    return this.#rewriter !== undefined;
  }

  /** Takes the next bytes from the client; returns those to give the server now. */
  feed(chunk: Buffer): Buffer | undefined {
    this.#chunk = chunk;
    const n = chunk.length;
    let pos = 0;
    while (pos < n) {
      if (this.#prefaceLeft > 0 || this.#passLeft > 0) {
        const preface = this.#prefaceLeft > 0;
        const k = Math.min(preface ? this.#prefaceLeft : this.#passLeft, n - pos);
        this.#emitRange(pos, pos + k);
        pos += k;
        if (preface) this.#prefaceLeft -= k;
        else this.#passLeft -= k;
        continue;
      }
      if (this.#frame !== undefined) {
        const k = Math.min(this.#frame.length - this.#frameFill, n - pos);
        chunk.copy(this.#frame, this.#frameFill, pos, pos + k);
        this.#frameFill += k;
        pos += k;
        if (this.#frameFill === this.#frame.length) {
          const frame = this.#frame;
          this.#frame = undefined;
          this.#onHeaderFrame(frame);
        }
        continue;
      }
      // A frame header: straight from the chunk, or gathered across chunks.
      let headAt = -1;
      if (this.#headLength === 0 && n - pos >= FRAME_HEADER_LENGTH) {
        headAt = pos;
        pos += FRAME_HEADER_LENGTH;
      } else {
        const k = Math.min(FRAME_HEADER_LENGTH - this.#headLength, n - pos);
        chunk.copy(this.#head, this.#headLength, pos, pos + k);
        this.#headLength += k;
        pos += k;
        if (this.#headLength < FRAME_HEADER_LENGTH) continue;
        this.#headLength = 0;
      }
      const head = headAt >= 0 ? chunk.subarray(headAt, headAt + FRAME_HEADER_LENGTH) : this.#head;
      const { length, type, flags } = readFrameHeader(head);

      // Nothing but CONTINUATIONs may come between a HEADERS and its END_HEADERS.
      if (this.#block !== undefined && type !== FrameType.CONTINUATION) this.#stopRewriting();
      // A client never sends PUSH_PROMISE; nghttp2 will end the connection.
      if (type === FrameType.PUSH_PROMISE) this.#stopRewriting();

      if ((type === FrameType.HEADERS || type === FrameType.CONTINUATION) && this.#rewriter !== undefined) {
        if (length > this.#maxHeaderBlock) {
          this.#stopRewriting();
        } else if (headAt >= 0 && n - pos >= length) {
          pos += length;
          this.#onHeaderFrame(chunk.subarray(headAt, pos));
          continue;
        } else {
          this.#frame = Buffer.allocUnsafe(FRAME_HEADER_LENGTH + length);
          head.copy(this.#frame);
          this.#frameFill = FRAME_HEADER_LENGTH;
          continue;
        }
      }
      if (this.#dropSettingsAck && type === FrameType.SETTINGS && flags & Flag.ACK && length === 0) {
        this.#dropSettingsAck = false;
        continue;
      }
      if (headAt >= 0) this.#emitRange(headAt, headAt + FRAME_HEADER_LENGTH);
      else this.#emit(Buffer.from(this.#head));
      this.#passLeft = length;
    }
    return this.#takeOutput();
  }

  /** The client is done sending: returns whatever is still held, as received. */
  flush(): Buffer | undefined {
    this.#chunk = Buffer.alloc(0);
    this.#stopRewriting();
    if (this.#headLength > 0) this.#emit(Buffer.from(this.#head.subarray(0, this.#headLength)));
    if (this.#frame !== undefined) this.#emit(this.#frame.subarray(0, this.#frameFill));
    this.#headLength = 0;
    this.#frame = undefined;
    return this.#takeOutput();
  }

  #onHeaderFrame(frame: Buffer): void {
    const { type, flags, streamId } = readFrameHeader(frame);
    const payload = frame.subarray(FRAME_HEADER_LENGTH);
    const block = this.#block;
    if (type === FrameType.HEADERS) {
      const parsed = parseHeadersPayload(flags, payload);
      if (parsed === undefined) {
        this.#stopRewriting();
        this.#emit(frame);
        return;
      }
      this.#block = {
        streamId,
        flags,
        priority: parsed.priority,
        frames: [frame],
        fragments: [parsed.fragment],
        size: parsed.fragment.length,
      };
    } else if (block === undefined || block.streamId !== streamId) {
      this.#stopRewriting();
      this.#emit(frame);
      return;
    } else {
      block.frames.push(frame);
      block.fragments.push(payload);
      block.size += payload.length;
    }
    if (this.#block!.size > this.#maxHeaderBlock) this.#stopRewriting();
    else if (flags & Flag.END_HEADERS) this.#finishBlock();
  }

  #finishBlock(): void {
    const block = this.#block!;
    const rewriter = this.#rewriter!;
    this.#block = undefined;
    const fragment = block.fragments.length === 1 ? block.fragments[0]! : Buffer.concat(block.fragments);
    let result: ReturnType<AuthorityRewriter["rewrite"]>;
    try {
      result = rewriter.rewrite(fragment);
    } catch (error) {
      if (!(error instanceof HpackError)) throw error;
      for (const frame of block.frames) this.#emit(frame);
      this.#stopRewriting();
      return;
    }
    if (result.originals.length > 0) this.#onOriginals?.(block.streamId, result.originals);
    if (result.block === fragment) {
      for (const frame of block.frames) this.#emit(frame);
    } else {
      this.#emit(headerBlockFrames(block.streamId, block.flags, block.priority, result.block));
    }
  }

  /** From now on everything passes as received; a block being gathered goes out as it came. */
  #stopRewriting(): void {
    this.#rewriter = undefined;
    if (this.#block !== undefined) for (const frame of this.#block.frames) this.#emit(frame);
    this.#block = undefined;
  }

  #emitRange(start: number, end: number): void {
    if (this.#runEnd === start) {
      this.#runEnd = end;
      return;
    }
    this.#flushRun();
    this.#runStart = start;
    this.#runEnd = end;
  }

  #emit(buf: Buffer): void {
    // A view into the chunk being fed joins the run instead: no copy when it is all forwarded.
    const chunk = this.#chunk;
    const start = buf.byteOffset - chunk.byteOffset;
    if (buf.buffer === chunk.buffer && start >= 0 && start + buf.length <= chunk.length) {
      this.#emitRange(start, start + buf.length);
      return;
    }
    this.#flushRun();
    if (buf.length > 0) this.#out.push(buf);
  }

  #flushRun(): void {
    if (this.#runEnd > this.#runStart) this.#out.push(this.#chunk.subarray(this.#runStart, this.#runEnd));
    this.#runStart = -1;
    this.#runEnd = -1;
  }

  #takeOutput(): Buffer | undefined {
    this.#flushRun();
    const out = this.#out;
    this.#out = [];
    this.#chunk = Buffer.alloc(0);
    return out.length === 0 ? undefined : out.length === 1 ? out[0] : Buffer.concat(out);
  }
}
