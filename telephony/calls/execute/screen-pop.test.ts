import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EventBus } from '../../../platform/events.ts';
import { loggedLines } from '../../../test/harness/logged.ts';
import type { LiveCall } from '../live-call.ts';
import { newCall } from '../machine.ts';
import type { ExecutorDeps } from './deps.ts';
import { screenPop } from './realtime-commands.ts';

// The screen pop still reaches the operator when the caller's history or the call's draft ticket cannot be had, and
// each failure is logged (the draft's as an error: the call then has no ticket until the operator files one).
describe('the screen pop when its lookups fail', () => {
  it('pops without history or draft, and says why in the log', async () => {
    const operatorId = randomUUID();
    const published: { type: string; data: { draftTicketId: string | null; history: unknown[] } }[] = [];
    const { logger: log, lines: logged } = loggedLines();
    const call = { state: newCall({ callId: randomUUID(), channelId: 'caller-ch', courtId: randomUUID(), callerNumber: '13800000000' }), log } as unknown as LiveCall;
    const d = {
      events: { publish: async (e: (typeof published)[number]) => (published.push(e), '1-1') } as unknown as EventBus,
      callerHistory: async () => {
        throw new Error('database away');
      },
      intake: { draftForCall: async () => {
        throw new Error('database away');
      } },
    } as unknown as Pick<ExecutorDeps, 'events' | 'callerHistory' | 'intake'>;
    screenPop(d, call, { kind: 'screenPop', userId: operatorId } as never);
    await expect.poll(() => published.length).toBe(1);
    expect(published[0]).toMatchObject({ type: 'call.screen_pop', data: { draftTicketId: null, history: [] } });
    expect(logged).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 'warn', msg: 'screen pop without the caller history: it could not be read' }),
        expect.objectContaining({ level: 'error', msg: 'draft ticket for the answered call not made' }),
      ]),
    );
  });
});
