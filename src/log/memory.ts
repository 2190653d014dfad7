// A writer that keeps lines in memory, for tests of anything that logs.
import type { LogWriter } from "./outputs.js";

export interface MemoryWriter extends LogWriter {
  /** The lines written so far, without their newlines. */
  readonly lines: string[];
}

export function memoryWriter(): MemoryWriter {
  const lines: string[] = [];
  return {
    lines,
    write(line: string) {
      for (const l of line.split("\n")) if (l !== "") lines.push(l);
    },
    flush() {},
  };
}
