import { afterEach, describe, expect, it, vi } from 'vitest';
import { retry } from './retry.ts';

describe('retry', () => {
  afterEach(() => void vi.useRealTimers());

  it('tries again after each wait it is given, and throws the last error when told to stop', async () => {
    vi.useFakeTimers();
    let tries = 0;
    const heard: Array<[number, number]> = [];
    const done = retry(
      async () => {
        throw new Error(`refused ${++tries}`);
      },
      (failures) => (failures < 3 ? failures * 100 : undefined),
      (_err, failures, wait) => void heard.push([failures, wait]),
    );
    const settled = expect(done).rejects.toThrow('refused 3');
    await vi.advanceTimersByTimeAsync(300);
    await settled;
    expect(tries).toBe(3);
    expect(heard).toEqual([
      [1, 100],
      [2, 200],
    ]);
  });

  it('answers what the work answers once it succeeds', async () => {
    let tries = 0;
    expect(await retry(async () => (++tries < 2 ? Promise.reject(new Error('not yet')) : 'done'), () => 0)).toBe('done');
    expect(tries).toBe(2);
  });
});
