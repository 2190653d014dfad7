// Where raft reports what it does. Default: silent. Raft builds debug and info messages
// only when the logger asks for them, so a silent logger costs nothing.

export interface Logger {
  /** Lowest level wanted; raft skips building messages below it. */
  readonly level: LogLevel;
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export enum LogLevel {
  Debug = 0,
  Info = 1,
  Warn = 2,
  Error = 3,
  Silent = 4,
}

const noop = (): void => {};

export const silentLogger: Logger = {
  level: LogLevel.Silent,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
};

/** A logger that hands "LEVEL message" lines at or above `level` to `sink`. */
export function lineLogger(sink: (line: string) => void, level: LogLevel = LogLevel.Info): Logger {
  const at =
    (l: LogLevel, name: string) =>
    (msg: string): void => {
      if (l >= level) sink(`${name} ${msg}`);
    };
  return {
    level,
    debug: at(LogLevel.Debug, "DEBUG"),
    info: at(LogLevel.Info, "INFO"),
    warn: at(LogLevel.Warn, "WARN"),
    error: at(LogLevel.Error, "ERROR"),
  };
}
