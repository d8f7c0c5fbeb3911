import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loggedLines } from '../../../test/harness/logged.ts';
import type { LiveCall } from '../live-call.ts';
import { newCall } from '../machine.ts';
import type { ExecutorDeps } from './deps.ts';
import { operatorPresence } from './live-state-commands.ts';

// A presence move a call asks for that Redis refuses (the operator was not where the call left them) is logged: a
// warning, or information for a call taken over from a controller whose last step it may repeat.
describe('an operator presence move that does not stick', () => {
  const run = async (takenOver: boolean, moved: boolean) => {
    const { logger: log, lines: logged } = loggedLines();
    const call = { state: newCall({ callId: randomUUID(), channelId: 'caller-ch', courtId: randomUUID(), callerNumber: '13800000000' }), log, ...(takenOver ? { takenOver: true } : {}) } as unknown as LiveCall;
    const d = { presence: { change: async () => moved } } as unknown as Pick<ExecutorDeps, 'live' | 'dispatcher' | 'presence'>;
    const userId = randomUUID();
    await operatorPresence(d, call, { kind: 'operatorOnCall', userId } as never);
    return { logged, userId };
  };

  it('is a warning naming the operator, the move and the states it expected', async () => {
    const { logged, userId } = await run(false, false);
    expect(logged).toEqual([{ level: 'warn', msg: 'operator presence not moved: not in the state this call expected', fields: { userId, change: 'system:on_call', to: 'on_call', expectedFrom: ['ringing'] } }]);
  });

  it('is information on a call taken over, and nothing when the move sticks', async () => {
    expect((await run(true, false)).logged.map((l) => l.level)).toEqual(['info']);
    expect((await run(false, true)).logged).toEqual([]);
  });
});
