// Go's %q scanning of a double-quoted string (strconv.Unquote rules).

export function goUnquote(q: string): string {
  if (q.length < 2 || q[0] !== '"' || q[q.length - 1] !== '"') throw new Error("invalid syntax");
  const body = q.slice(1, -1);
  const out: number[] = [];
  const pushStr = (s: string) => out.push(...Buffer.from(s, "utf8"));
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== "\\") {
      if (c === '"' || c === "\n") throw new Error("invalid syntax");
      pushStr(c);
      continue;
    }
    const e = body[++i];
    const simple: Record<string, number> = {
      a: 7,
      b: 8,
      f: 12,
      n: 10,
      r: 13,
      t: 9,
      v: 11,
      "\\": 92,
      '"': 34,
      "'": 39,
    };
    if (e !== undefined && simple[e] !== undefined) {
      out.push(simple[e] as number);
    } else if (e === "x") {
      const h = body.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new Error("invalid syntax");
      out.push(Number.parseInt(h, 16));
      i += 2;
    } else if (e === "u" || e === "U") {
      const len = e === "u" ? 4 : 8;
      const h = body.slice(i + 1, i + 1 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) throw new Error("invalid syntax");
      pushStr(String.fromCodePoint(Number.parseInt(h, 16)));
      i += len;
    } else if (e !== undefined && /[0-7]/.test(e)) {
      const o = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(o)) throw new Error("invalid syntax");
      out.push(Number.parseInt(o, 8) & 0xff);
      i += 2;
    } else throw new Error("invalid syntax");
  }
  return Buffer.from(out).toString("latin1") === Buffer.from(out).toString("utf8")
    ? Buffer.from(out).toString("utf8")
    : Buffer.from(out).toString("utf8");
}
