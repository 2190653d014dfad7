// Proposals waiting for their entry to be applied, by request ID.

export class Waiters<T> {
  private readonly pending = new Map<bigint, { resolve(value: T): void; reject(error: Error): void }>();

  get size(): number {
    return this.pending.size;
  }

  register(id: bigint): Promise<T> {
    if (this.pending.has(id)) throw new Error(`duplicate request id ${id.toString(16)}`);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
    });
  }

  has(id: bigint): boolean {
    return this.pending.has(id);
  }

  resolve(id: bigint, value: T): void {
    const waiter = this.pending.get(id);
    if (waiter === undefined) return; // proposed by another member, or given up on
    this.pending.delete(id);
    waiter.resolve(value);
  }

  reject(id: bigint, error: Error): void {
    const waiter = this.pending.get(id);
    if (waiter === undefined) return;
    this.pending.delete(id);
    waiter.reject(error);
  }

  rejectAll(error: Error): void {
    const waiters = [...this.pending.values()];
    this.pending.clear();
    for (const w of waiters) w.reject(error);
  }
}
