import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../platform/logger.ts';
import { loggedLines } from '../../test/harness/logged.ts';
import { queueFailureErrorAfterMs, untilQueued } from './until-queued.ts';

// A job Redis does not take at once (a survey answer, a relay result) is added again until it is, each refusal a warning.
describe('untilQueued', () => {
  afterEach(() => void vi.useRealTimers());

  it('adds the job again after a growing wait until Redis takes it', async () => {
    vi.useFakeTimers();
    const warnings: Array<{ retryInMs: number; msg: string }> = [];
    const log = { warn: (fields: { retryInMs: number }, msg: string) => void warnings.push({ retryInMs: fields.retryInMs, msg }) } as unknown as Logger;
    let tries = 0;
    const done = untilQueued(log, 'the survey answer', async () => {
      if (++tries < 3) throw new Error('Connection is closed.');
    });
    await vi.advanceTimersByTimeAsync(500 + 1000);
    await done;
    expect(tries).toBe(3);
    expect(warnings).toEqual([
      { retryInMs: 500, msg: 'could not queue the survey answer: trying again' },
      { retryInMs: 1000, msg: 'could not queue the survey answer: trying again' },
    ]);
  });

  it('says it as an error once Redis has refused it for two minutes', async () => {
    vi.useFakeTimers();
    const { logger, lines } = loggedLines();
    let tries = 0;
    const done = untilQueued(logger, 'the relay result', async () => {
      if (++tries < 12) throw new Error('READONLY You can\'t write against a read only replica.');
    });
    await vi.advanceTimersByTimeAsync(queueFailureErrorAfterMs + 90_000);
    await done;
    expect(lines.map((l) => l.level)).toContain('error');
    expect(lines.filter((l) => l.level === 'error').every((l) => l.msg === 'could not queue the relay result for two minutes or more: trying again')).toBe(true);
    expect(lines.findIndex((l) => l.level === 'error')).toBeGreaterThan(3);
  });
});
