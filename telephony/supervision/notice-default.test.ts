import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EventBus } from '../../platform/events.ts';
import type { Logger } from '../../platform/logger.ts';
import { newCall } from '../calls/machine.ts';
import { SupervisionController, type SupervisionDeps } from './controller.ts';
import type { SupervisionViews } from './view-store.ts';

// The court's "show the operator" setting cannot be read (database error): the operator is shown the supervision,
// and the failure is logged as an error, rather than listened to unknowingly.
describe('supervision notice when the setting cannot be read', () => {
  it('tells the operator and logs an error', async () => {
    const callId = randomUUID();
    const courtId = randomUUID();
    const operatorId = randomUUID();
    const published: { audience: unknown; status: string }[] = [];
    const errors: string[] = [];
    const state = { ...newCall({ callId, channelId: 'caller-ch', courtId, callerNumber: '13800000000' }), phase: 'connected', operator: { userId: operatorId, channelId: 'op-ch' }, bridgeId: 'main-br' };
    const d = {
      ari: { execute: async () => undefined },
      calls: { holdsCall: () => true, submit: () => undefined },
      store: { get: async () => ({ state, arrivedAt: 0, dialled: '12368', eventSeq: 1 }) },
      views: { set: async () => undefined, remove: async () => undefined } as unknown as SupervisionViews,
      events: { publish: async (e: { audience: unknown; data: { status: string } }) => (published.push({ audience: e.audience, status: e.data.status }), 'id') } as unknown as EventBus,
      showsOperator: async () => {
        throw new Error('database away');
      },
      logger: { error: (_o: unknown, msg: string) => errors.push(msg), warn() {}, info() {}, debug() {} } as unknown as Logger,
      ringSeconds: 20,
    } as unknown as SupervisionDeps;
    const supervision = new SupervisionController(d);
    supervision.request({ action: 'start', callId, supervisorId: randomUUID(), dial: 'PJSIP/mgr', mode: 'listen' });
    await expect.poll(() => supervision.session(callId)?.legId).toBeTruthy();
    supervision.handle({ type: 'StasisStart', channel: { id: supervision.session(callId)!.legId } } as never);
    await expect.poll(() => published.filter((p) => p.status === 'started').map((p) => p.audience)).toEqual([{ roles: ['manager', 'department_head'] }, { userIds: [operatorId] }]);
    expect(errors.some((m) => m.includes('supervision notice setting not read'))).toBe(true);
  });
});
