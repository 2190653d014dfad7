// H2Connection over a real loopback TCP connection: the client side is hand-made frames, and
// every assertion is on the frames the server sends. A "barrier" is a PING from the client:
// its ACK comes after everything the server wrote before it, so the frames read up to the
// ACK are all the server had to say (no waiting for silence).
import assert from "node:assert/strict";
import net from "node:net";
import { afterEach, describe, test } from "node:test";
import {
  type ConnectionObserver,
  H2Connection,
  type H2ConnectionOptions,
  H2ErrorCode,
  type H2ServerStream,
  type RequestHeaders,
} from "./h2-connection.js";
import { CLIENT_PREFACE, Flag, FrameType, frame } from "./h2-frames.js";
import {
  goawayFields,
  goawayFrame,
  indexed,
  literal,
  onFrames,
  type ReceivedFrame,
  rstStreamFrame,
  settingsEntries,
  settingsFrame,
  windowUpdateFrame,
} from "./h2-testing.js";
import { HpackDecoder } from "./hpack.js";
import { encodeHeaderBlock } from "./hpack-encoder.js";

const MAX_CONCURRENT_STREAMS = 0x3;
const INITIAL_WINDOW_SIZE = 0x4;
const MAX_FRAME_SIZE = 0x5;

const typeNames = Object.fromEntries(Object.entries(FrameType).map(([name, type]) => [type, name]));

/** A frame as one short line, for comparing sequences. */
function show(f: ReceivedFrame): string {
  const name = typeNames[f.type] ?? `type${f.type}`;
  switch (f.type) {
    case FrameType.DATA:
      return `DATA#${f.streamId} ${f.length}${f.flags & Flag.END_STREAM ? " end_stream" : ""}`;
    case FrameType.HEADERS:
    case FrameType.CONTINUATION:
      return `${name}#${f.streamId}${f.flags & Flag.END_HEADERS ? " end_headers" : ""}${
        f.type === FrameType.HEADERS && f.flags & Flag.END_STREAM ? " end_stream" : ""
      }`;
    case FrameType.RST_STREAM:
      return `RST_STREAM#${f.streamId} ${f.payload.readUInt32BE(0)}`;
    case FrameType.SETTINGS:
      return f.flags & Flag.ACK
        ? "SETTINGS ack"
        : `SETTINGS ${settingsEntries(f.payload)
            .map(([id, value]) => `${id}=${value}`)
            .join(",")}`;
    case FrameType.WINDOW_UPDATE:
      return `WINDOW_UPDATE#${f.streamId} +${f.payload.readUInt32BE(0)}`;
    case FrameType.PING:
      return f.flags & Flag.ACK ? "PING ack" : "PING";
    case FrameType.GOAWAY: {
      const g = goawayFields(f.payload);
      return `GOAWAY last=${g.lastStreamId} code=${g.code}`;
    }
    default:
      return `${name}#${f.streamId}`;
  }
}

const statusBlock = encodeHeaderBlock([
  [":status", "200"],
  ["content-type", "application/grpc"],
]);
const trailersBlock = encodeHeaderBlock([["grpc-status", "0"]]);

/** A POST request's header block, `extra` fields appended. */
function requestBlock(extra: Buffer[] = []): Buffer {
  return Buffer.concat([
    indexed(3), // :method POST
    indexed(6), // :scheme http
    literal(4, "/svc/Method"),
    literal(1, "localhost"),
    literal(31, "application/grpc"),
    ...extra,
  ]);
}

function headersFrame(streamId: number, flags: number = Flag.END_HEADERS, block = requestBlock()): Buffer {
  return frame(FrameType.HEADERS, flags, streamId, block);
}

function dataFrame(streamId: number, bytes: Buffer | string, flags = 0): Buffer {
  return frame(FrameType.DATA, flags, streamId, Buffer.from(bytes));
}

/** `length` octets that differ from position to position, so misplaced slices show. */
function pattern(length: number): Buffer {
  const b = Buffer.alloc(length);
  for (let i = 0; i < length; i++) b[i] = (i * 7 + 3) & 0xff;
  return b;
}

/** A stream as the test sees it: what arrived on it and what happened, in order. */
interface Opened {
  stream: H2ServerStream;
  headers: RequestHeaders;
  data: Buffer[];
  events: string[];
}

interface OpenOptions {
  connection?: Partial<Omit<H2ConnectionOptions, "onStream">>;
  /** The client's SETTINGS entries in its preface. */
  clientSettings?: [number, number][];
  /** Runs for each new stream once its record is kept (callbacks already set). */
  onStream?: (opened: Opened) => void;
  /** Send the client preface and SETTINGS and read the server's (default true). */
  handshake?: boolean;
}

class Peer {
  readonly opened: Opened[] = [];
  readonly decoder = new HpackDecoder();
  client!: net.Socket;
  conn!: H2Connection;
  /** The client saw the server end the connection. */
  ended = false;
  readonly #frames: ReceivedFrame[] = [];
  #wake: (() => void) | undefined;
  #gone = false;
  #pings = 0;
  #endedPromise!: Promise<void>;

  async start(options: OpenOptions): Promise<void> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const accepted = new Promise<net.Socket>((resolve) => server.once("connection", resolve));
    this.client = net.connect((server.address() as net.AddressInfo).port, "127.0.0.1");
    this.client.setNoDelay(true);
    this.client.on("error", () => {});
    onFrames(this.client, (f) => {
      this.#frames.push(f);
      this.#wake?.();
    });
    this.#endedPromise = new Promise((resolve) =>
      this.client.once("end", () => {
        this.ended = true;
        resolve();
      }),
    );
    this.client.once("close", () => {
      this.#gone = true;
      this.#wake?.();
    });
    const socket = await accepted;
    server.close();
    this.conn = new H2Connection(socket, {
      maxConcurrentStreams: 100,
      streamWindowBytes: 65535,
      connectionWindowBytes: 65535,
      ...options.connection,
      onStream: (stream, headers) => {
        const opened: Opened = { stream, headers, data: [], events: [] };
        stream.onData = (chunk) => {
          opened.data.push(Buffer.from(chunk));
          opened.events.push(`data ${chunk.length}`);
        };
        stream.onEnd = () => opened.events.push("end");
        stream.onClose = () => opened.events.push("close");
        this.opened.push(opened);
        options.onStream?.(opened);
      },
    });
    if (options.handshake ?? true) {
      this.send(CLIENT_PREFACE, settingsFrame(options.clientSettings));
      const preface = (await this.barrier()).map(show);
      assert.equal(preface[0]?.startsWith("SETTINGS "), true, preface.join("; "));
      assert.equal(preface.at(-1), "SETTINGS ack");
    }
  }

  send(...bytes: Buffer[]): void {
    this.client.write(Buffer.concat(bytes));
  }

  /** The next frame from the server; throws if the connection closes first. */
  async next(): Promise<ReceivedFrame> {
    for (;;) {
      const f = this.#frames.shift();
      if (f !== undefined) return f;
      if (this.#gone) throw new Error("connection closed while waiting for a frame");
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }

  /** Sends a PING; resolves with every frame the server sent before answering it. */
  async barrier(): Promise<ReceivedFrame[]> {
    const payload = Buffer.from(`barrier${String.fromCharCode(65 + (this.#pings++ % 26))}`);
    this.send(frame(FrameType.PING, 0, 0, payload));
    const before: ReceivedFrame[] = [];
    for (;;) {
      const f = await this.next();
      if (f.type === FrameType.PING && f.flags & Flag.ACK && f.payload.equals(payload)) return before;
      before.push(f);
    }
  }

  /** Reads frames up to a GOAWAY, which must carry `code`; then the connection must end. */
  async connectionError(code: number): Promise<{ lastStreamId: number; debug: string }> {
    let f = await this.next();
    while (f.type !== FrameType.GOAWAY) f = await this.next();
    const goaway = goawayFields(f.payload);
    assert.equal(goaway.code, code, `GOAWAY code ${goaway.code} (${goaway.debug}), expected ${code}`);
    await this.#endedPromise;
    await this.conn.closed;
    assert.equal(this.conn.destroyed, true);
    return goaway;
  }

  async serverEnded(): Promise<void> {
    await this.#endedPromise;
  }

  /** A header block from the server, decoded. */
  fields(...frames: ReceivedFrame[]): [string, string][] {
    return this.decoder
      .decode(Buffer.concat(frames.map((f) => f.payload)))
      .map((field) => [field.name.toString("latin1"), field.value.toString("latin1")]);
  }

  close(): void {
    this.client.destroy();
    this.conn?.destroy();
  }
}

/** Sends a whole response on a stream: headers, `body`, trailers. */
function respondWith(stream: H2ServerStream, body: Buffer): void {
  stream.respond(statusBlock, false);
  stream.write(body);
  stream.end(trailersBlock);
}

describe("h2 connection", { timeout: 20_000 }, () => {
  const peers: Peer[] = [];
  afterEach(() => {
    for (const peer of peers.splice(0)) peer.close();
  });

  async function open(options: OpenOptions = {}): Promise<Peer> {
    const peer = new Peer();
    peers.push(peer);
    await peer.start(options);
    return peer;
  }

  // ---- preface and settings -------------------------------------------------------------

  test("h2 connection - the server preface is SETTINGS with our values, then a connection WINDOW_UPDATE; the client's SETTINGS is ACKed", async () => {
    const peer = await open({
      handshake: false,
      connection: { maxConcurrentStreams: 7, streamWindowBytes: 1 << 20, connectionWindowBytes: 16 << 20 },
    });
    peer.send(CLIENT_PREFACE, settingsFrame([[INITIAL_WINDOW_SIZE, 1000]]));
    assert.deepEqual((await peer.barrier()).map(show), [
      `SETTINGS ${MAX_CONCURRENT_STREAMS}=7,${INITIAL_WINDOW_SIZE}=${1 << 20}`,
      `WINDOW_UPDATE#0 +${(16 << 20) - 65535}`,
      "SETTINGS ack",
    ]);
  });

  test("h2 connection - no MAX_CONCURRENT_STREAMS when unlimited, no WINDOW_UPDATE for a 65535 connection window", async () => {
    const peer = await open({ handshake: false, connection: { maxConcurrentStreams: 2 ** 32 - 1 } });
    peer.send(CLIENT_PREFACE, settingsFrame());
    assert.deepEqual((await peer.barrier()).map(show), [
      `SETTINGS ${INITIAL_WINDOW_SIZE}=65535`,
      "SETTINGS ack",
    ]);
    // A SETTINGS ACK from the client (for ours) is taken silently.
    peer.send(frame(FrameType.SETTINGS, Flag.ACK, 0, Buffer.alloc(0)));
    assert.deepEqual((await peer.barrier()).map(show), []);
  });

  for (const split of [CLIENT_PREFACE.length + 12, CLIENT_PREFACE.length, 10])
    test(`h2 connection - bytes given up front (${split} of them) count as if read from the socket`, async () => {
      // The client's preface, a SETTINGS shrinking our send window to 10, and a request.
      const bytes = Buffer.concat([
        CLIENT_PREFACE,
        settingsFrame([[INITIAL_WINDOW_SIZE, 10]]),
        headersFrame(1, Flag.END_HEADERS | Flag.END_STREAM),
      ]);
      const peer = await open({
        handshake: false,
        connection: { initial: bytes.subarray(0, split) },
        onStream: ({ stream }) => respondWith(stream, pattern(100)),
      });
      peer.send(bytes.subarray(split));
      const frames = await peer.barrier();
      assert.deepEqual(frames.map(show), [
        `SETTINGS ${MAX_CONCURRENT_STREAMS}=100,${INITIAL_WINDOW_SIZE}=65535`,
        "SETTINGS ack",
        "HEADERS#1 end_headers",
        "DATA#1 10", // the SETTINGS was applied
      ]);
      assert.equal(peer.opened[0]?.headers[":path"], "/svc/Method");
    });

  test("h2 connection - a client preface that is not HTTP/2 is a PROTOCOL_ERROR", async () => {
    const peer = await open({ handshake: false });
    peer.send(Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    await peer.connectionError(H2ErrorCode.PROTOCOL_ERROR);
  });

  // ---- requests and responses -------------------------------------------------------------

  test("h2 connection - a request reaches onStream with decoded headers, its body through onData, then onEnd; the response is HEADERS, DATA, trailers with END_STREAM", async () => {
    const peer = await open({
      onStream: (opened) => {
        opened.stream.onEnd = () => {
          opened.events.push("end");
          respondWith(opened.stream, Buffer.from("response body"));
        };
      },
    });
    const block = requestBlock([
      literal("x-rep", "1"),
      literal(32, "a=1"), // cookie
      literal("x-rep", "2"),
      literal(32, "b=2"),
      literal("x-rep", "3"),
      literal("x-one", "only"),
    ]);
    peer.send(
      headersFrame(1, Flag.END_HEADERS, block),
      dataFrame(1, "hel"),
      dataFrame(1, "lo, "),
      dataFrame(1, "world", Flag.END_STREAM),
    );
    const headers = await peer.next();
    const body = await peer.next();
    const trailers = await peer.next();
    assert.deepEqual([headers, body, trailers].map(show), [
      "HEADERS#1 end_headers",
      "DATA#1 13",
      "HEADERS#1 end_headers end_stream",
    ]);
    assert.deepEqual(peer.fields(headers), [
      [":status", "200"],
      ["content-type", "application/grpc"],
    ]);
    assert.equal(body.payload.toString(), "response body");
    assert.deepEqual(peer.fields(trailers), [["grpc-status", "0"]]);
    // Both sides ended: the stream closes with no RST_STREAM.
    assert.deepEqual((await peer.barrier()).map(show), []);

    const [opened] = peer.opened;
    assert.equal(peer.opened.length, 1);
    assert.equal(opened!.stream.id, 1);
    assert.deepEqual(opened!.headers, {
      ":method": "POST",
      ":scheme": "http",
      ":path": "/svc/Method",
      ":authority": "localhost",
      "content-type": "application/grpc",
      "x-rep": ["1", "2", "3"],
      cookie: ["a=1", "b=2"],
      "x-one": "only",
    });
    assert.equal(Buffer.concat(opened!.data).toString(), "hello, world");
    assert.deepEqual(opened!.events, ["data 3", "data 4", "data 5", "end", "close"]);
    assert.equal(opened!.stream.closed, true);
  });

  test("h2 connection - a header block split over HEADERS and two CONTINUATIONs is decoded", async () => {
    const peer = await open();
    const block = requestBlock([literal("x-long", "v".repeat(300))]);
    const a = block.subarray(0, 5);
    const b = block.subarray(5, 40);
    const c = block.subarray(40);
    peer.send(
      frame(FrameType.HEADERS, Flag.END_STREAM, 1, a),
      frame(FrameType.CONTINUATION, 0, 1, b),
      frame(FrameType.CONTINUATION, Flag.END_HEADERS, 1, c),
    );
    assert.deepEqual((await peer.barrier()).map(show), []);
    assert.equal(peer.opened.length, 1);
    assert.equal(peer.opened[0]!.headers[":path"], "/svc/Method");
    assert.equal(peer.opened[0]!.headers["x-long"], "v".repeat(300));
    assert.deepEqual(peer.opened[0]!.events, ["end"]); // END_STREAM was on the HEADERS frame
  });

  test("h2 connection - a frame other than CONTINUATION inside a header block is a PROTOCOL_ERROR", async () => {
    const peer = await open();
    const block = requestBlock();
    peer.send(
      frame(FrameType.HEADERS, 0, 1, block.subarray(0, 4)),
      frame(FrameType.CONTINUATION, 0, 1, block.subarray(4, 8)),
      dataFrame(1, "x"),
    );
    await peer.connectionError(H2ErrorCode.PROTOCOL_ERROR);
    assert.equal(peer.opened.length, 0);
  });

  test("h2 connection - a CONTINUATION for another stream than the HEADERS is a PROTOCOL_ERROR", async () => {
    const peer = await open();
    const block = requestBlock();
    peer.send(
      frame(FrameType.HEADERS, 0, 1, block.subarray(0, 4)),
      frame(FrameType.CONTINUATION, Flag.END_HEADERS, 3, block.subarray(4)),
    );
    await peer.connectionError(H2ErrorCode.PROTOCOL_ERROR);
  });

  // ---- connection errors --------------------------------------------------------------------

  test("h2 connection - an undecodable header block is a COMPRESSION_ERROR", async () => {
    const peer = await open();
    peer.send(headersFrame(1, Flag.END_HEADERS, Buffer.concat([indexed(3), indexed(70)]))); // no dynamic entry 70
    await peer.connectionError(H2ErrorCode.COMPRESSION_ERROR);
    assert.equal(peer.opened.length, 0);
  });

  test("h2 connection - a frame longer than 16384 octets is a FRAME_SIZE_ERROR", async () => {
    const peer = await open();
    const head = Buffer.alloc(9);
    head.writeUIntBE(16385, 0, 3);
    head[3] = FrameType.DATA;
    head.writeUInt32BE(1, 5);
    peer.send(head); // the header alone is enough: the length is checked before the payload comes
    await peer.connectionError(H2ErrorCode.FRAME_SIZE_ERROR);
  });

  test("h2 connection - a frame of exactly 16384 octets is accepted", async () => {
    const peer = await open();
    peer.send(headersFrame(1), dataFrame(1, pattern(16384), Flag.END_STREAM));
    assert.deepEqual((await peer.barrier()).map(show), []);
    assert.deepEqual(Buffer.concat(peer.opened[0]!.data), pattern(16384));
  });

  test("h2 connection - HEADERS on an even (server) stream id is a PROTOCOL_ERROR", async () => {
    const peer = await open();
    peer.send(headersFrame(2));
    await peer.connectionError(H2ErrorCode.PROTOCOL_ERROR);
    assert.equal(peer.opened.length, 0);
  });

  test("h2 connection - HEADERS opening a stream id lower than one already used is a STREAM_CLOSED error", async () => {
    const peer = await open();
    peer.send(headersFrame(3));
    assert.deepEqual((await peer.barrier()).map(show), []);
    assert.equal(peer.opened.length, 1);
    peer.send(headersFrame(1));
    const goaway = await peer.connectionError(H2ErrorCode.STREAM_CLOSED);
    assert.equal(goaway.lastStreamId, 3);
    assert.equal(peer.opened.length, 1);
    assert.deepEqual(peer.opened[0]!.events, ["close"]); // the open stream is gone with the connection
  });

  test("h2 connection - PUSH_PROMISE from a client is a PROTOCOL_ERROR", async () => {
    const peer = await open();
    peer.send(frame(FrameType.PUSH_PROMISE, Flag.END_HEADERS, 1, Buffer.from([0, 0, 0, 2, 0x82])));
    await peer.connectionError(H2ErrorCode.PROTOCOL_ERROR);
  });

  test("h2 connection - goawayAndClose sends GOAWAY with the code and debug data, then ends the connection", async () => {
    const peer = await open();
    peer.send(headersFrame(1));
    await peer.barrier();
    peer.conn.goawayAndClose(H2ErrorCode.ENHANCE_YOUR_CALM, "too_many_pings");
    const goaway = await peer.connectionError(H2ErrorCode.ENHANCE_YOUR_CALM);
    assert.deepEqual(goaway, {
      lastStreamId: 1,
      code: H2ErrorCode.ENHANCE_YOUR_CALM,
      debug: "too_many_pings",
    });
  });

  // ---- flow control, sending ----------------------------------------------------------------

  test("h2 connection - with the client's stream window at 10, a 100-octet body goes out 10 octets at a time as WINDOW_UPDATEs come, then the trailers", async () => {
    const body = pattern(100);
    const peer = await open({
      clientSettings: [[INITIAL_WINDOW_SIZE, 10]],
      onStream: ({ stream }) => respondWith(stream, body),
    });
    peer.send(headersFrame(1, Flag.END_HEADERS | Flag.END_STREAM));
    const first = await peer.barrier();
    assert.deepEqual(first.map(show), ["HEADERS#1 end_headers", "DATA#1 10"]);
    peer.send(windowUpdateFrame(1, 50));
    const second = await peer.barrier();
    assert.deepEqual(second.map(show), ["DATA#1 50"]);
    peer.send(windowUpdateFrame(1, 40));
    const third = await peer.barrier();
    assert.deepEqual(third.map(show), ["DATA#1 40", "HEADERS#1 end_headers end_stream"]);
    assert.deepEqual(Buffer.concat([first[1]!.payload, second[0]!.payload, third[0]!.payload]), body);
    assert.deepEqual(peer.fields(third[1]!), [["grpc-status", "0"]]);
  });

  test("h2 connection - the connection window stops DATA at 65535 octets across streams until the client's connection WINDOW_UPDATE", async () => {
    const bodies = [pattern(40000), pattern(40000).reverse()];
    const peer = await open({
      clientSettings: [[INITIAL_WINDOW_SIZE, 1 << 20]],
      onStream: ({ stream }) => respondWith(stream, bodies[(stream.id - 1) / 2]!),
    });
    peer.send(
      headersFrame(1, Flag.END_HEADERS | Flag.END_STREAM),
      headersFrame(3, Flag.END_HEADERS | Flag.END_STREAM),
    );
    const received = new Map<number, Buffer[]>([
      [1, []],
      [3, []],
    ]);
    const collect = (frames: ReceivedFrame[]): void => {
      for (const f of frames) if (f.type === FrameType.DATA) received.get(f.streamId)!.push(f.payload);
    };
    const first = await peer.barrier();
    collect(first);
    assert.deepEqual(first.map(show), [
      "HEADERS#1 end_headers",
      "DATA#1 16384",
      "DATA#1 16384",
      "DATA#1 7232",
      "HEADERS#1 end_headers end_stream",
      "HEADERS#3 end_headers",
      "DATA#3 16384",
      "DATA#3 9151", // 65535 octets in all
    ]);
    peer.send(windowUpdateFrame(0, 10000));
    const second = await peer.barrier();
    collect(second);
    assert.deepEqual(second.map(show), ["DATA#3 10000"]);
    peer.send(windowUpdateFrame(0, 4465));
    const third = await peer.barrier();
    collect(third);
    assert.deepEqual(third.map(show), ["DATA#3 4465", "HEADERS#3 end_headers end_stream"]);
    assert.deepEqual(Buffer.concat(received.get(1)!), bodies[0]);
    assert.deepEqual(Buffer.concat(received.get(3)!), bodies[1]);
  });

  test("h2 connection - a SETTINGS_INITIAL_WINDOW_SIZE change mid-stream moves open streams' windows by the difference, below zero too", async () => {
    const body = pattern(100);
    const peer = await open({
      clientSettings: [[INITIAL_WINDOW_SIZE, 10]],
      onStream: ({ stream }) => respondWith(stream, body),
    });
    peer.send(headersFrame(1, Flag.END_HEADERS | Flag.END_STREAM));
    const sent: Buffer[] = [];
    const first = await peer.barrier();
    assert.deepEqual(first.map(show), ["HEADERS#1 end_headers", "DATA#1 10"]);
    sent.push(first[1]!.payload);
    // 10 -> 60: the stream's window (0 after 10 octets) grows by 50.
    peer.send(settingsFrame([[INITIAL_WINDOW_SIZE, 60]]));
    const second = await peer.barrier();
    assert.deepEqual(second.map(show), ["DATA#1 50", "SETTINGS ack"]);
    sent.push(second[0]!.payload);
    // 60 -> 20: the window goes from 0 to -40; a WINDOW_UPDATE of 45 leaves 5.
    peer.send(settingsFrame([[INITIAL_WINDOW_SIZE, 20]]));
    assert.deepEqual((await peer.barrier()).map(show), ["SETTINGS ack"]);
    peer.send(windowUpdateFrame(1, 45));
    const third = await peer.barrier();
    assert.deepEqual(third.map(show), ["DATA#1 5"]);
    sent.push(third[0]!.payload);
    peer.send(windowUpdateFrame(1, 35));
    const fourth = await peer.barrier();
    assert.deepEqual(fourth.map(show), ["DATA#1 35", "HEADERS#1 end_headers end_stream"]);
    sent.push(fourth[0]!.payload);
    assert.deepEqual(Buffer.concat(sent), body);
  });

  test("h2 connection - DATA, HEADERS and CONTINUATION frames never exceed the client's MAX_FRAME_SIZE", async () => {
    const big = "h".repeat(40000); // a trailer block of 40011 octets
    const peer = await open({
      onStream: (opened) => {
        opened.stream.onEnd = () => {
          opened.stream.respond(encodeHeaderBlock([[":status", "200"]]), false);
          opened.stream.write(pattern(40000));
          opened.stream.end(encodeHeaderBlock([["x-big", big]]));
        };
      },
    });
    // At the default 16384.
    peer.send(headersFrame(1), dataFrame(1, "", Flag.END_STREAM));
    const first = await peer.barrier();
    assert.deepEqual(first.map(show), [
      "HEADERS#1 end_headers",
      "DATA#1 16384",
      "DATA#1 16384",
      "DATA#1 7232",
      "HEADERS#1 end_stream",
      "CONTINUATION#1",
      "CONTINUATION#1 end_headers",
    ]);
    assert.deepEqual(
      first.slice(4).map((f) => f.length),
      [16384, 16384, 7243],
    );
    assert.deepEqual(peer.fields(...first.slice(4)), [["x-big", big]]);
    // Raised to 20000 (and a connection window to send 40000 octets more).
    peer.send(settingsFrame([[MAX_FRAME_SIZE, 20000]]), windowUpdateFrame(0, 40000));
    await peer.barrier();
    peer.send(headersFrame(3), dataFrame(3, "", Flag.END_STREAM));
    const second = await peer.barrier();
    assert.deepEqual(second.map(show), [
      "HEADERS#3 end_headers",
      "DATA#3 20000",
      "DATA#3 20000",
      "HEADERS#3 end_stream",
      "CONTINUATION#3",
      "CONTINUATION#3 end_headers",
    ]);
    assert.deepEqual(
      second.slice(3).map((f) => f.length),
      [20000, 20000, 11],
    );
    assert.deepEqual(peer.fields(...second.slice(3)), [["x-big", big]]);
  });

  test("h2 connection - a client MAX_FRAME_SIZE below 16384 is a PROTOCOL_ERROR", async () => {
    const peer = await open();
    peer.send(settingsFrame([[MAX_FRAME_SIZE, 16383]]));
    await peer.connectionError(H2ErrorCode.PROTOCOL_ERROR);
  });

  // ---- flow control, receiving --------------------------------------------------------------

  test("h2 connection - DATA beyond our stream window resets the stream with FLOW_CONTROL_ERROR; the connection lives on", async () => {
    const peer = await open({
      connection: { connectionWindowBytes: 1 << 20 },
      onStream: ({ stream }) => stream.pause(), // no stream WINDOW_UPDATE: the window only shrinks
    });
    peer.send(headersFrame(1));
    for (const n of [16384, 16384, 16384, 16383]) peer.send(dataFrame(1, pattern(n)));
    // Exactly the window: fine.
    assert.deepEqual((await peer.barrier()).map(show), []);
    assert.equal(Buffer.concat(peer.opened[0]!.data).length, 65535);
    peer.send(dataFrame(1, "x"));
    assert.deepEqual((await peer.barrier()).map(show), [`RST_STREAM#1 ${H2ErrorCode.FLOW_CONTROL_ERROR}`]);
    assert.equal(peer.opened[0]!.events.at(-1), "close");
    assert.equal(Buffer.concat(peer.opened[0]!.data).length, 65535); // the excess was not delivered
    // DATA still in flight on the reset stream is dropped, and new streams are served.
    peer.send(dataFrame(1, "late"), headersFrame(3, Flag.END_HEADERS | Flag.END_STREAM));
    assert.deepEqual((await peer.barrier()).map(show), []);
    assert.equal(peer.opened.length, 2);
    assert.equal(peer.conn.destroyed, false);
  });

  test("h2 connection - WINDOW_UPDATEs for the stream and the connection are granted once half the window is consumed", async () => {
    const peer = await open();
    peer.send(headersFrame(1), dataFrame(1, pattern(16384)), dataFrame(1, pattern(16383)));
    assert.deepEqual((await peer.barrier()).map(show), []); // 32767: under half of 65535
    peer.send(dataFrame(1, "x"));
    assert.deepEqual((await peer.barrier()).map(show), ["WINDOW_UPDATE#0 +32768", "WINDOW_UPDATE#1 +32768"]);
    // The windows are whole again: another 65535 octets are within them.
    for (const n of [16384, 16384, 16384, 16383]) peer.send(dataFrame(1, pattern(n)));
    assert.deepEqual((await peer.barrier()).map(show), ["WINDOW_UPDATE#0 +32768", "WINDOW_UPDATE#1 +32768"]);
    assert.equal(Buffer.concat(peer.opened[0]!.data).length, 32768 + 65535);
    assert.equal(peer.opened[0]!.stream.closed, false);
  });

  test("h2 connection - a paused stream gets no stream WINDOW_UPDATE until resume(); the connection's still comes", async () => {
    const peer = await open({ onStream: ({ stream }) => stream.pause() });
    peer.send(headersFrame(1), dataFrame(1, pattern(16384)), dataFrame(1, pattern(16384)));
    assert.deepEqual((await peer.barrier()).map(show), ["WINDOW_UPDATE#0 +32768"]);
    assert.equal(Buffer.concat(peer.opened[0]!.data).length, 32768); // data is still delivered
    peer.opened[0]!.stream.resume();
    assert.deepEqual((await peer.barrier()).map(show), ["WINDOW_UPDATE#1 +32768"]);
  });

  test("h2 connection - padding is stripped from DATA and counted for flow control", async () => {
    const peer = await open();
    const padded = (data: Buffer, padLength: number): Buffer =>
      frame(
        FrameType.DATA,
        Flag.PADDED,
        1,
        Buffer.concat([Buffer.from([padLength]), data, Buffer.alloc(padLength, 0xee)]),
      );
    const a = pattern(16128);
    const b = pattern(16128).reverse();
    peer.send(headersFrame(1), padded(a, 255)); // 16384 octets of payload each
    assert.deepEqual((await peer.barrier()).map(show), []);
    peer.send(padded(b, 255));
    // 32256 data octets alone would be under half the window; with padding it is 32768.
    assert.deepEqual((await peer.barrier()).map(show), ["WINDOW_UPDATE#0 +32768", "WINDOW_UPDATE#1 +32768"]);
    assert.deepEqual(Buffer.concat(peer.opened[0]!.data), Buffer.concat([a, b]));
    peer.send(padded(Buffer.alloc(0), 0)); // only the pad length octet
    assert.deepEqual((await peer.barrier()).map(show), []);
    assert.deepEqual(peer.opened[0]!.events, ["data 16128", "data 16128"]);
  });

  test("h2 connection - DATA whose padding is longer than its payload is a PROTOCOL_ERROR", async () => {
    const peer = await open();
    peer.send(headersFrame(1), frame(FrameType.DATA, Flag.PADDED, 1, Buffer.from([5, 1, 2, 3, 4])));
    await peer.connectionError(H2ErrorCode.PROTOCOL_ERROR);
  });

  // ---- streams --------------------------------------------------------------------------------

  test("h2 connection - a stream past MAX_CONCURRENT_STREAMS is refused, and its header block still updates the HPACK table", async () => {
    const peer = await open({ connection: { maxConcurrentStreams: 1 } });
    peer.send(headersFrame(1));
    // Stream 3 adds x-token: abc to the client's dynamic table (index 62) and is refused.
    peer.send(headersFrame(3, Flag.END_HEADERS, requestBlock([literal("x-token", "abc", "incremental")])));
    assert.deepEqual((await peer.barrier()).map(show), [`RST_STREAM#3 ${H2ErrorCode.REFUSED_STREAM}`]);
    assert.equal(peer.opened.length, 1);
    peer.send(rstStreamFrame(1, H2ErrorCode.CANCEL));
    // Stream 5 refers to the entry stream 3's block added.
    peer.send(headersFrame(5, Flag.END_HEADERS | Flag.END_STREAM, requestBlock([indexed(62)])));
    assert.deepEqual((await peer.barrier()).map(show), []);
    assert.deepEqual(
      peer.opened.map((o) => o.stream.id),
      [1, 5],
    );
    assert.equal(peer.opened[1]!.headers["x-token"], "abc");
  });

  test("h2 connection - RST_STREAM from the client closes the stream: onClose, and later writes and DATA are dropped", async () => {
    const peer = await open();
    peer.send(headersFrame(1), dataFrame(1, "abc"));
    await peer.barrier();
    const { stream, events } = peer.opened[0]!;
    peer.send(rstStreamFrame(1, H2ErrorCode.CANCEL));
    await peer.barrier();
    assert.deepEqual(events, ["data 3", "close"]);
    assert.equal(stream.closed, true);
    stream.respond(statusBlock, false);
    assert.equal(stream.write(Buffer.from("x")), true);
    stream.end(trailersBlock);
    peer.send(dataFrame(1, "late", Flag.END_STREAM));
    assert.deepEqual((await peer.barrier()).map(show), []);
    assert.deepEqual(events, ["data 3", "close"]);
  });

  test("h2 connection - a response complete before the client's END_STREAM is followed by RST_STREAM(NO_ERROR)", async () => {
    const peer = await open({ onStream: ({ stream }) => stream.respond(statusBlock, true) });
    peer.send(headersFrame(1), dataFrame(1, "more to come"));
    assert.deepEqual((await peer.barrier()).map(show), [
      "HEADERS#1 end_headers end_stream",
      `RST_STREAM#1 ${H2ErrorCode.NO_ERROR}`,
    ]);
    // What the client sent before it saw the RST_STREAM is dropped without error.
    peer.send(dataFrame(1, "x", Flag.END_STREAM));
    assert.deepEqual((await peer.barrier()).map(show), []);
    assert.deepEqual(peer.opened[0]!.events, ["close"]);
  });

  test("h2 connection - a response finished inside onStream to a request that ended with its HEADERS gets no RST_STREAM, and onEnd still runs", async () => {
    const peer = await open({
      onStream: (opened) => {
        opened.stream.onEnd = () => opened.events.push("end (set in onStream)");
        opened.stream.respond(statusBlock, true);
      },
    });
    peer.send(headersFrame(1, Flag.END_HEADERS | Flag.END_STREAM));
    // The client's side was already closed: an RST_STREAM would be a frame on a closed stream.
    assert.deepEqual((await peer.barrier()).map(show), ["HEADERS#1 end_headers end_stream"]);
    assert.deepEqual(peer.opened[0]!.events, ["close"]);
    const late = await open({ onStream: (opened) => opened.events.push("opened") });
    late.send(headersFrame(1, Flag.END_HEADERS | Flag.END_STREAM));
    await late.barrier();
    assert.deepEqual(late.opened[0]!.events, ["opened", "end"]);
  });

  test("h2 connection - trailers from the client end its side of the stream", async () => {
    const peer = await open();
    peer.send(
      headersFrame(1),
      dataFrame(1, "body"),
      headersFrame(1, Flag.END_HEADERS | Flag.END_STREAM, Buffer.concat([literal("x-trailer", "t")])),
    );
    assert.deepEqual((await peer.barrier()).map(show), []);
    assert.deepEqual(peer.opened[0]!.events, ["data 4", "end"]);
  });

  test("h2 connection - DATA after the client's END_STREAM resets the stream with STREAM_CLOSED", async () => {
    const peer = await open();
    peer.send(headersFrame(1, Flag.END_HEADERS | Flag.END_STREAM), dataFrame(1, "late"));
    assert.deepEqual((await peer.barrier()).map(show), [`RST_STREAM#1 ${H2ErrorCode.STREAM_CLOSED}`]);
    assert.deepEqual(peer.opened[0]!.events, ["end", "close"]);
  });

  // ---- ping -----------------------------------------------------------------------------------

  test("h2 connection - a PING is answered with a PING ACK carrying the same payload", async () => {
    const peer = await open();
    const payload = Buffer.from("\x00\x01abc\xfe\xff!", "latin1");
    peer.send(frame(FrameType.PING, 0, 0, payload));
    const ack = await peer.next();
    assert.deepEqual([ack.type, ack.flags, ack.streamId], [FrameType.PING, Flag.ACK, 0]);
    assert.deepEqual(ack.payload, payload);
  });

  test("h2 connection - a PING that arrives while a response is pending is answered in that response's write", async () => {
    // Held long enough that only the response can release it.
    const peer = await open({
      connection: { pingAckHoldMs: 60_000 },
      onStream: ({ stream }) => {
        setImmediate(() => {
          stream.respond(statusBlock, false);
          stream.write(Buffer.from("reply"));
          stream.end(trailersBlock);
        });
      },
    });
    peer.send(
      headersFrame(1, Flag.END_HEADERS | Flag.END_STREAM),
      frame(FrameType.PING, 0, 0, Buffer.from("bdp-ping")),
    );
    const frames = [await peer.next(), await peer.next(), await peer.next(), await peer.next()];
    assert.deepEqual(
      frames.map((f) => [f.type, f.streamId]),
      [
        [FrameType.HEADERS, 1],
        [FrameType.DATA, 1],
        [FrameType.HEADERS, 1],
        [FrameType.PING, 0],
      ],
    );
    assert.deepEqual(frames[3]!.payload, Buffer.from("bdp-ping"));
  });

  test("h2 connection - a PING with no response pending is answered at once, even with a long hold", async () => {
    const peer = await open({ connection: { pingAckHoldMs: 60_000 } });
    peer.send(frame(FrameType.PING, 0, 0, Buffer.from("no-wait!")));
    const ack = await peer.next();
    assert.deepEqual([ack.type, ack.flags, ack.payload.toString()], [FrameType.PING, Flag.ACK, "no-wait!"]);
  });

  test("h2 connection - a PING held for a pending response is still answered when the response does not come", async () => {
    const peer = await open();
    peer.send(
      headersFrame(1, Flag.END_HEADERS | Flag.END_STREAM),
      frame(FrameType.PING, 0, 0, Buffer.from("waiting!")),
    );
    const ack = await peer.next();
    assert.deepEqual([ack.type, ack.flags, ack.payload.toString()], [FrameType.PING, Flag.ACK, "waiting!"]);
    assert.equal(peer.opened[0]!.stream.headersSent, false);
  });

  test("h2 connection - ping() calls back when the client ACKs that payload, not for another", async () => {
    const peer = await open();
    let acked = 0;
    peer.conn.ping(() => acked++);
    const ping = await peer.next();
    assert.deepEqual([ping.type, ping.flags, ping.length], [FrameType.PING, 0, 8]);
    peer.send(frame(FrameType.PING, Flag.ACK, 0, Buffer.from("otherack")));
    await peer.barrier();
    assert.equal(acked, 0);
    peer.send(frame(FrameType.PING, Flag.ACK, 0, ping.payload));
    await peer.barrier();
    assert.equal(acked, 1);
    peer.send(frame(FrameType.PING, Flag.ACK, 0, ping.payload)); // a second ACK is not a second answer
    await peer.barrier();
    assert.equal(acked, 1);
  });

  // ---- shutdown -------------------------------------------------------------------------------

  test("h2 connection - close() sends GOAWAY(NO_ERROR) with the last stream id, refuses new streams, and ends once the open stream finishes", async () => {
    const peer = await open({
      onStream: (opened) => {
        opened.stream.onEnd = () => {
          opened.events.push("end");
          respondWith(opened.stream, Buffer.from("bye"));
        };
      },
    });
    peer.send(headersFrame(1));
    await peer.barrier();
    peer.conn.close();
    assert.deepEqual((await peer.barrier()).map(show), [`GOAWAY last=1 code=${H2ErrorCode.NO_ERROR}`]);
    peer.send(headersFrame(3, Flag.END_HEADERS | Flag.END_STREAM));
    assert.deepEqual((await peer.barrier()).map(show), [`RST_STREAM#3 ${H2ErrorCode.REFUSED_STREAM}`]);
    assert.equal(peer.opened.length, 1);
    assert.equal(peer.ended, false);
    peer.send(dataFrame(1, "last", Flag.END_STREAM));
    const frames: ReceivedFrame[] = [];
    for (let i = 0; i < 3; i++) frames.push(await peer.next());
    assert.deepEqual(frames.map(show), [
      "HEADERS#1 end_headers",
      "DATA#1 3",
      "HEADERS#1 end_headers end_stream",
    ]);
    await peer.serverEnded();
    await peer.conn.closed;
  });

  test("h2 connection - close() with no open stream ends the connection at once", async () => {
    const peer = await open();
    peer.conn.close();
    assert.equal(show(await peer.next()), `GOAWAY last=0 code=${H2ErrorCode.NO_ERROR}`);
    await peer.serverEnded();
    await peer.conn.closed;
  });

  test("h2 connection - GOAWAY from the client: open streams finish, new ones are refused, then the connection ends", async () => {
    const peer = await open({
      onStream: (opened) => {
        opened.stream.onEnd = () => opened.stream.respond(statusBlock, true);
      },
    });
    peer.send(headersFrame(1), goawayFrame(0, H2ErrorCode.NO_ERROR));
    await peer.barrier();
    assert.equal(peer.ended, false);
    peer.send(headersFrame(3));
    assert.deepEqual((await peer.barrier()).map(show), [`RST_STREAM#3 ${H2ErrorCode.REFUSED_STREAM}`]);
    peer.send(dataFrame(1, "", Flag.END_STREAM));
    assert.equal(show(await peer.next()), "HEADERS#1 end_headers end_stream");
    await peer.serverEnded();
  });

  test("h2 connection - destroy() closes every open stream (onClose) and the socket", async () => {
    const peer = await open();
    peer.send(headersFrame(1), headersFrame(3, Flag.END_HEADERS | Flag.END_STREAM));
    await peer.barrier();
    assert.equal(peer.opened.length, 2);
    peer.conn.destroy();
    assert.equal(peer.conn.destroyed, true);
    assert.deepEqual(
      peer.opened.map((o) => o.events),
      [["close"], ["end", "close"]],
    );
    assert.equal(peer.opened[0]!.stream.closed, true);
    await peer.conn.closed;
    await peer.serverEnded();
  });

  test("h2 connection - the observer hears streams open and close, PINGs, and the end", async () => {
    const heard: string[] = [];
    const observer: ConnectionObserver = {
      readActivity: () => heard.push("read"),
      streamOpened: () => heard.push("opened"),
      streamClosed: () => heard.push("closed"),
      pingReceived: () => heard.push("ping"),
      closed: () => heard.push("gone"),
    };
    const peer = await open({
      connection: { observer },
      onStream: ({ stream }) => stream.respond(statusBlock, true),
    });
    assert.ok(heard.includes("read"));
    heard.length = 0;
    peer.send(headersFrame(1, Flag.END_HEADERS | Flag.END_STREAM));
    await peer.barrier();
    assert.deepEqual(
      heard.filter((h) => h !== "read"),
      ["opened", "closed", "ping"],
    );
    heard.length = 0;
    peer.conn.destroy();
    assert.deepEqual(heard, ["gone"]);
  });

  // ---- backpressure -----------------------------------------------------------------------------

  test("h2 connection - write() asks for drain once more than 64 KiB waits for the window; waitForDrain fires when it opens", async () => {
    let stream!: H2ServerStream;
    const peer = await open({
      clientSettings: [[INITIAL_WINDOW_SIZE, 0]],
      onStream: (opened) => {
        stream = opened.stream;
      },
    });
    peer.send(headersFrame(1, Flag.END_HEADERS | Flag.END_STREAM));
    await peer.barrier();
    stream.respond(statusBlock, false);
    assert.equal(stream.write(pattern(64 * 1024)), true); // at the mark: still fine
    assert.equal(stream.needsDrain, false);
    assert.equal(stream.write(Buffer.from("!")), false); // one past it
    assert.equal(stream.needsDrain, true);
    let drained = 0;
    stream.waitForDrain(() => drained++);
    assert.deepEqual((await peer.barrier()).map(show), ["HEADERS#1 end_headers"]);
    assert.equal(drained, 0);
    peer.send(windowUpdateFrame(1, 1));
    assert.deepEqual((await peer.barrier()).map(show), ["DATA#1 1"]);
    assert.equal(drained, 1);
    assert.equal(stream.needsDrain, false);
  });

  test("h2 connection - waitForDrain fires when the stream closes instead", async () => {
    let stream!: H2ServerStream;
    const peer = await open({
      clientSettings: [[INITIAL_WINDOW_SIZE, 0]],
      onStream: (opened) => {
        stream = opened.stream;
      },
    });
    peer.send(headersFrame(1));
    await peer.barrier();
    stream.respond(statusBlock, false);
    assert.equal(stream.write(pattern(70000)), false);
    let drained = 0;
    stream.waitForDrain(() => drained++);
    peer.send(rstStreamFrame(1, H2ErrorCode.CANCEL));
    await peer.barrier();
    assert.equal(drained, 1);
  });
});
