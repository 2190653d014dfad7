// Reading a password from the terminal without echo (speakeasy's Ask), or a line from
// standard input when it is not a terminal.
import { spawnSync } from "node:child_process";
import { readSync } from "node:fs";
import type { Io } from "./io.js";

/** Reads one line from fd 0 synchronously (stops at newline or end of input). */
export function readLineSync(): string {
  const buf = Buffer.alloc(1);
  let line = "";
  for (;;) {
    let n = 0;
    try {
      n = readSync(0, buf, 0, 1, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EAGAIN") continue;
      if ((err as NodeJS.ErrnoException).code === "EOF") break;
      throw err;
    }
    if (n === 0) break;
    const ch = buf.toString("latin1", 0, 1);
    if (ch === "\n") break;
    line += ch;
  }
  return Buffer.from(line, "latin1").toString("utf8").replace(/\r$/, "");
}

/**
 * speakeasy's Ask as etcdctl uses it: the prompt on stdout, echo turned off with stty
 * (whose complaints about a non-terminal reach stderr, as they do for etcdctl), one line
 * read and trimmed, then a newline on stdout.
 */
export async function askPassword(io: Io, prompt: string): Promise<string> {
  io.out(prompt);
  spawnSync("stty", ["-echo"], { stdio: "inherit" });
  let line: string;
  try {
    line = readLineSync();
  } finally {
    spawnSync("stty", ["echo"], { stdio: "inherit" });
  }
  io.out("\n");
  return line.trim();
}
