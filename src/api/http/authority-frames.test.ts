import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { AuthorityFrameRewriter, type FrameRewriterOptions } from "./authority-frames.js";
import { CLIENT_PREFACE, EMPTY_SETTINGS, Flag, FrameType, frame, MIN_MAX_FRAME_SIZE } from "./h2-frames.js";
import { indexed, literal, type ReceivedFrame, splitFrames } from "./h2-testing.js";
import { HpackDecoder } from "./hpack.js";

const url = "http://127.0.0.1:2379";
const request = (authority: string, extra: Buffer[] = []): Buffer =>
  Buffer.concat([
    indexed(3),
    indexed(6),
    literal(4, "/etcdserverpb.KV/Range"),
    literal(1, authority, "incremental"),
    ...extra,
  ]);

const settingsAck = frame(FrameType.SETTINGS, Flag.ACK, 0, Buffer.alloc(0));
const data = (streamId: number, text: string, flags = 0): Buffer =>
  frame(FrameType.DATA, flags, streamId, Buffer.from(text));
const windowUpdate = frame(FrameType.WINDOW_UPDATE, 0, 0, Buffer.from([0, 1, 0, 0]));
const ping = frame(FrameType.PING, 0, 0, Buffer.alloc(8, 7));

/** HEADERS with padding and priority fields: both must be understood, priority kept. */
function paddedHeaders(streamId: number, block: Buffer): Buffer {
  const priority = Buffer.from([0x80, 0, 0, 1, 200]); // exclusive on stream 1, weight 201
  const payload = Buffer.concat([Buffer.from([3]), priority, block, Buffer.alloc(3)]);
  return frame(
    FrameType.HEADERS,
    Flag.END_HEADERS | Flag.PADDED | Flag.PRIORITY | Flag.END_STREAM,
    streamId,
    payload,
  );
}

/** A client's stream of bytes: two requests, one padded, one split into HEADERS + CONTINUATION. */
function clientBytes(): Buffer {
  const second = request(url, [literal("x-meta", "v".repeat(30))]);
  return Buffer.concat([
    CLIENT_PREFACE,
    EMPTY_SETTINGS,
    windowUpdate,
    frame(FrameType.HEADERS, Flag.END_HEADERS, 1, request(url)),
    data(1, "hello", Flag.END_STREAM),
    ping,
    paddedHeaders(3, request(url)),
    frame(FrameType.HEADERS, 0, 5, second.subarray(0, 10)),
    frame(FrameType.CONTINUATION, 0, 5, second.subarray(10, 20)),
    frame(FrameType.CONTINUATION, Flag.END_HEADERS, 5, second.subarray(20)),
    data(5, "world", Flag.END_STREAM),
  ]);
}

function run(chunks: Buffer[], options: FrameRewriterOptions = {}): Buffer {
  const rewriter = new AuthorityFrameRewriter(options);
  const out: Buffer[] = [];
  for (const chunk of chunks) {
    const bytes = rewriter.feed(chunk);
    if (bytes !== undefined) out.push(bytes);
  }
  const rest = rewriter.flush();
  if (rest !== undefined) out.push(rest);
  return Buffer.concat(out);
}

/** Header blocks of the output, reassembled and decoded as the server would. */
function serverView(frames: ReceivedFrame[]): { streamId: number; headers: [string, string][] }[] {
  const decoder = new HpackDecoder();
  const blocks: { streamId: number; headers: [string, string][] }[] = [];
  let parts: Buffer[] = [];
  for (const f of frames) {
    if (f.type !== FrameType.HEADERS && f.type !== FrameType.CONTINUATION) continue;
    assert.ok(f.length <= MIN_MAX_FRAME_SIZE);
    parts.push(f.type === FrameType.HEADERS && f.flags & Flag.PRIORITY ? f.payload.subarray(5) : f.payload);
    if (f.flags & Flag.END_HEADERS) {
      const headers = decoder
        .decode(Buffer.concat(parts))
        .map((h) => [h.name.toString(), h.value.toString()] as [string, string]);
      blocks.push({ streamId: f.streamId, headers });
      parts = [];
    }
  }
  return blocks;
}

describe("authority frame rewriter", () => {
  test("authority frames - header blocks are rewritten, every other frame passes byte for byte", () => {
    const originals: [number, string][] = [];
    const out = run([clientBytes()], { onOriginals: (id, o) => originals.push([id, o[0]![1]]) });
    assert.deepEqual(out.subarray(0, CLIENT_PREFACE.length), CLIENT_PREFACE);
    const frames = splitFrames(out, CLIENT_PREFACE.length);
    const input = splitFrames(clientBytes(), CLIENT_PREFACE.length);
    const others = (fs: ReceivedFrame[]) =>
      fs.filter((f) => f.type !== FrameType.HEADERS && f.type !== FrameType.CONTINUATION);
    assert.deepEqual(others(frames), others(input));
    const blocks = serverView(frames);
    assert.deepEqual(
      blocks.map((b) => [b.streamId, b.headers.find(([n]) => n === ":authority")![1]]),
      [
        [1, "http:__127.0.0.1:2379"],
        [3, "http:__127.0.0.1:2379"],
        [5, "http:__127.0.0.1:2379"],
      ],
    );
    assert.deepEqual(blocks[2]!.headers.at(-1), ["x-meta", "v".repeat(30)]);
    assert.deepEqual(originals, [
      [1, url],
      [3, url],
      [5, url],
    ]);
    // The padded HEADERS lost its padding but kept its priority fields and END_STREAM.
    const padded = frames.find((f) => f.type === FrameType.HEADERS && f.streamId === 3)!;
    assert.equal(padded.flags, Flag.END_HEADERS | Flag.PRIORITY | Flag.END_STREAM);
    assert.deepEqual(padded.payload.subarray(0, 5), Buffer.from([0x80, 0, 0, 1, 200]));
    // The split block came back as one frame.
    assert.equal(frames.filter((f) => f.type === FrameType.CONTINUATION).length, 0);
  });

  test("authority frames - however the bytes are chunked, the output is the same", () => {
    const bytes = clientBytes();
    const whole = run([bytes]);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 30 }),
        (cuts) => {
          const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
          const chunks = points.slice(1).map((end, i) => bytes.subarray(points[i], end));
          assert.deepEqual(run(chunks), whole);
        },
      ),
    );
    // One octet at a time, too.
    assert.deepEqual(run([...bytes].map((b) => Buffer.from([b]))), whole);
  });

  test("authority frames - a connection needing no rewrite comes out as it went in", () => {
    const bytes = Buffer.concat([
      CLIENT_PREFACE,
      EMPTY_SETTINGS,
      frame(FrameType.HEADERS, Flag.END_HEADERS, 1, request("127.0.0.1:2379")),
      data(1, "x"),
    ]);
    assert.deepEqual(run([bytes]), bytes);
    const rewriter = new AuthorityFrameRewriter();
    assert.equal(rewriter.feed(bytes)?.buffer, bytes.buffer, "forwarded as a view, not a copy");
  });

  test("authority frames - a rewritten block too big for one frame is split at 16384 octets", () => {
    const block = request(url, [literal("x-big", "b".repeat(40000))]);
    const bytes = Buffer.concat([
      CLIENT_PREFACE,
      frame(FrameType.HEADERS, Flag.END_STREAM, 1, block.subarray(0, 16000)),
      frame(FrameType.CONTINUATION, 0, 1, block.subarray(16000, 32000)),
      frame(FrameType.CONTINUATION, Flag.END_HEADERS, 1, block.subarray(32000)),
    ]);
    const frames = splitFrames(run([bytes]), CLIENT_PREFACE.length);
    assert.deepEqual(
      frames.map((f) => [f.type, f.flags, f.length]),
      [
        [FrameType.HEADERS, Flag.END_STREAM, 16384],
        [FrameType.CONTINUATION, 0, 16384],
        [FrameType.CONTINUATION, Flag.END_HEADERS, block.length - 2 * 16384],
      ],
    );
    assert.equal(serverView(frames)[0]!.headers[3]![1], "http:__127.0.0.1:2379");
  });

  test("authority frames - the first SETTINGS ACK is dropped when asked, later ones kept", () => {
    const bytes = Buffer.concat([CLIENT_PREFACE, EMPTY_SETTINGS, settingsAck, ping, settingsAck]);
    const frames = splitFrames(run([bytes], { dropSettingsAck: true }), CLIENT_PREFACE.length);
    assert.deepEqual(
      frames.map((f) => [f.type, f.flags]),
      [
        [FrameType.SETTINGS, 0],
        [FrameType.PING, 0],
        [FrameType.SETTINGS, Flag.ACK],
      ],
    );
    assert.deepEqual(run([bytes]), bytes);
  });

  test("authority frames - an undecodable block stops rewriting: the rest goes as received", () => {
    const garbage = frame(FrameType.HEADERS, Flag.END_HEADERS, 3, Buffer.from([0x80])); // index 0
    const later = frame(FrameType.HEADERS, Flag.END_HEADERS, 5, request(url));
    const head = Buffer.concat([CLIENT_PREFACE, frame(FrameType.HEADERS, Flag.END_HEADERS, 1, request(url))]);
    const rewriter = new AuthorityFrameRewriter();
    const first = rewriter.feed(head)!;
    assert.ok(first.includes(Buffer.from("http:__")));
    assert.deepEqual(rewriter.feed(Buffer.concat([garbage, later])), Buffer.concat([garbage, later]));
    assert.equal(rewriter.rewriting, false);
  });

  test("authority frames - a frame inside a header block stops rewriting, order kept", () => {
    const block = request(url);
    const bytes = Buffer.concat([
      CLIENT_PREFACE,
      frame(FrameType.HEADERS, 0, 1, block.subarray(0, 5)),
      data(1, "x"),
      frame(FrameType.CONTINUATION, Flag.END_HEADERS, 1, block.subarray(5)),
    ]);
    assert.deepEqual(run([bytes]), bytes);
  });

  test("authority frames - bytes held at the end are given back as received", () => {
    const bytes = Buffer.concat([CLIENT_PREFACE, frame(FrameType.HEADERS, 0, 1, request(url))]);
    for (const cut of [CLIENT_PREFACE.length + 4, bytes.length - 3, bytes.length]) {
      assert.deepEqual(run([bytes.subarray(0, cut)]), bytes.subarray(0, cut));
    }
  });
});
