import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../platform/db/client.ts';
import type { Actor } from '../../platform/user-roles.ts';
import { testRedisUrl, useRedisPrefix } from '../../test/harness/redis.ts';
import { createLogger } from '../../platform/logger.ts';
import { CallStore } from '../calls/call-store.ts';
import { newCall } from '../calls/machine.ts';
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
const control = new SupervisionControl({ redis, prefix, store: { get: async () => null, nodeOf: async () => null }, views, db: {} as Db, trunkDial: '' });
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
    await expect.poll(() => received.map((t) => JSON.parse(t))).toEqual([{ action: 'stop', callId, supervisorId: manager.userId, courtId, by: manager.userId }]);
  });
});

// With several nodes (ARI_NODES) calls are saved per node (`<app>@<node>`): the list shows them all, and a request
// goes to the channel of the call's node, which only that node's holder listens to; with no holder it is refused (503).
describe('supervision with several Asterisk nodes', () => {
  it("lists every node's calls; a request reaches the call's node only, and 503 when no one holds that node", async () => {
    const logger = createLogger({ level: 'silent', pretty: false });
    const base = new CallStore(redis, prefix, 'hotline', logger);
    const onNode = (node: string) => new CallStore(redis, prefix, `hotline@${node}`, logger);
    const connected = (callId: string) => ({
      state: { ...newCall({ callId, channelId: `ch-${callId}`, courtId, callerNumber: '13800000000' }), phase: 'connected' as const, operator: { userId: randomUUID(), channelId: `op-${callId}` }, bridgeId: `br-${callId}` },
      arrivedAt: 1000,
      dialled: '12368',
      eventSeq: 1,
    });
    const [one, two] = [randomUUID(), randomUUID()];
    for (const [store, id] of [[onNode('node1'), one], [onNode('node2'), two]] as const) {
      store.save(connected(id) as never);
      store.flush();
    }
    new CallStore(redis, prefix, 'other-app', logger).save(connected(randomUUID()) as never);
    await expect.poll(async () => (await base.listAcrossNodes()).map((s) => s.state.callId).sort()).toEqual([one, two].sort());
    expect(await base.list()).toEqual([]);
    expect(await base.nodeOf(two)).toBe('node2');

    const nodes = new SupervisionControl({ redis, prefix, store: base, views, db: {} as Db, trunkDial: '' });
    await views.set({ callId: two, courtId, supervisorId: manager.userId, mode: 'listen', status: 'active', since: Date.now() });
    // Node 1's holder listens; node 2 has none: a request for node 2's call is refused, naming the node.
    const got: Record<string, unknown[]> = { node1: [], node2: [] };
    const stops = [await nodes.listen({ request: (r) => got.node1!.push(r) }, logger, 'node1')];
    await expect(nodes.join(manager, two, 'barge')).rejects.toMatchObject({ code: 'node_unavailable', httpStatus: 503 });
    stops.push(await nodes.listen({ request: (r) => got.node2!.push(r) }, logger, 'node2'));
    expect(await nodes.join(manager, two, 'barge')).toBe('switch');
    await expect.poll(() => got.node2).toEqual([{ action: 'switch', callId: two, supervisorId: manager.userId, courtId, mode: 'barge' }]);
    expect(got.node1).toEqual([]);
    for (const stop of stops) await stop();
  });
});
