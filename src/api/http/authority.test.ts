import assert from "node:assert/strict";
import http2 from "node:http2";
import net from "node:net";
import { describe, test } from "node:test";
import fc from "fast-check";
import { isAuthorityName, isValidAuthority, sanitizeAuthority } from "./authority.js";
import { CLIENT_PREFACE, EMPTY_SETTINGS, Flag, FrameType, frame } from "./h2-frames.js";
import { literal, onFrames } from "./h2-testing.js";

/** The octets node's own nghttp2 accepts inside an :authority, asked of a bare HTTP/2 server. */
async function octetsNghttp2Accepts(): Promise<Set<number>> {
  const h2 = http2.createServer({ maxSessionRejectedStreams: 1000, maxSessionInvalidFrames: 1000 });
  h2.on("stream", (stream) => {
    stream.respond({ ":status": 200 }, { endStream: true });
  });
  const server = net.createServer((socket) => h2.emit("connection", socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const socket = net.connect((server.address() as net.AddressInfo).port, "127.0.0.1");
  const accepted = new Set<number>();
  try {
    await new Promise<void>((resolve, reject) => {
      let answered = 0;
      onFrames(socket, (f) => {
        if (f.streamId === 0 || (f.type !== FrameType.HEADERS && f.type !== FrameType.RST_STREAM)) return;
        if (f.type === FrameType.HEADERS) accepted.add((f.streamId - 1) / 2);
        if (++answered === 256) resolve();
      });
      socket.on("error", reject);
      const requests = [CLIENT_PREFACE, EMPTY_SETTINGS];
      for (let octet = 0; octet < 256; octet++) {
        const block = Buffer.concat([
          literal(2, "GET"),
          literal(6, "http"),
          literal(4, "/"),
          literal(1, `a${String.fromCharCode(octet)}b`),
        ]);
        requests.push(frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, 2 * octet + 1, block));
      }
      socket.write(Buffer.concat(requests));
    });
  } finally {
    socket.destroy();
    server.close();
  }
  return accepted;
}

describe("authority", () => {
  test("authority - what we call valid, node's nghttp2 accepts; it differs from us only in '@'", async () => {
    const accepted = await octetsNghttp2Accepts();
    for (let octet = 0; octet < 256; octet++) {
      const ours = isValidAuthority(Buffer.from([octet]));
      const char = JSON.stringify(String.fromCharCode(octet));
      if (ours) assert.ok(accepted.has(octet), `we accept ${char}, nghttp2 does not`);
      else if (octet !== "@".charCodeAt(0))
        assert.ok(!accepted.has(octet), `nghttp2 accepts ${char}, we do not`);
    }
    assert.ok(!accepted.has("/".charCodeAt(0)));
  });

  test("authority - URLs and host:port", () => {
    assert.equal(isValidAuthority(Buffer.from("127.0.0.1:2379")), true);
    assert.equal(isValidAuthority(Buffer.from("[::1]:2379")), true);
    assert.equal(isValidAuthority(Buffer.from("")), true);
    assert.equal(isValidAuthority(Buffer.from("http://127.0.0.1:2379")), false);
    assert.equal(isValidAuthority(Buffer.from("user@host")), false);
    assert.equal(sanitizeAuthority(Buffer.from("http://127.0.0.1:2379")).toString(), "http:__127.0.0.1:2379");
  });

  test("authority - sanitizing keeps the length, always gives a valid value, and leaves valid ones alone", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const out = sanitizeAuthority(bytes);
        assert.equal(out.length, bytes.length);
        assert.ok(isValidAuthority(out));
        if (isValidAuthority(bytes)) assert.deepEqual(out, Buffer.from(bytes));
      }),
    );
  });

  test("authority - nghttp2 checks :authority and host the same way", () => {
    assert.equal(isAuthorityName(Buffer.from(":authority")), true);
    assert.equal(isAuthorityName(Buffer.from("host")), true);
    assert.equal(isAuthorityName(Buffer.from(":path")), false);
    assert.equal(isAuthorityName(Buffer.from("hostname")), false);
  });
});
