/**
 * Runs `work` until it succeeds, waiting `waitAfter(failures, err)` ms after each failure (`failures` counts from
 * 1); `undefined` there ends the tries and the last error is thrown. `onRetry` hears each failure that is tried again.
 */
export async function retry<T>(work: () => Promise<T>, waitAfter: (failures: number, err: unknown) => number | undefined, onRetry?: (err: unknown, failures: number, waitMs: number) => void): Promise<T> {
  for (let failures = 1; ; failures++) {
    try {
      return await work();
    } catch (err) {
      const wait = waitAfter(failures, err);
      if (wait === undefined) throw err;
      onRetry?.(err, failures, wait);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
