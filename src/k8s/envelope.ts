// The `k8s\0` envelope kube-apiserver puts around protobuf objects: the magic, then a
// runtime.Unknown {typeMeta(1){apiVersion(1), kind(2)}, raw(2), contentEncoding(3),
// contentType(4)} whose raw is the object's own message.
import { WIRE_BYTES, WireError, WireReader, WireWriter } from "./wire.js";

export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

export interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

export function hasProtobufMagic(value: Uint8Array): boolean {
  return (
    value.length >= 4 && value[0] === 0x6b && value[1] === 0x38 && value[2] === 0x73 && value[3] === 0x00
  );
}

/** Parses an envelope (magic included); throws WireError when malformed. */
export function parseEnvelope(value: Uint8Array): Envelope {
  if (!hasProtobufMagic(value)) throw new WireError("no k8s\\0 prefix");
  const env: Envelope = {
    apiVersion: "",
    kind: "",
    raw: new Uint8Array(0),
    contentEncoding: "",
    contentType: "",
  };
  const r = new WireReader(value, 4);
  while (!r.done) {
    const tag = r.uint32();
    const wt = tag & 7;
    const n = tag >>> 3;
    if (wt !== WIRE_BYTES || n < 1 || n > 4) {
      if (n === 0) throw new WireError("field number 0");
      r.skip(wt);
      continue;
    }
    const b = r.bytes();
    if (n === 1) {
      const t = new WireReader(b);
      while (!t.done) {
        const tt = t.uint32();
        if (tt === ((1 << 3) | WIRE_BYTES)) env.apiVersion = text(t.bytes());
        else if (tt === ((2 << 3) | WIRE_BYTES)) env.kind = text(t.bytes());
        else t.skip(tt & 7);
      }
    } else if (n === 2) env.raw = b;
    else if (n === 3) env.contentEncoding = text(b);
    else env.contentType = text(b);
  }
  return env;
}

/** The stored bytes for an object's message: magic + Unknown, as the apiserver writes it. */
export function buildEnvelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const w = new WireWriter();
  w.raw(PROTOBUF_MAGIC);
  w.tag(1, WIRE_BYTES);
  w.fork();
  w.tag(1, WIRE_BYTES);
  w.string(apiVersion);
  w.tag(2, WIRE_BYTES);
  w.string(kind);
  w.join();
  w.tag(2, WIRE_BYTES);
  w.bytes(raw);
  // contentEncoding and contentType are written empty, as gogo writes Go strings.
  w.tag(3, WIRE_BYTES);
  w.string("");
  w.tag(4, WIRE_BYTES);
  w.string("");
  return w.finish();
}

function text(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString("utf8");
}
