import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import type { Actor } from '../../platform/user-roles.ts';
import { useRedisPrefix, testRedisUrl } from '../../test/harness/redis.ts';
import { CallControl } from './call-control.ts';
import { CallStore } from './call-store.ts';
import { newCall } from './machine.ts';
import type { Phase } from './types.ts';

const prefix = useRedisPrefix();
const redis = new Redis(testRedisUrl);
const listener = redis.duplicate();
afterAll(async () => {
  listener.disconnect();
  await redis.quit();
});
const store = new CallStore(redis, prefix, 'hotline12368', createLogger({ level: 'silent', pretty: false }));
const control = new CallControl(redis, prefix, store);
const operator: Actor = { userId: 'op-1', role: 'operator', courtId: 'court-a', departmentId: null };

/** Requests the controllers would receive. */
const published: string[] = [];
await listener.subscribe(`${prefix}:tel:control`);
listener.on('message', (_channel: string, text: string) => published.push(JSON.parse(text).input.type));

function saveAt(phase: Phase, bridging?: true): void {
  const state = { ...newCall({ callId: 'call-1', channelId: 'ch-1', courtId: 'court-a', callerNumber: '13800000000' }), phase, operator: { userId: 'op-1', endpoint: 'op1', channelId: 'op-ch' }, ...(bridging ? { bridging } : {}) };
  store.save({ state, arrivedAt: 1000, dialled: '12368', eventSeq: 3 });
}

describe('CallControl: operators’ requests checked against the saved call', () => {
  it('a request that arrives just before the step that allows it is saved waits for it, not refused', async () => {
    saveAt('consulting');
    await expect.poll(async () => (await store.get('call-1'))?.state.phase).toBe('consulting');
    const sent = control.send(operator, 'call-1', { type: 'transfer_requested', target: { kind: 'number', number: '8001' }, mode: 'blind' } as never);
    setTimeout(() => saveAt('connected'), 40);
    await sent;
    await expect.poll(() => published).toEqual(['transfer_requested']);
  });

  it('a request the call’s phase never allows is refused after the rechecks, and nothing is sent', async () => {
    const started = Date.now();
    await expect(control.send(operator, 'call-1', { type: 'transfer_complete' } as never)).rejects.toMatchObject({ code: 'transfer_not_allowed', status: 409 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(published).toEqual(['transfer_requested']);
  });

  it('a transfer of a call answered but not yet found bridged waits for the bridge, and is refused if it never comes', async () => {
    saveAt('connected', true);
    await expect.poll(async () => (await store.get('call-1'))?.state.bridging).toBe(true);
    const transfer = { type: 'transfer_requested', target: { kind: 'number', number: '8001' }, mode: 'blind' } as never;
    await expect(control.send(operator, 'call-1', transfer)).rejects.toMatchObject({ code: 'call_not_connected', status: 409 });
    const sent = control.send(operator, 'call-1', transfer);
    setTimeout(() => saveAt('connected'), 40);
    await sent;
    await expect.poll(() => published).toEqual(['transfer_requested', 'transfer_requested']);
  });

  it('another operator, or a call of another court, is refused at once', async () => {
    await expect(control.send({ ...operator, userId: 'op-2' }, 'call-1', { type: 'transfer_cancel' } as never)).rejects.toMatchObject({ code: 'not_your_call' });
    await expect(control.send({ ...operator, courtId: 'court-b' }, 'call-1', { type: 'transfer_cancel' } as never)).rejects.toMatchObject({ code: 'call_not_found' });
  });
});
