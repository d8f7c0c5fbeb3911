/**
 * Group commit: items submitted while a batch is being applied wait and go together in the next batch.
 * One batch runs at a time, so a lone item starts at once (no added delay when quiet) and a burst is applied
 * in a few large transactions instead of hundreds of small ones. When a batch fails, its items are applied
 * one by one, so one bad item fails alone (and a transient failure, e.g. a deadlock, is simply retried).
 */
export class GroupCommit<In, Out> {
  private waiting: { item: In; resolve: (out: Out) => void; reject: (err: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly apply: (items: In[]) => Promise<Out[]>,
    private readonly maxBatch: number,
  ) {}

  submit(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      // Let the other jobs fetched in this turn of the event loop join the first batch.
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      try {
        const outs = await this.apply(batch.map((b) => b.item));
        batch.forEach((b, i) => b.resolve(outs[i]!));
      } catch (err) {
        if (batch.length === 1) batch[0]!.reject(err);
        else
          for (const b of batch) {
            await this.apply([b.item]).then(([out]) => b.resolve(out!), b.reject);
          }
      }
    }
    this.running = false;
  }
}
