#!/usr/bin/env -S node --max-semi-space-size=32 --interrupt-budget=16384 --v8-pool-size=1
// tetcd: a drop-in etcd 3.4 server.
//
// V8 settings for a long-running server, measured with ../shared/bench/compare.sh (they
// must be given at startup, hence here; `node dist/bin/tetcd.js` runs without them):
// - a 32 MiB young generation (default 16): with a thousand requests in flight, fewer of
//   their objects outlive a scavenge; put-1000 +20% throughput, k8s +10-20%.
// - hot functions optimized after a quarter of the default tier-up budget (67584): a
//   fresh member otherwise serves its first few thousand requests from unoptimized code;
//   put-1 (3000 sequential puts on a new member) +15%.
// - one V8 background thread (default 4) for optimizing compiles and GC helpers: the event
//   loop thread does the serving, and on a fresh member four compiler threads took both
//   cores of a 2-core machine from it (and from its clients) for the first second or two.
//   put-1 p99 4.5-5 -> 2.4-3.6 ms and higher throughput in 12 of 16 back-to-back pairs,
//   put-1000 higher in 4 of 4; range and k8s unchanged within the noise.
import { runTetcd } from "./main.js";
import { startMember } from "./start-member.js";

process.exitCode = await runTetcd(process.argv.slice(2), startMember);
