// Process output for the CLI: synchronous writes of raw bytes (keys and values are
// printed as the bytes they are, like Go's fmt.Println(string(b))), and the way a
// command ends with an exit code.
import { writeSync } from "node:fs";

export interface Io {
  out(data: string | Uint8Array): void;
  err(data: string | Uint8Array): void;
}

function writeAll(fd: number, data: string | Uint8Array): void {
  let buf = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data);
  while (buf.length > 0) {
    try {
      const n = writeSync(fd, buf);
      buf = buf.subarray(n);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // The reader went away (`| head`): Go's etcdctl dies of SIGPIPE, silently; so do we,
      // with the status a shell reports for that (128 + 13).
      if (code === "EPIPE") process.exit(141);
      // A non-blocking pipe that is full: wait a moment and try again.
      if (code !== "EAGAIN") throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

export const processIo: Io = {
  out: (d) => writeAll(1, d),
  err: (d) => writeAll(2, d),
};

/** Ends the command with this exit code (after its output was written). */
export class Exit extends Error {
  override name = "Exit";
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** etcdctl's exit codes (ctlv3/command/error.go). */
export const ExitCode = {
  Success: 0,
  Error: 1,
  BadConnection: 2,
  InvalidInput: 3,
  BadFeature: 4,
  Interrupted: 5,
  IO: 6,
  BadArgs: 128,
} as const;
