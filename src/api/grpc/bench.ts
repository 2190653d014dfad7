// Unary echo throughput: tetcd's gRPC server against a @grpc/grpc-js server, both driven by
// the same @grpc/grpc-js clients. Not a test; run it by hand:
//
//   node dist/api/grpc/bench.js [--seconds 5] [--connections 10] [--concurrency 200] [--payload 100] [--loaders 2]
//
// Each server runs in a child process of its own; the load comes from `loaders` further
// processes (connections and calls in flight are split among them). Besides calls/s it
// reports the server's CPU time per call, which stays meaningful when the clients, not the
// server, are the bottleneck.
import { fork } from "node:child_process";
import { parseArgs } from "node:util";
import * as grpcJs from "@grpc/grpc-js";
import { etcdserverpb as pb } from "../../proto/index.js";
import { HttpRouter, listen } from "../http/index.js";
import { defineMethod, GrpcServer } from "./index.js";

const echo = defineMethod("/bench.Echo/Echo", "unary", pb.PutRequest, pb.PutRequest);
const serialize = (m: pb.IPutRequest): Buffer => Buffer.from(pb.PutRequest.encode(m).finish());
const deserialize = (b: Buffer): pb.PutRequest => pb.PutRequest.decode(b);

async function serveOurs(): Promise<number> {
  const grpc = new GrpcServer();
  grpc.register(echo, (req) => req);
  const listener = await listen("http://127.0.0.1:0", { grpc, http: new HttpRouter().serve });
  return Number(listener.url.split(":").pop());
}

async function serveGrpcJs(): Promise<number> {
  const server = new grpcJs.Server();
  server.addService(
    {
      Echo: {
        path: echo.path,
        requestStream: false,
        responseStream: false,
        requestSerialize: serialize,
        requestDeserialize: deserialize,
        responseSerialize: serialize,
        responseDeserialize: deserialize,
      },
    },
    {
      Echo: (
        call: grpcJs.ServerUnaryCall<pb.PutRequest, pb.PutRequest>,
        callback: grpcJs.sendUnaryData<pb.PutRequest>,
      ) => callback(null, call.request),
    },
  );
  return new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpcJs.ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve(port),
    ),
  );
}

/** Runs calls for `warmup + seconds`; returns the calls completed in the last `seconds`. */
async function load(
  port: number,
  seconds: number,
  connections: number,
  concurrency: number,
  payload: number,
) {
  const clients = Array.from(
    { length: connections },
    (_, i) =>
      // A distinct option per client keeps grpc-js from sharing one channel among them.
      new grpcJs.Client(`127.0.0.1:${port}`, grpcJs.credentials.createInsecure(), { "bench.client": i }),
  );
  const request = { key: Buffer.from("bench-key"), value: Buffer.alloc(payload, 1) };
  let calls = 0;
  let errors = 0;
  let running = true;
  const worker = async (client: grpcJs.Client): Promise<void> => {
    while (running) {
      await new Promise<void>((resolve) => {
        client.makeUnaryRequest(echo.path, serialize, deserialize, request, (error) => {
          if (error) errors++;
          else calls++;
          resolve();
        });
      });
    }
  };
  const workers = Array.from({ length: concurrency }, (_, i) => worker(clients[i % connections]!));
  await new Promise((resolve) => setTimeout(resolve, warmupMs));
  calls = 0;
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const measured = calls;
  running = false;
  await Promise.all(workers);
  for (const c of clients) c.close();
  return { calls: measured, errors };
}

const warmupMs = 1000;
const script = new URL(import.meta.url).pathname;

function ask<T>(child: ReturnType<typeof fork>, message?: unknown): Promise<T> {
  return new Promise((resolve) => {
    child.once("message", (m) => resolve(m as T));
    if (message !== undefined) child.send(message as string);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      serve: { type: "string" },
      load: { type: "string" },
      seconds: { type: "string", default: "5" },
      connections: { type: "string", default: "10" },
      concurrency: { type: "string", default: "200" },
      payload: { type: "string", default: "100" },
      loaders: { type: "string", default: "2" },
      rounds: { type: "string", default: "3" },
    },
  });
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const concurrency = Number(values.concurrency);
  const payload = Number(values.payload);
  if (values.serve !== undefined) {
    const port = values.serve === "ours" ? await serveOurs() : await serveGrpcJs();
    process.on("message", () => process.send?.({ cpu: process.cpuUsage() }));
    process.send?.({ port });
    return;
  }
  if (values.load !== undefined) {
    process.send?.(await load(Number(values.load), seconds, connections, concurrency, payload));
    process.disconnect();
    return;
  }
  const loaders = Number(values.loaders);
  const results: Record<string, { rate: number; cpuPerCall: number }[]> = { "grpc-js": [], ours: [] };
  // Rounds alternate the servers, so that load from elsewhere on the machine hits both alike.
  for (let round = 0; round < Number(values.rounds); round++)
    for (const server of ["grpc-js", "ours"]) {
      const child = fork(script, ["--serve", server], { stdio: "inherit" });
      const { port } = await ask<{ port: number }>(child);
      const cpu = async () => {
        const { cpu } = await ask<{ cpu: NodeJS.CpuUsage }>(child, "cpu");
        return cpu.user + cpu.system;
      };
      const share = (n: number, i: number) => Math.floor(n / loaders) + (i < n % loaders ? 1 : 0);
      const running = Array.from({ length: loaders }, (_, i) => {
        const loader = fork(
          script,
          [
            "--load",
            String(port),
            "--seconds",
            String(seconds),
            "--connections",
            String(Math.max(1, share(connections, i))),
            "--concurrency",
            String(Math.max(1, share(concurrency, i))),
            "--payload",
            String(payload),
          ],
          { stdio: "inherit" },
        );
        return ask<{ calls: number; errors: number }>(loader);
      });
      await new Promise((resolve) => setTimeout(resolve, warmupMs));
      const cpuStart = await cpu();
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      const cpuUsed = (await cpu()) - cpuStart;
      const done = await Promise.all(running);
      child.kill();
      const calls = done.reduce((n, d) => n + d.calls, 0);
      const errors = done.reduce((n, d) => n + d.errors, 0);
      results[server]!.push({ rate: calls / seconds, cpuPerCall: cpuUsed / Math.max(1, calls) });
      console.log(
        `${server.padEnd(8)} ${(calls / seconds).toFixed(0).padStart(8)} calls/s, server CPU ` +
          `${(cpuUsed / Math.max(1, calls)).toFixed(1)} µs/call${errors > 0 ? ` (${errors} errors)` : ""}`,
      );
    }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const ours = {
    rate: median(results.ours!.map((r) => r.rate)),
    cpu: median(results.ours!.map((r) => r.cpuPerCall)),
  };
  const theirs = {
    rate: median(results["grpc-js"]!.map((r) => r.rate)),
    cpu: median(results["grpc-js"]!.map((r) => r.cpuPerCall)),
  };
  console.log(
    `median   grpc-js ${theirs.rate.toFixed(0)} calls/s ${theirs.cpu.toFixed(1)} µs/call; ours ${ours.rate.toFixed(0)} calls/s ${ours.cpu.toFixed(1)} µs/call`,
  );
  console.log(
    `tetcd / grpc-js: ${(ours.rate / theirs.rate).toFixed(2)}x calls/s, ` +
      `${(theirs.cpu / ours.cpu).toFixed(2)}x less server CPU per call ` +
      `(unary echo, ${payload} B values, ${concurrency} calls in flight over ${connections} connections, ${loaders} load processes)`,
  );
}

await main();
