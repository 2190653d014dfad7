import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import { type AuthorityGateOptions, gateAuthority } from "./authority-gate.js";
import type { AuthorityShim } from "./authority-shim.js";
import { CLIENT_PREFACE, EMPTY_SETTINGS, Flag, FrameType, frame } from "./h2-frames.js";
import { indexed, literal, onFrames, type ReceivedFrame, splitFrames } from "./h2-testing.js";

const url = "http://127.0.0.1:2379";
const headers = (authority: string, streamId = 1): Buffer =>
  frame(
    FrameType.HEADERS,
    Flag.END_HEADERS,
    streamId,
    Buffer.concat([indexed(3), indexed(6), literal(4, "/x"), literal(1, authority, "incremental")]),
  );
const settingsAck = frame(FrameType.SETTINGS, Flag.ACK, 0, Buffer.alloc(0));
const ping = frame(FrameType.PING, 0, 0, Buffer.from("12345678"));

interface Decision {
  how: "direct" | "shimmed";
  socket: net.Socket;
  shim?: AuthorityShim;
}

/** Reads what the server side would: everything until `length` octets have come. */
function readAll(stream: NodeJS.ReadableStream, length: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      got += chunk.length;
      if (got >= length) {
        stream.off("data", onData);
        resolve(Buffer.concat(chunks));
      }
    };
    stream.on("data", onData);
  });
}

describe("authority gate", () => {
  let server: net.Server;
  let port: number;
  let options: Partial<AuthorityGateOptions> = {};
  let outcomes: ((decision: Decision) => void)[] = [];

  before(async () => {
    server = net.createServer((socket) => {
      const deliver = outcomes.shift()!;
      gateAuthority(socket, {
        ...options,
        direct: (raw) => deliver({ how: "direct", socket: raw }),
        shimmed: (shim) => deliver({ how: "shimmed", socket, shim }),
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  after(() => server.close());

  /** Connects, sends `first`, and returns the gate's decision and what the client received. */
  async function connect(
    first: Buffer,
    opts: Partial<AuthorityGateOptions> = {},
  ): Promise<{
    client: net.Socket;
    received: ReceivedFrame[];
    decision: Promise<Decision>;
  }> {
    options = opts;
    const decision = new Promise<Decision>((resolve) => outcomes.push(resolve));
    const client = net.connect(port, "127.0.0.1");
    const received: ReceivedFrame[] = [];
    onFrames(client, (f) => received.push(f));
    await new Promise((resolve) => client.once("connect", resolve));
    client.write(first);
    return { client, received, decision };
  }

  const until = async (check: () => boolean): Promise<void> => {
    while (!check()) await new Promise((resolve) => setTimeout(resolve, 2));
  };

  test("authority gate - a valid :authority gets the raw socket, every byte put back, nothing sent", async () => {
    const sent = Buffer.concat([CLIENT_PREFACE, EMPTY_SETTINGS, headers("127.0.0.1:2379")]);
    const { client, received, decision } = await connect(sent);
    const d = await decision;
    assert.equal(d.how, "direct");
    assert.deepEqual(await readAll(d.socket, sent.length), sent);
    assert.deepEqual(received, []);
    client.destroy();
  });

  test("authority gate - a URL :authority gets the shim, which rewrites it", async () => {
    const sent = Buffer.concat([CLIENT_PREFACE, EMPTY_SETTINGS, headers(url)]);
    const { client, received, decision } = await connect(sent);
    const d = await decision;
    assert.equal(d.how, "shimmed");
    const out = await readAll(d.shim!, sent.length);
    assert.ok(out.includes(Buffer.from("http:__127.0.0.1:2379")));
    assert.deepEqual(received, []);
    client.destroy();
  });

  test("authority gate - a client waiting for the server's preface gets an empty SETTINGS; its ACK and PINGs are handled", async () => {
    const { client, received, decision } = await connect(Buffer.concat([CLIENT_PREFACE, EMPTY_SETTINGS]));
    await until(() => received.length === 1);
    assert.deepEqual(
      [received[0]!.type, received[0]!.flags, received[0]!.length],
      [FrameType.SETTINGS, 0, 0],
    );
    client.write(ping);
    await until(() => received.length === 2);
    assert.deepEqual(
      [received[1]!.type, received[1]!.flags, received[1]!.payload.toString()],
      [FrameType.PING, Flag.ACK, "12345678"],
    );
    client.write(Buffer.concat([settingsAck, headers(url)]));
    const d = await decision;
    assert.equal(d.how, "shimmed");
    const expected = Buffer.concat([CLIENT_PREFACE, EMPTY_SETTINGS, headers(url)]);
    const out = await readAll(d.shim!, expected.length);
    // Neither the PING nor the ACK reach the server.
    assert.deepEqual(
      splitFrames(out, CLIENT_PREFACE.length).map((f) => f.type),
      [FrameType.SETTINGS, FrameType.HEADERS],
    );
    client.destroy();
  });

  test("authority gate - a request before the ACK waits for it; then the raw socket, without the ACK", async () => {
    const { client, received, decision } = await connect(Buffer.concat([CLIENT_PREFACE, EMPTY_SETTINGS]));
    await until(() => received.length === 1);
    client.write(headers("localhost:2379"));
    let decided = false;
    void decision.then(() => {
      decided = true;
    });
    // Nothing can be decided before the ACK; an echo round trip shows the gate has read the HEADERS.
    client.write(ping);
    await until(() => received.length === 2);
    assert.equal(decided, false);
    client.write(Buffer.concat([settingsAck, windowUpdate()]));
    const d = await decision;
    assert.equal(d.how, "direct");
    const expected = Buffer.concat([
      CLIENT_PREFACE,
      EMPTY_SETTINGS,
      headers("localhost:2379"),
      windowUpdate(),
    ]);
    assert.deepEqual(await readAll(d.socket, expected.length), expected);
    client.destroy();
  });

  test("authority gate - an ACK still to come when the gate gives up sends the connection through the shim", async () => {
    const { client, received, decision } = await connect(Buffer.concat([CLIENT_PREFACE, EMPTY_SETTINGS]), {
      timeoutMs: 20,
    });
    const d = await decision;
    assert.equal(d.how, "shimmed");
    assert.equal(received.length, 1);
    client.write(Buffer.concat([settingsAck, headers("localhost:2379")]));
    const out = await readAll(
      d.shim!,
      CLIENT_PREFACE.length + EMPTY_SETTINGS.length + headers("localhost:2379").length,
    );
    assert.deepEqual(
      splitFrames(out, CLIENT_PREFACE.length).map((f) => f.type),
      [FrameType.SETTINGS, FrameType.HEADERS],
    );
    client.destroy();
  });

  test("authority gate - an idle connection whose ACK came goes raw when the gate gives up", async () => {
    // The ACK must arrive before the gate gives up, even on a busy machine.
    const { client, received, decision } = await connect(Buffer.concat([CLIENT_PREFACE, EMPTY_SETTINGS]), {
      timeoutMs: 1000,
    });
    await until(() => received.length === 1);
    client.write(settingsAck);
    const d = await decision;
    assert.equal(d.how, "direct");
    client.destroy();
  });

  test("authority gate - not HTTP/2, or bytes beyond the limit: the raw socket, untouched", async () => {
    const junk = Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    let c = await connect(junk);
    let d = await c.decision;
    assert.equal(d.how, "direct");
    assert.deepEqual(await readAll(d.socket, junk.length), junk);
    c.client.destroy();

    const big = Buffer.concat([
      CLIENT_PREFACE,
      EMPTY_SETTINGS,
      frame(FrameType.HEADERS, 0, 1, Buffer.alloc(2000)),
    ]);
    c = await connect(big, { maxBytes: 1000 });
    d = await c.decision;
    assert.equal(d.how, "direct");
    assert.deepEqual(await readAll(d.socket, big.length), big);
    c.client.destroy();
  });

  test("authority gate - a client that hangs up before its first request is let go", async () => {
    const { client, decision } = await connect(CLIENT_PREFACE.subarray(0, 10));
    let decided = false;
    void decision.then(() => {
      decided = true;
    });
    client.end();
    await new Promise((resolve) => client.once("close", resolve));
    assert.equal(decided, false);
    outcomes = [];
  });
});

function windowUpdate(): Buffer {
  return frame(FrameType.WINDOW_UPDATE, 0, 0, Buffer.from([0, 1, 0, 0]));
}
