// Lines from standard input, one at a time, as bufio.Reader.ReadString('\n') gives them:
// undefined at end of input when no newline ended the last line (Go's io.EOF).
export class LineReader {
  private buf = Buffer.alloc(0);
  private ended = false;
  private waiter: (() => void) | undefined;
  private readonly onData = (chunk: Buffer) => {
    this.buf = Buffer.concat([this.buf, chunk]);
    this.wake();
  };
  private readonly onEnd = () => {
    this.ended = true;
    this.wake();
  };

  constructor(private readonly input: NodeJS.ReadableStream = process.stdin) {
    input.on("data", this.onData);
    input.on("end", this.onEnd);
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  async readLine(): Promise<string | undefined> {
    for (;;) {
      const nl = this.buf.indexOf(10);
      if (nl !== -1) {
        const line = this.buf.subarray(0, nl).toString("utf8");
        this.buf = this.buf.subarray(nl + 1);
        return line;
      }
      if (this.ended) return undefined;
      await new Promise<void>((r) => {
        this.waiter = r;
      });
    }
  }

  close(): void {
    this.input.off("data", this.onData);
    this.input.off("end", this.onEnd);
    (this.input as NodeJS.ReadStream).pause?.();
  }
}
