#!/usr/bin/env node
// tetcd: a drop-in etcd 3.4 server.
import "./tune-v8.js";
import { runTetcd } from "./main.js";
import { startMember } from "./start-member.js";

process.exitCode = await runTetcd(process.argv.slice(2), startMember);
