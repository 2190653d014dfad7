// Generates static protobuf codecs (and their TypeScript declarations) from proto/ into
// src/proto/gen/, plus a JSON descriptor that keeps etcd's original field names for the
// JSON gateway. Skips the work when the outputs are newer than every .proto file.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const protoDir = join(root, "proto");
const outDir = join(root, "src/proto/gen");
const bin = (name) => join(root, "node_modules/.bin", name);

function protoFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? protoFiles(join(dir, e.name)) : e.name.endsWith(".proto") ? [join(dir, e.name)] : [],
  );
}

const inputs = protoFiles(protoDir).sort();
const outputs = ["etcd.js", "etcd.d.ts", "descriptor.json"].map((f) => join(outDir, f));
const newestInput = Math.max(
  ...inputs.map((f) => statSync(f).mtimeMs),
  statSync(new URL(import.meta.url)).mtimeMs,
);
if (outputs.every((f) => existsSync(f) && statSync(f).mtimeMs > newestInput)) process.exit(0);

mkdirSync(outDir, { recursive: true });
const run = (cmd, args) => execFileSync(bin(cmd), args, { stdio: ["ignore", "inherit", "inherit"] });
const js = join(outDir, "etcd.js");
run("pbjs", [
  "-t",
  "static-module",
  "-w",
  "es6",
  "--no-verify",
  "--no-convert",
  "--no-delimited",
  "--no-service",
  "-p",
  protoDir,
  "-o",
  js,
  ...inputs,
]);
// Node's ESM loader needs the file extension on protobufjs' subpath import.
writeFileSync(
  js,
  readFileSync(js, "utf8").replace('from "protobufjs/minimal"', 'from "protobufjs/minimal.js"'),
);
run("pbts", ["--no-comments", "-o", join(outDir, "etcd.d.ts"), js]);
run("pbjs", ["-t", "json", "--keep-case", "-p", protoDir, "-o", join(outDir, "descriptor.json"), ...inputs]);
