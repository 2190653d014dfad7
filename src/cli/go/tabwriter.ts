// Go's text/tabwriter as etcdctl configures it for help text (minwidth 0, tabwidth 8,
// padding 1, padchar '\t'): tab-terminated cells of consecutive lines form columns whose
// width is the widest cell plus padding, rounded up to whole tabs.

interface Cell {
  text: string;
  width: number;
}

export interface TabwriterOptions {
  minwidth: number;
  tabwidth: number;
  padding: number;
  padchar: string;
}

const HELP: TabwriterOptions = { minwidth: 0, tabwidth: 8, padding: 1, padchar: "\t" };

export function tabwrite(text: string, opts: TabwriterOptions = HELP): string {
  const lines: Cell[][] = text
    .split("\n")
    .map((line) => line.split("\t").map((t) => ({ text: t, width: [...t].length })));
  const out: string[] = [];
  const widths: number[] = [];

  const padding = (textw: number, cellw: number): string => {
    if (opts.padchar === "\t") {
      const w = Math.ceil(cellw / opts.tabwidth) * opts.tabwidth;
      return "\t".repeat(Math.ceil((w - textw) / opts.tabwidth));
    }
    return opts.padchar.repeat(cellw - textw);
  };

  const writeLines = (line0: number, line1: number): void => {
    for (let i = line0; i < line1; i++) {
      const line = lines[i] as Cell[];
      let s = "";
      line.forEach((c, j) => {
        s += c.text;
        if (j < widths.length && j < line.length - 1) s += padding(c.width, widths[j] as number);
      });
      out.push(s);
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let cur = line0; cur < line1; cur++) {
      if (column >= (lines[cur] as Cell[]).length - 1) continue;
      writeLines(line0, cur);
      line0 = cur;
      let width = opts.minwidth;
      for (; cur < line1; cur++) {
        const line = lines[cur] as Cell[];
        if (column >= line.length - 1) break;
        width = Math.max(width, (line[column] as Cell).width + opts.padding);
      }
      widths.push(width);
      format(line0, cur);
      widths.pop();
      line0 = cur;
      cur--;
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out.join("\n");
}
