// Timestamps in the two formats' shapes, local time as zap and capnslog print them.

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => n.toString().padStart(3, "0");

/** Wall-clock time in milliseconds with sub-millisecond precision. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

function date(d: Date, sep: string): string {
  return `${d.getFullYear()}${sep}${pad2(d.getMonth() + 1)}${sep}${pad2(d.getDate())}`;
}

function clock(d: Date): string {
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** zap's ISO8601TimeEncoder: "2006-01-02T15:04:05.000Z0700" ("Z" in UTC, else "+0100"). */
export function zapTime(ms: number): string {
  const d = new Date(ms);
  const offset = -d.getTimezoneOffset();
  const zone =
    offset === 0
      ? "Z"
      : `${offset > 0 ? "+" : "-"}${pad2(Math.floor(Math.abs(offset) / 60))}${pad2(Math.abs(offset) % 60)}`;
  return `${date(d, "-")}T${clock(d)}.${pad3(d.getMilliseconds())}${zone}`;
}

/** capnslog's PrettyFormatter: "2006-01-02 15:04:05.000000" (microseconds). */
export function capnslogTime(ms: number): string {
  const d = new Date(Math.floor(ms));
  const micros = Math.floor((ms - Math.floor(ms / 1000) * 1000) * 1000);
  return `${date(d, "-")} ${clock(d)}.${micros.toString().padStart(6, "0")}`;
}

/** Go's standard logger (`log.LstdFlags`) as raft's default logger prints it: "2006/01/02 15:04:05". */
export function goLogTime(ms: number): string {
  const d = new Date(ms);
  return `${date(d, "/")} ${clock(d)}`;
}
