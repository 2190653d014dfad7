// What parsing the configuration has to say before a logger exists. etcd prints some of
// it raw on stderr ("[WARNING] Deprecated ...") and logs the rest; the caller replays
// these through the logger it creates from the result.
import { type Fields, type Level, type LogFormat, type Logger, stderr } from "../log/index.js";

export type Notice =
  /** Written to standard error as is (etcd prints these with fmt.Fprintf(os.Stderr, ...)). */
  | { readonly kind: "stderr"; readonly text: string }
  /** A log line: zap's msg and fields, and capnslog's wording in `text`. */
  | {
      readonly kind: "log";
      readonly level: Level;
      readonly pkg: string;
      readonly msg: string;
      readonly fields?: Fields;
      readonly text?: string;
      /** Written only in this format (etcd 3.4 prints some lines in capnslog only). */
      readonly only?: LogFormat;
    };

export function logNotice(level: Level, pkg: string, msg: string, fields?: Fields, text?: string): Notice {
  return {
    kind: "log",
    level,
    pkg,
    msg,
    ...(fields === undefined ? {} : { fields }),
    ...(text === undefined ? {} : { text }),
  };
}

export function stderrNotice(text: string): Notice {
  return { kind: "stderr", text: text.endsWith("\n") ? text : `${text}\n` };
}

/** Writes the notices in order through `logger` (and standard error for raw ones). */
export function emitNotices(notices: readonly Notice[], logger: Logger): void {
  for (const n of notices) {
    if (n.kind === "stderr") stderr().write(n.text);
    else if (n.only === undefined || n.only === logger.format)
      logger.child(n.pkg).log(n.level, n.msg, n.fields, n.text);
  }
}
