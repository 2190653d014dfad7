// The connection layer: one grpc-js channel per endpoint, failover between them the way
// clientv3's balancer and retry interceptor behave, per-call deadlines, and the auth
// token carried in the `token` metadata (fetched with user/password and fetched again
// when the server says it is invalid).
import assert from "node:assert";
import * as grpc from "@grpc/grpc-js";
import { authpb, etcdserverpb, grpc as healthpb, mvccpb, v3electionpb, v3lockpb } from "../proto/index.js";
import { type Endpoint, parseEndpoint } from "./endpoints.js";
import {
  AuthNotEnabledError,
  CanceledError,
  ClientClosedError,
  codeName,
  DeadlineExceededError,
  EtcdError,
  fromGrpcError,
  GrpcError,
  InvalidAuthTokenError,
} from "./errors.js";

export interface TlsOptions {
  /** PEM bundle of trusted CAs (--cacert). */
  ca?: Buffer;
  /** PEM client certificate (--cert). */
  cert?: Buffer;
  /** PEM client key (--key). */
  key?: Buffer;
  /** Skip server certificate verification (--insecure-skip-tls-verify). */
  insecureSkipVerify?: boolean;
  /** Name to verify the server certificate against (and send as SNI). */
  serverName?: string;
}

/** Reported for every failed attempt of a unary call, like clientv3's retry interceptor warning. */
export interface RetryFailure {
  /** clientv3's target string: `endpoint://client-<uuid>/<first endpoint host>`. */
  target: string;
  attempt: number;
  /** The failure as grpc-go prints it: `rpc error: code = X desc = Y`. */
  error: string;
}

export interface ClientConfig {
  endpoints: string[];
  /** Time allowed to establish the first connection (and the auth token). */
  dialTimeoutMs?: number;
  /** Deadline applied to unary calls that carry none of their own. */
  requestTimeoutMs?: number;
  keepaliveTimeMs?: number;
  keepaliveTimeoutMs?: number;
  /** Use TLS for endpoints without a scheme (https:// endpoints always do). */
  tls?: TlsOptions;
  username?: string;
  password?: string;
  onRetryFailure?: (failure: RetryFailure) => void;
}

export interface CallOptions {
  /** Relative deadline for this call. */
  timeoutMs?: number;
  /** Absolute deadline (ms since epoch); wins over timeoutMs. */
  deadline?: number;
  signal?: AbortSignal;
  /** Send this call to this endpoint only (as clientv3 does for Status, HashKV, Defragment). */
  endpoint?: string;
  /** Ask the server to fail the call when the cluster has no leader (metadata hasleader). */
  requireLeader?: boolean;
}

export interface MethodDef {
  readonly path: string;
  readonly requestType: string;
  readonly responseType: string;
  /** Safe to resend after the connection broke mid-call (clientv3's "repeatable"). */
  readonly idempotent: boolean;
}

interface Codec {
  encode(message: unknown): { finish(): Uint8Array };
  decode(reader: Uint8Array): unknown;
  create(properties?: unknown): unknown;
}

const NAMESPACES: Record<string, unknown> = {
  authpb,
  etcdserverpb,
  mvccpb,
  v3electionpb,
  v3lockpb,
  grpc: healthpb,
};

/** The protobufjs codec of a message by full name (`etcdserverpb.RangeRequest`). */
export function codecOf(fullName: string): Codec {
  let node: unknown = NAMESPACES;
  for (const part of fullName.split(".")) node = (node as Record<string, unknown>)[part];
  assert(node && typeof (node as Codec).decode === "function", `no codec for ${fullName}`);
  return node as Codec;
}

export function method(
  service: string,
  name: string,
  req: string,
  res: string,
  idempotent: boolean,
): MethodDef {
  const pkg = service.slice(0, service.lastIndexOf("."));
  return {
    path: `/${service}/${name}`,
    requestType: req.includes(".") ? req : `${pkg}.${req}`,
    responseType: res.includes(".") ? res : `${pkg}.${res}`,
    idempotent,
  };
}

const BALANCER_FAILURE = "latest balancer error: all SubConns are in TransientFailure";
/** grpc-go clamps client keepalive pings to at least this interval; etcd rejects faster ones. */
const MIN_KEEPALIVE_TIME_MS = 10_000;
const RETRY_BACKOFF_MS = 25;
const MAX_ATTEMPTS = 100;

/** A connection failure before any call could be sent, remembering why. */
class NotConnected extends Error {
  constructor(
    readonly reason: Error,
    readonly balancerFailed: boolean,
  ) {
    super(reason.message);
  }
}

export class Transport {
  readonly endpoints: Endpoint[];
  private readonly channels = new Map<string, grpc.Client>();
  private preferred = 0;
  private token: string | undefined;
  private authenticating: Promise<void> | undefined;
  private closed = false;
  private readonly target: string;
  private authDisabled = false;

  constructor(readonly config: ClientConfig) {
    assert(config.endpoints.length > 0, "at least one endpoint");
    const tls = config.tls !== undefined;
    this.endpoints = config.endpoints.map((e) => parseEndpoint(e, tls));
    this.target = `endpoint://client-${crypto.randomUUID()}/${this.endpoints[0]?.host}`;
  }

  /** Dials and, with credentials, fetches the auth token within the dial timeout. */
  async connect(): Promise<void> {
    if (this.config.username === undefined || this.config.password === undefined) return;
    if (this.config.username === "" || this.config.password === "") return;
    try {
      await this.authenticate(this.dialDeadline());
    } catch (err) {
      this.report(0, err);
      throw err;
    }
  }

  close(): void {
    this.closed = true;
    for (const ch of this.channels.values()) ch.close();
    this.channels.clear();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private dialDeadline(): number {
    const t = this.config.dialTimeoutMs;
    return t !== undefined && t > 0 ? Date.now() + t : Number.POSITIVE_INFINITY;
  }

  private channel(ep: Endpoint): grpc.Client {
    const hit = this.channels.get(ep.raw);
    if (hit) return hit;
    const options: grpc.ChannelOptions = {
      "grpc.max_receive_message_length": -1,
      "grpc.max_send_message_length": -1,
      // Reconnect quickly after a server restart so watches resume promptly.
      "grpc.initial_reconnect_backoff_ms": 100,
      "grpc.max_reconnect_backoff_ms": 2000,
    };
    const ka = this.config.keepaliveTimeMs;
    if (ka !== undefined && ka > 0) {
      options["grpc.keepalive_time_ms"] = Math.max(ka, MIN_KEEPALIVE_TIME_MS);
      options["grpc.keepalive_timeout_ms"] = this.config.keepaliveTimeoutMs ?? 20_000;
      options["grpc.keepalive_permit_without_calls"] = 0;
    }
    let creds = grpc.credentials.createInsecure();
    if (ep.secure) {
      const tls = this.config.tls ?? {};
      const verify: grpc.VerifyOptions = {};
      if (tls.insecureSkipVerify) {
        verify.rejectUnauthorized = false;
        verify.checkServerIdentity = () => undefined;
      }
      creds = grpc.credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null, verify);
      if (tls.serverName) {
        options["grpc.ssl_target_name_override"] = tls.serverName;
        options["grpc.default_authority"] = tls.serverName;
      }
    }
    const ch = new grpc.Client(ep.target, creds, options);
    this.channels.set(ep.raw, ch);
    return ch;
  }

  private candidates(pinned: string | undefined): { ep: Endpoint; index: number }[] {
    if (pinned !== undefined) {
      const index = this.endpoints.findIndex((e) => e.raw === pinned);
      const ep = index === -1 ? parseEndpoint(pinned, this.config.tls !== undefined) : this.endpoints[index];
      assert(ep);
      return [{ ep, index }];
    }
    const n = this.endpoints.length;
    return Array.from({ length: n }, (_, i) => {
      const index = (this.preferred + i) % n;
      return { ep: this.endpoints[index] as Endpoint, index };
    });
  }

  /** A channel that is READY, preferring the last good endpoint, waiting up to the deadline. */
  async ready(deadline: number, signal: AbortSignal | undefined, pinned?: string): Promise<grpc.Client> {
    const cands = this.candidates(pinned);
    for (;;) {
      if (this.closed) throw new ClientClosedError();
      let allFailed = true;
      for (const c of cands) {
        const ch = this.channel(c.ep);
        const state = ch.getChannel().getConnectivityState(true);
        if (state === grpc.connectivityState.READY) {
          if (c.index !== -1) this.preferred = c.index;
          return ch;
        }
        if (state !== grpc.connectivityState.TRANSIENT_FAILURE) allFailed = false;
      }
      if (signal?.aborted) throw new NotConnected(new CanceledError(), false);
      if (Date.now() >= deadline) throw new NotConnected(new DeadlineExceededError(), allFailed);
      // Wait for any channel to change state, at most a second at a time (a watcher
      // stays registered until its own deadline).
      const until = Math.min(deadline, Date.now() + 1000);
      await new Promise<void>((resolve) => {
        let done = false;
        const finish = () => {
          if (!done) {
            done = true;
            signal?.removeEventListener("abort", finish);
            resolve();
          }
        };
        signal?.addEventListener("abort", finish, { once: true });
        for (const c of cands) {
          const ch = this.channel(c.ep).getChannel();
          ch.watchConnectivityState(ch.getConnectivityState(false), new Date(until), finish);
        }
      });
    }
  }

  private metadata(requireLeader?: boolean): grpc.Metadata {
    const md = new grpc.Metadata();
    if (this.token !== undefined) md.set("token", this.token);
    if (requireLeader) md.set("hasleader", "true");
    return md;
  }

  /** Credentials to log in with, unless the server said authentication is off. */
  private hasCredentials(): boolean {
    return !!this.config.username && !!this.config.password && !this.authDisabled;
  }

  /** Fetches a token with user/password; without auth enabled there is no token to carry. */
  private authenticate(deadline: number): Promise<void> {
    if (this.authenticating) return this.authenticating;
    this.authenticating = (async () => {
      try {
        const res = (await this.unaryOnce(
          AUTHENTICATE,
          { name: this.config.username, password: this.config.password },
          deadline,
          undefined,
          undefined,
          false,
        )) as { token?: string };
        this.token = res.token || undefined;
      } catch (err) {
        if (!(err instanceof AuthNotEnabledError)) throw err;
        // clientv3 logs the failed attempt, then goes on without a token (and asks no more).
        this.report(0, err);
        this.token = undefined;
        this.authDisabled = true;
      } finally {
        this.authenticating = undefined;
      }
    })();
    return this.authenticating;
  }

  private deadlineOf(opts: CallOptions | undefined, useDefault: boolean): number {
    if (opts?.deadline !== undefined) return opts.deadline;
    if (opts?.timeoutMs !== undefined) return Date.now() + opts.timeoutMs;
    const t = this.config.requestTimeoutMs;
    return useDefault && t !== undefined && t > 0 ? Date.now() + t : Number.POSITIVE_INFINITY;
  }

  private report(attempt: number, err: unknown): void {
    const cb = this.config.onRetryFailure;
    if (!cb) return;
    cb({ target: this.target, attempt, error: grpcGoText(err) });
  }

  /**
   * One unary call with clientv3's retry policy: a connection that breaks before or
   * while the call is sent is retried on the next endpoint (always for idempotent
   * calls, and for others only when nothing was sent); an invalid token is refreshed.
   */
  async unary(m: MethodDef, request: unknown, opts?: CallOptions): Promise<unknown> {
    const deadline = this.deadlineOf(opts, true);
    if (this.hasCredentials() && this.token === undefined) {
      try {
        await this.authenticate(Math.min(deadline, this.dialDeadline()));
      } catch (err) {
        this.report(0, err);
        throw err;
      }
    }
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.unaryOnce(m, request, deadline, opts?.signal, opts?.endpoint, opts?.requireLeader);
      } catch (err) {
        this.report(attempt, err);
        if (err instanceof NotConnected) throw err.reason;
        if (err instanceof InvalidAuthTokenError && this.hasCredentials() && !refreshed) {
          refreshed = true;
          this.token = undefined;
          await this.authenticate(deadline);
          continue;
        }
        const unavailable = err instanceof GrpcError && err.code === grpc.status.UNAVAILABLE;
        if (!unavailable || !m.idempotent || attempt + 1 >= MAX_ATTEMPTS || opts?.endpoint !== undefined) {
          throw err;
        }
        this.preferred = (this.preferred + 1) % this.endpoints.length;
        await sleep(Math.min(RETRY_BACKOFF_MS, Math.max(0, deadline - Date.now())));
      }
    }
  }

  private async unaryOnce(
    m: MethodDef,
    request: unknown,
    deadline: number,
    signal: AbortSignal | undefined,
    pinned: string | undefined,
    requireLeader: boolean | undefined,
  ): Promise<unknown> {
    const ch = await this.ready(deadline, signal, pinned);
    const reqCodec = codecOf(m.requestType);
    const resCodec = codecOf(m.responseType);
    return new Promise((resolve, reject) => {
      const callOpts: grpc.CallOptions = {};
      if (Number.isFinite(deadline)) callOpts.deadline = new Date(deadline);
      const onAbort = () => call.cancel();
      const call = ch.makeUnaryRequest(
        m.path,
        (msg: unknown) => Buffer.from(reqCodec.encode(reqCodec.create(msg)).finish()),
        (buf: Buffer) => resCodec.decode(buf),
        request,
        this.metadata(requireLeader),
        callOpts,
        (err, res) => {
          signal?.removeEventListener("abort", onAbort);
          if (err) reject(fromGrpcError(err, Date.now() >= deadline, signal?.aborted ?? false));
          else resolve(res);
        },
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** An authenticated, ready endpoint for a stream, within the deadline. */
  private async streamChannel(deadline: number, opts: CallOptions | undefined): Promise<grpc.Client> {
    if (this.hasCredentials() && this.token === undefined) await this.authenticate(deadline);
    try {
      return await this.ready(deadline, opts?.signal, opts?.endpoint);
    } catch (err) {
      throw err instanceof NotConnected ? err.reason : err;
    }
  }

  /** Opens a bidirectional stream on a ready endpoint (waits up to the given deadline). */
  async bidi(m: MethodDef, opts?: CallOptions): Promise<grpc.ClientDuplexStream<unknown, unknown>> {
    const deadline = this.deadlineOf(opts, false);
    const ch = await this.streamChannel(deadline, opts);
    const reqCodec = codecOf(m.requestType);
    const resCodec = codecOf(m.responseType);
    return ch.makeBidiStreamRequest(
      m.path,
      (msg: unknown) => Buffer.from(reqCodec.encode(reqCodec.create(msg)).finish()),
      (buf: Buffer) => resCodec.decode(buf),
      this.metadata(opts?.requireLeader),
      {},
    );
  }

  /** Opens a server stream on a ready endpoint. */
  async serverStream(
    m: MethodDef,
    request: unknown,
    opts?: CallOptions,
  ): Promise<grpc.ClientReadableStream<unknown>> {
    const deadline = this.deadlineOf(opts, false);
    const ch = await this.streamChannel(deadline, opts);
    const reqCodec = codecOf(m.requestType);
    const resCodec = codecOf(m.responseType);
    const callOpts: grpc.CallOptions = {};
    if (Number.isFinite(deadline)) callOpts.deadline = new Date(deadline);
    const call = ch.makeServerStreamRequest(
      m.path,
      (msg: unknown) => Buffer.from(reqCodec.encode(reqCodec.create(msg)).finish()),
      (buf: Buffer) => resCodec.decode(buf),
      request,
      this.metadata(opts?.requireLeader),
      callOpts,
    );
    if (opts?.signal) {
      const onAbort = () => call.cancel();
      opts.signal.addEventListener("abort", onAbort, { once: true });
      call.on("close", () => opts.signal?.removeEventListener("abort", onAbort));
    }
    return call;
  }

  /** Called by streams that saw an invalid-token error: fetch a fresh token. */
  async refreshToken(deadline = this.dialDeadline()): Promise<void> {
    if (!this.hasCredentials()) return;
    this.token = undefined;
    await this.authenticate(deadline);
  }

  /** Moves the preference off an endpoint whose stream broke. */
  skipEndpoint(): void {
    this.preferred = (this.preferred + 1) % this.endpoints.length;
  }
}

const AUTHENTICATE = method(
  "etcdserverpb.Auth",
  "Authenticate",
  "AuthenticateRequest",
  "AuthenticateResponse",
  true,
);

/** How grpc-go would print an error in clientv3's retry warning. */
function grpcGoText(err: unknown): string {
  if (err instanceof NotConnected) {
    return err.reason instanceof CanceledError
      ? "rpc error: code = Canceled desc = context canceled"
      : `rpc error: code = DeadlineExceeded desc = ${err.balancerFailed ? BALANCER_FAILURE : "context deadline exceeded"}`;
  }
  if (err instanceof GrpcError) return err.message;
  if (err instanceof EtcdError) return `rpc error: code = ${codeName(err.code)} desc = ${err.message}`;
  if (err instanceof DeadlineExceededError)
    return "rpc error: code = DeadlineExceeded desc = context deadline exceeded";
  if (err instanceof CanceledError) return "rpc error: code = Canceled desc = context canceled";
  return err instanceof Error ? err.message : String(err);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
