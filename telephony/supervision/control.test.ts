import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../platform/db/client.ts';
import type { Actor } from '../../platform/user-roles.ts';
import { testRedisUrl, useRedisPrefix } from '../../test/harness/redis.ts';
import { SupervisionControl } from './control.ts';
import { SupervisionViews } from './view-store.ts';

// A request published with no controller subscribed would be carried out by no one: the API must say so (503).
const prefix = useRedisPrefix();
const redis = new Redis(testRedisUrl);
const sub = new Redis(testRedisUrl);
afterAll(async () => {
  await Promise.all([redis.quit(), sub.quit()]);
});
const views = new SupervisionViews(redis, prefix);
const control = new SupervisionControl({ redis, prefix, store: { get: async () => null }, views, db: {} as Db, trunkDial: '' });
const courtId = randomUUID();
const manager = { userId: randomUUID(), courtId, role: 'manager' } as Actor;

describe('supervision requests with no controller listening', () => {
  it('are refused with 503 telephony_unavailable; with one listening they go through', async () => {
    const callId = randomUUID();
    await views.set({ callId, courtId, supervisorId: manager.userId, mode: 'listen', status: 'active', since: Date.now() });
    await expect(control.leave(manager, callId)).rejects.toMatchObject({ code: 'telephony_unavailable', httpStatus: 503 });

    const received: string[] = [];
    await sub.subscribe(`${prefix}:tel:supervise`);
    sub.on('message', (_c: string, text: string) => received.push(text));
    await control.leave(manager, callId);
    await expect.poll(() => received.map((t) => JSON.parse(t))).toEqual([{ action: 'stop', callId, supervisorId: manager.userId, by: manager.userId }]);
  });
});
