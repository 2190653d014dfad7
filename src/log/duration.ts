// Go's time.Duration text form, which etcd uses in flags ("5s", "2h"), in zap log fields
// ("took":"1.01994ms") and in capnslog lines. Durations here are milliseconds (number,
// fractional for sub-millisecond precision); Go's unit is the nanosecond.

const NS_PER_MS = 1e6;

/** Go's `Duration.String()` for a duration given in milliseconds: "0s", "1.5ms", "1m30s", "2h0m0s". */
export function formatDuration(ms: number): string {
  let ns = Math.round(ms * NS_PER_MS);
  const neg = ns < 0;
  if (neg) ns = -ns;
  let out: string;
  if (ns < 1e9) {
    if (ns === 0) return "0s";
    if (ns < 1e3) out = `${ns}ns`;
    else if (ns < 1e6) out = `${fraction(ns, 3)}µs`;
    else out = `${fraction(ns, 6)}ms`;
  } else {
    const secondsPart = `${fraction(ns % 60e9, 9)}s`;
    const minutes = Math.floor(ns / 60e9);
    if (minutes === 0) out = secondsPart;
    else {
      const hours = Math.floor(minutes / 60);
      out = hours > 0 ? `${hours}h${minutes % 60}m${secondsPart}` : `${minutes}m${secondsPart}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** `v / 10**prec` with the fraction's trailing zeros (and a bare point) dropped, as Go's fmtFrac. */
function fraction(v: number, prec: number): string {
  const scale = 10 ** prec;
  const whole = Math.floor(v / scale);
  const frac = (v % scale).toString().padStart(prec, "0").replace(/0+$/, "");
  return frac === "" ? `${whole}` : `${whole}.${frac}`;
}

const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5 micro sign
  μs: 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Thrown with Go's exact message (`time: invalid duration "abc"`). */
export class DurationSyntaxError extends Error {
  override name = "DurationSyntaxError";
}

/** Go's `time.ParseDuration`, returning milliseconds. */
export function parseDuration(text: string): number {
  const quoted = JSON.stringify(text);
  let s = text;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") throw new DurationSyntaxError(`time: invalid duration ${quoted}`);
  let totalNs = 0;
  while (s !== "") {
    const number = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const [all, whole = "", frac] = number;
    if (whole === "" && (frac === undefined || frac === "")) {
      throw new DurationSyntaxError(`time: invalid duration ${quoted}`);
    }
    s = s.slice(all.length);
    const unit = /^[^\d.]*/.exec(s)![0];
    if (unit === "") throw new DurationSyntaxError(`time: missing unit in duration ${quoted}`);
    const scale = UNIT_NS[unit];
    if (scale === undefined) {
      throw new DurationSyntaxError(`time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`);
    }
    s = s.slice(unit.length);
    totalNs += Number(whole || "0") * scale;
    if (frac) totalNs += Math.round(Number(`0.${frac}`) * scale);
    if (totalNs > 2 ** 63) throw new DurationSyntaxError(`time: invalid duration ${quoted}`);
  }
  const ms = totalNs / NS_PER_MS;
  return neg ? -ms : ms;
}
