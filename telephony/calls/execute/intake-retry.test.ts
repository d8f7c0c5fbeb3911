import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HotlineError } from '../../../platform/errors.ts';
import { loggedLines } from '../../../test/harness/logged.ts';
import type { LiveCall } from '../live-call.ts';
import { newCall } from '../machine.ts';
import type { ExecutorDeps } from './deps.ts';
import { intakeRetryDelaysMs, messageOrCallback } from './intake-commands.ts';

// A caller's message whose ticket cannot be made at once (PostgreSQL away) is tried again until it is made; a refusal
// is not; tries that run out are an error. Fake timers stand in for the minutes between tries.
describe('the ticket of a message left, when the intake fails', () => {
  afterEach(() => void vi.useRealTimers());

  const setUp = (fails: (attempt: number) => Error | undefined) => {
    const { logger: log, lines: logged } = loggedLines();
    const call = { state: newCall({ callId: randomUUID(), channelId: 'caller-ch', courtId: randomUUID(), callerNumber: '13800000000' }), log } as unknown as LiveCall;
    let attempts = 0;
    const made: string[] = [];
    const d = {
      intake: {
        messageLeft: async (m: { callId: string }) => {
          const err = fails(++attempts);
          if (err) throw err;
          made.push(m.callId);
        },
      },
    } as unknown as Pick<ExecutorDeps, 'intake'>;
    messageOrCallback(d, call, { kind: 'intake', what: 'message', recordingName: 'msg-1' } as never);
    return { logged, made, call, attempts: () => attempts };
  };

  it('is made on a later try, each failure a warning', async () => {
    vi.useFakeTimers();
    const t = setUp((n) => (n <= 2 ? new Error('database away') : undefined));
    await vi.advanceTimersByTimeAsync(intakeRetryDelaysMs[0]! + intakeRetryDelaysMs[1]!);
    expect(t.made).toEqual([t.call.state.callId]);
    expect(t.logged.map((l) => l.level)).toEqual(['warn', 'warn']);
  });

  it('is not tried again when refused; tries that run out are an error', async () => {
    vi.useFakeTimers();
    const refused = setUp(() => new HotlineError('invalid_input', 400, 'bad', '无效'));
    await vi.advanceTimersByTimeAsync(0);
    expect([refused.attempts(), refused.logged.map((l) => l.level)]).toEqual([1, ['error']]);

    const down = setUp(() => new Error('database away'));
    await vi.advanceTimersByTimeAsync(intakeRetryDelaysMs.reduce((a, b) => a + b, 0));
    expect(down.attempts()).toBe(intakeRetryDelaysMs.length + 1);
    expect(down.logged.at(-1)).toMatchObject({ level: 'error', msg: 'ticket intake failed: no ticket made' });
    expect(down.made).toEqual([]);
  });
});
