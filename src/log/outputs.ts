// Where log lines go: etcd's `--log-outputs` values ("default" and "stderr" are standard
// error, "stdout", or a file path appended to). Writes are synchronous, as zap's and
// capnslog's are, so a line is out before the process can die after it.
import { openSync } from "node:fs";
import pino from "pino";

/** A line sink. Lines arrive complete, newline included. */
export interface LogWriter {
  write(line: string): void;
  /** Pushes out anything buffered (synchronous). */
  flush(): void;
}

/** Raised when an output cannot be opened; the message is etcd's (zap's "open sink"). */
export class LogOutputError extends Error {
  override name = "LogOutputError";
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EISDIR: "is a directory",
  ENOTDIR: "not a directory",
  EROFS: "read-only file system",
};

/** Go's text for a failed open ("open /x: no such file or directory"). */
export function goOpenError(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  return `open ${path}: ${ERRNO_TEXT[code] ?? (error as Error).message}`;
}

function fdWriter(fd: number): LogWriter {
  const dest = pino.destination({ dest: fd, sync: true });
  return { write: (line) => dest.write(line), flush: () => dest.flushSync() };
}

let stderrWriter: LogWriter | undefined;
let stdoutWriter: LogWriter | undefined;

/** The process-wide writer for standard error (one per fd, shared by every logger). */
export function stderr(): LogWriter {
  stderrWriter ??= fdWriter(2);
  return stderrWriter;
}

export function stdout(): LogWriter {
  stdoutWriter ??= fdWriter(1);
  return stdoutWriter;
}

/** Opens one `--log-outputs` value. Files are created if missing and appended to. */
export function openOutput(name: string): LogWriter {
  switch (name) {
    case "default":
    case "stderr":
    case "systemd/journal": // no journald client: standard error, as etcd falls back to
      return stderr();
    case "stdout":
      return stdout();
    default: {
      let fd: number;
      try {
        fd = openSync(name, "a", 0o666);
      } catch (e) {
        throw new LogOutputError(`open sink ${JSON.stringify(name)}: ${goOpenError(name, e)}`);
      }
      return fdWriter(fd);
    }
  }
}

/** One writer that writes every line to each of `writers`. */
export function fanOut(writers: readonly LogWriter[]): LogWriter {
  const unique = [...new Set(writers)];
  if (unique.length === 1) return unique[0]!;
  return {
    write: (line) => {
      for (const w of unique) w.write(line);
    },
    flush: () => {
      for (const w of unique) w.flush();
    },
  };
}
