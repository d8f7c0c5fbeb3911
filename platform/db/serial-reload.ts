/**
 * Reloads a cache one load at a time: a request during a load causes one more after it, so the last change
 * notified is always seen. A failed load is reported and, with `retryMs`, tried again after that long: a
 * LISTEN subscription may stay up while a read fails (a pool timeout) and would not ask again by itself.
 */
export class SerialReload {
  private loading: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** The one retry pending: failures while one is due (a request's own load failing too) add no second chain. */
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly load: () => Promise<void>,
    private readonly onError: (err: Error) => void,
    private readonly retryMs?: number,
  ) {}

  run(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.again = false;
        try {
          await this.load();
          clearTimeout(this.retry);
          this.retry = undefined;
        } catch (err) {
          this.onError(err as Error);
          if (this.retryMs !== undefined && !this.stopped && this.retry === undefined) {
            this.retry = setTimeout(() => {
              this.retry = undefined;
              if (!this.stopped) void this.run();
            }, this.retryMs);
            this.retry.unref();
          }
        }
      } while (this.again);
      // Cleared here, not in a later microtask, so a change notified right after the last load is never dropped.
      this.loading = undefined;
    })();
    return this.loading;
  }

  /** No more retries (a request still runs a load). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.retry = undefined;
  }
}
