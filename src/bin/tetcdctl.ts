#!/usr/bin/env node
// tetcdctl: a drop-in etcdctl 3.4 (same commands, flags, output and exit codes).
import { run } from "../cli/index.js";

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`panic: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
