// A gRPC method: its path, its streaming kind and the codecs of its two messages.
import assert from "node:assert";
import type { Reader, Writer } from "protobufjs";
import protobuf from "protobufjs/minimal.js";
import { frameHeaderBytes } from "./framing.js";

/** What a generated static codec class offers for reading a message. */
export interface MessageDecoder<T> {
  decode(reader: Reader | Uint8Array, length?: number): T;
}

/** What a generated static codec class offers for writing a message. */
export interface MessageEncoder<P> {
  encode(message: P, writer?: Writer): Writer;
}

export type MethodKind = "unary" | "serverStream" | "clientStream" | "bidi";

/**
 * A method the server can serve. `Req` is the decoded request (a generated class instance);
 * `Res` is what the handler returns (the generated `$Properties` interface, plain objects ok).
 */
export interface Method<Req = unknown, Res = unknown, K extends MethodKind = MethodKind> {
  /** "/etcdserverpb.KV/Range": the HTTP/2 :path. */
  readonly path: string;
  /** "etcdserverpb.KV" */
  readonly service: string;
  /** "Range" */
  readonly name: string;
  readonly kind: K;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  /** Decodes a request body; throws on malformed bytes. */
  decode(body: Uint8Array): Req;
  /** Encodes a response body. */
  encode(message: Res): Uint8Array;
  /** Encodes a response as one wire-ready buffer: the 5-byte frame header, then the body. */
  encodeFramed(message: Res): Buffer;
}

/** Any method, whatever its message types (for tables and lookups). */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds methods of every message type.
export type AnyMethod = Method<any, any>;

const headerPlaceholder = new Uint8Array(frameHeaderBytes);

/** A method from its path ("/pkg.Service/Name"), kind and generated codec classes. */
export function defineMethod<Req, Res, K extends MethodKind>(
  path: string,
  kind: K,
  request: MessageDecoder<Req>,
  response: MessageEncoder<Res>,
): Method<Req, Res, K> {
  const match = /^\/([^/]+)\/([^/]+)$/.exec(path);
  assert(match, `malformed gRPC method path ${path}`);
  const codec = responseCodec(response);
  return {
    path,
    service: match[1]!,
    name: match[2]!,
    kind,
    requestStream: kind === "clientStream" || kind === "bidi",
    responseStream: kind === "serverStream" || kind === "bidi",
    decode: (body) => request.decode(body),
    encode: codec.encode,
    encodeFramed: codec.encodeFramed,
  };
}

/** The same method with another encoder for its responses (one that reuses encodings, say). */
export function withResponseEncoder<Req, Res, K extends MethodKind>(
  method: Method<Req, Res, K>,
  response: MessageEncoder<Res>,
): Method<Req, Res, K> {
  // Built as defineMethod builds them: every method object has the same shape, so the call
  // sites that use them stay monomorphic.
  const codec = responseCodec(response);
  return {
    path: method.path,
    service: method.service,
    name: method.name,
    kind: method.kind,
    requestStream: method.requestStream,
    responseStream: method.responseStream,
    decode: method.decode,
    encode: codec.encode,
    encodeFramed: codec.encodeFramed,
  };
}

function responseCodec<Res>(
  response: MessageEncoder<Res>,
): Pick<Method<unknown, Res>, "encode" | "encodeFramed"> {
  return {
    encode: (message) => response.encode(message).finish(),
    encodeFramed(message) {
      // protobufjs writes into one growing buffer: reserve the header in front of the body,
      // then patch it, so the wire buffer is built without copying the body.
      const writer = protobuf.Writer.create();
      writer.raw(headerPlaceholder);
      response.encode(message, writer);
      const bytes = writer.finish(true);
      const out = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
      out[0] = 0;
      out.writeUInt32BE(out.length - frameHeaderBytes, 1);
      return out;
    },
  };
}

/** grpc-go's text for a request that does not decode (gogoproto's "unexpected EOF" for truncation). */
export function unmarshalErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RangeError && message.startsWith("index out of range")) return "unexpected EOF";
  return message;
}
