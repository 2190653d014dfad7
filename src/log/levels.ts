// Log levels: one scale for both formats. zap (etcd 3.5's default) and capnslog (3.4's)
// name and order them differently; this file is the single mapping between them.

/** The levels a tetcd logger writes at, lowest first. `notice` is capnslog's N (zap: info). */
export type Level = "debug" | "info" | "notice" | "warn" | "error" | "dpanic" | "panic" | "fatal";

/** The values `--log-level` accepts (etcd's `logutil.ConvertToZapLevel`). */
export const LOG_LEVEL_NAMES = ["debug", "info", "warn", "error", "dpanic", "panic", "fatal"] as const;
export type LogLevelName = (typeof LOG_LEVEL_NAMES)[number];

export function isLogLevelName(s: string): s is LogLevelName {
  return (LOG_LEVEL_NAMES as readonly string[]).includes(s);
}

/** Rank on one scale; a line is written when its rank is >= the threshold. */
export const LEVEL_RANK: Readonly<Record<Level, number>> = {
  debug: 0,
  info: 1,
  notice: 2,
  warn: 3,
  error: 4,
  dpanic: 5,
  panic: 6,
  fatal: 7,
};

/** zap's level names as they appear in the `level` key. */
export const ZAP_LEVEL_LABEL: Readonly<Record<Level, string>> = {
  debug: "debug",
  info: "info",
  notice: "info",
  warn: "warn",
  error: "error",
  dpanic: "dpanic",
  panic: "panic",
  fatal: "fatal",
};

/** zap's threshold for a `--log-level` value: notice counts as info. */
export function zapThreshold(name: LogLevelName): number {
  return LEVEL_RANK[name];
}

/** capnslog's levels as etcd 3.4 numbers them: CRITICAL=-1, ERROR=0 ... DEBUG=4, TRACE=5.
 * A capnslog logger writes a line when the line's level <= the package's level. */
export type CapnslogLevel = -1 | 0 | 1 | 2 | 3 | 4 | 5;

const CAPNSLOG_OF: Readonly<Record<Level, CapnslogLevel>> = {
  debug: 4,
  info: 3,
  notice: 2,
  warn: 1,
  error: 0,
  dpanic: -1,
  panic: -1,
  fatal: -1,
};

/** The capnslog level a line at `level` is written at. */
export function capnslogLevelOf(level: Level): CapnslogLevel {
  return CAPNSLOG_OF[level];
}

/** capnslog's one-letter form of a level (`C`, `E`, `W`, `N`, `I`, `D`, `T`). */
export function capnslogChar(l: CapnslogLevel): string {
  return "CEWNIDT"[l + 1]!;
}

/** etcd's `logutil.ConvertToCapnslogLogLevel`: the package level a `--log-level` value sets
 * (the same as a line's own level; dpanic, panic and fatal all map to CRITICAL). */
export function capnslogThreshold(name: LogLevelName): CapnslogLevel {
  return CAPNSLOG_OF[name];
}

/** capnslog's `ParseLevel`: full names, letters and digits. */
export function parseCapnslogLevel(s: string): CapnslogLevel | undefined {
  switch (s) {
    case "CRITICAL":
    case "C":
      return -1;
    case "ERROR":
    case "0":
    case "E":
      return 0;
    case "WARNING":
    case "1":
    case "W":
      return 1;
    case "NOTICE":
    case "2":
    case "N":
      return 2;
    case "INFO":
    case "3":
    case "I":
      return 3;
    case "DEBUG":
    case "4":
    case "D":
      return 4;
    case "TRACE":
    case "5":
    case "T":
      return 5;
    default:
      return undefined;
  }
}

/**
 * capnslog's `ParseLogLevelConfig` for `--log-package-levels` ("etcdmain=CRITICAL,etcdserver=DEBUG").
 * Returns the map or etcd's error text.
 */
export function parsePackageLevels(conf: string): Map<string, CapnslogLevel> | { error: string } {
  const out = new Map<string, CapnslogLevel>();
  for (const setting of conf.split(",")) {
    const parts = setting.split("=");
    if (parts.length !== 2) return { error: `oddly structured \`pkg=level\` option: ${setting}` };
    const level = parseCapnslogLevel(parts[1]!);
    if (level === undefined) return { error: `couldn't parse log level ${parts[1]}` };
    out.set(parts[0]!, level);
  }
  return out;
}
