// A commit's events go to every watcher that wants them, each in its own WatchResponse.
// The responses differ only in their watch ID: the events (and the header, for one
// revision) are converted and encoded once and the bytes reused, rather than once per
// watcher. The bytes are what protobufjs writes for the whole message, field by field.
import protobuf from "protobufjs/minimal.js";
import type { Event } from "../../mvcc/index.js";
import { etcdserverpb, mvccpb } from "../../proto/index.js";
import { type EtcdServer, toWireKv } from "../../server/index.js";
import type { MessageEncoder } from "../grpc/index.js";
import { wireHeader } from "./header.js";

type WatchResponse = etcdserverpb.IWatchResponse;
type Header = etcdserverpb.IResponseHeader;

/** WatchResponse.header (1) and .events (11), length-delimited. */
const HEADER_TAG = (1 << 3) | 2;
const EVENTS_TAG = (11 << 3) | 2;

const wireEvents = new WeakMap<Event, mvccpb.IEvent>();
const encodedEvents = new WeakMap<mvccpb.IEvent, Uint8Array>();
const encodedHeaders = new WeakMap<Header, Uint8Array>();
const lastHeaders = new WeakMap<EtcdServer, Header>();

/** A store event as the wire has it; the same object for the same event. */
export function wireEvent(e: Event): mvccpb.IEvent {
  return memoized(wireEvents, e, toWireEvent);
}

function toWireEvent(e: Event): mvccpb.IEvent {
  const ev: mvccpb.IEvent = {
    type: e.type === "put" ? mvccpb.Event.EventType.PUT : mvccpb.Event.EventType.DELETE,
    kv: toWireKv(e.kv),
  };
  if (e.prevKv) ev.prevKv = toWireKv(e.prevKv);
  return ev;
}

/** The header at `revision`; the same object while neither the revision nor the term moves. */
export function sharedHeader(server: EtcdServer, revision: number): Header {
  const last = lastHeaders.get(server);
  const now = server.header(revision);
  if (last !== undefined && last.revision === now.revision && last.raftTerm === now.raftTerm) return last;
  const header = wireHeader(now);
  lastHeaders.set(server, header);
  return header;
}

/** `make(key)`, made once per key while the key lives. */
function memoized<K extends object, V>(cache: WeakMap<K, V>, key: K, make: (k: K) => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = make(key);
    cache.set(key, value);
  }
  return value;
}

const encodeEvent = (ev: mvccpb.IEvent) => mvccpb.Event.encode(ev).finish();
const encodeHeader = (h: Header) => etcdserverpb.ResponseHeader.encode(h).finish();

/** Encodes a WatchResponse as its generated codec does, reusing event and header encodings. */
export const watchResponseEncoder: MessageEncoder<WatchResponse> = {
  encode(message: WatchResponse, writer = protobuf.Writer.create()) {
    const { header, events } = message;
    if (header) writer.uint32(HEADER_TAG).bytes(memoized(encodedHeaders, header, encodeHeader));
    etcdserverpb.WatchResponse.encode({ ...message, header: null, events: [] }, writer);
    for (const ev of events ?? []) writer.uint32(EVENTS_TAG).bytes(memoized(encodedEvents, ev, encodeEvent));
    return writer;
  },
};
