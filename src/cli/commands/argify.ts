// How etcdctl splits an interactive line into arguments (its argify), including its
// quirk of trimming single-quoted words by the number of words rather than the word.
import { ExitCode, type Io } from "../io.js";
import { exitWithError } from "../printers/index.js";
import { goUnquote } from "./unquote.js";

export function argify(io: Io, s: string): string[] {
  const re = /"(?:[^"\\]|\\.)*"|'[^']*'|[^'"\s]\S*[^'"\s]?/g;
  const args = s.match(re) ?? [];
  const n = args.length;
  return args.map((a) => {
    if (a.startsWith("'")) {
      // etcdctl slices [1 : len(args)-1]; out of bounds is a Go panic.
      if (n - 1 > a.length || n - 1 < 1) {
        io.err("panic: runtime error: slice bounds out of range\n");
        throw Object.assign(new Error("exit 2"), { name: "Exit", code: 2 });
      }
      return a.slice(1, n - 1);
    }
    if (a.startsWith('"')) {
      try {
        return goUnquote(a);
      } catch (err) {
        return exitWithError(io, ExitCode.InvalidInput, err);
      }
    }
    return a;
  });
}
