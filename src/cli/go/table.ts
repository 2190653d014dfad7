// olekukonko/tablewriter as etcdctl uses it: a boxed table, headers upper-cased and
// centred, cells right-aligned, and cells wider than 30 columns wrapped at spaces with
// the minimum-raggedness rule.

const MAX_CELL_WIDTH = 30;
const PENALTY = 1e5;

function width(s: string): number {
  return [...s].length;
}

/** tablewriter's Title: underscores (and dots between non-digits) become spaces, upper case. */
function title(name: string): string {
  const rs = [...name];
  const numOrSpace = (c: string | undefined) => c !== undefined && /[0-9 ]/.test(c);
  rs.forEach((r, i) => {
    if (r === "_") rs[i] = " ";
    else if (
      r === "." &&
      ((i !== 0 && !numOrSpace(rs[i - 1])) || (i !== rs.length - 1 && !numOrSpace(rs[i + 1])))
    ) {
      rs[i] = " ";
    }
  });
  let t = rs.join("").trim();
  if (t.length === 0 && name.length > 0) t = " ";
  return t.toUpperCase();
}

function wrapWords(words: string[], lim: number): string[][] {
  const n = words.length;
  const length: number[][] = words.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const row = length[i] as number[];
    row[i] = width(words[i] as string);
    for (let j = i + 1; j < n; j++) row[j] = (row[j - 1] as number) + 1 + width(words[j] as string);
  }
  const nbrk = new Array<number>(n).fill(0);
  const cost = new Array<number>(n).fill(2 ** 31 - 1);
  for (let i = n - 1; i >= 0; i--) {
    const row = length[i] as number[];
    if ((row[n - 1] as number) <= lim) {
      cost[i] = 0;
      nbrk[i] = n;
      continue;
    }
    for (let j = i + 1; j < n; j++) {
      const d = lim - (row[j - 1] as number);
      let c = d * d + (cost[j] as number);
      if ((row[j - 1] as number) > lim) c += PENALTY;
      if (c < (cost[i] as number)) {
        cost[i] = c;
        nbrk[i] = j;
      }
    }
  }
  const lines: string[][] = [];
  for (let i = 0; i < n; i = nbrk[i] as number) lines.push(words.slice(i, nbrk[i]));
  return lines;
}

function wrapString(s: string, lim: number): string[] {
  const words = s.replaceAll("\n", " ").split(" ");
  for (const w of words) lim = Math.max(lim, width(w));
  return wrapWords(words, lim).map((l) => l.join(" "));
}

/** A cell's lines and the width they need. */
function cellLines(s: string): { lines: string[]; width: number } {
  const raw = s.split("\n");
  let max = Math.min(Math.max(0, ...raw.map(width)), MAX_CELL_WIDTH);
  const lines = wrapString(raw.join(" "), max);
  for (const l of lines) max = Math.max(max, width(l));
  return { lines, width: max };
}

export function renderTable(header: string[], rows: string[][]): string {
  const cols = header.length;
  const widths = new Array<number>(cols).fill(0);
  const head = header.map((h, i) => {
    const c = cellLines(title(h));
    widths[i] = Math.max(widths[i] as number, c.width);
    return c.lines;
  });
  const body = rows.map((row) =>
    row.map((cell, i) => {
      const c = cellLines(cell);
      widths[i] = Math.max(widths[i] as number, c.width);
      return c.lines;
    }),
  );
  const line = `+${widths.map((w) => "-".repeat(w + 2)).join("+")}+\n`;
  const center = (s: string, w: number) => {
    const gap = w - width(s);
    if (gap <= 0) return s;
    const left = Math.floor(gap / 2);
    return " ".repeat(left) + s + " ".repeat(gap - left);
  };
  const right = (s: string, w: number) => " ".repeat(Math.max(0, w - width(s))) + s;
  const printRow = (cells: string[][], align: (s: string, w: number) => string): string => {
    const height = Math.max(...cells.map((c) => c.length));
    let out = "";
    for (let x = 0; x < height; x++) {
      out += "|";
      cells.forEach((c, y) => {
        out += ` ${align(c[x] ?? "", widths[y] as number)} |`;
      });
      out += "\n";
    }
    return out;
  };
  let out = line + printRow(head, center) + line;
  for (const r of body) out += printRow(r, right);
  return out + line;
}
