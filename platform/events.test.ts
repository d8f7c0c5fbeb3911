import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { openMonitor, testRedisUrl, useRedisPrefix } from '../test/harness/redis.ts';
import { z } from 'zod';
import { defineEvents, publishChecked } from './event-specs.ts';
import { EventBus, type HotlineEvent } from './events.ts';
import { createLogger } from './logger.ts';

const logger = createLogger({ level: 'silent', pretty: false });

describe('EventBus', () => {
  it('delivers an event published by one process to the subscribers of another, and skips garbage', async () => {
    const prefix = useRedisPrefix();
    const [a, b] = [new Redis(testRedisUrl), new Redis(testRedisUrl)];
    const [publisher, receiver] = [new EventBus(a, prefix, logger), new EventBus(b, prefix, logger)];
    const other = new EventBus(b, `${prefix}-other`, logger);
    afterAll(async () => {
      await Promise.all([publisher.close(), receiver.close(), other.close()]);
      a.disconnect();
      b.disconnect();
    });
    const received: HotlineEvent[] = [];
    const elsewhere: HotlineEvent[] = [];
    await receiver.subscribe((e) => received.push(e));
    await other.subscribe((e) => elsewhere.push(e));

    await a.publish(receiver.channel, 'not json');
    await a.publish(receiver.channel, '1-1\nnot json either');
    await publisher.publish({ type: 'ticket.assigned', courtId: 'c1', audience: { roles: ['judge'] }, data: { ticketId: 't1' } });
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));

    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ type: 'ticket.assigned', courtId: 'c1', audience: { roles: ['judge'] }, data: { ticketId: 't1' } });
    expect(Date.parse(received[0]?.at ?? '')).not.toBeNaN();
    expect(elsewhere).toEqual([]); // another deployment's prefix hears nothing
  });
});

describe('EventBus replay', () => {
  it('replays what a court missed after an id, and says when its bounded buffer no longer reaches back', async () => {
    const prefix = useRedisPrefix();
    const redis = new Redis(testRedisUrl);
    const bus = new EventBus(redis, prefix, logger, 10);
    afterAll(async () => {
      await bus.close();
      redis.disconnect();
    });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await bus.publish({ type: 'presence.changed', courtId: 'c1', audience: { roles: ['manager'] }, data: { n: i } }));
    await bus.publish({ type: 'presence.changed', courtId: 'c2', audience: { roles: ['manager'] }, data: { n: 99 } });

    const missed = await bus.replay('c1', ids[1]!);
    expect(missed.complete).toBe(true);
    expect(missed.events.map((e) => (e.data as { n: number }).n)).toEqual([2, 3, 4]);
    expect(missed.events[0]).toMatchObject({ id: ids[2], type: 'presence.changed', courtId: 'c1' });
    expect(await bus.replay('c1', ids[4]!)).toEqual({ events: [], complete: true });
    expect((await bus.replay('c1', ids[0]!, 2)).complete).toBe(false); // more missed than the limit
    expect((await bus.replay('c1', '1-0')).complete).toBe(false); // before the buffer
    expect((await bus.replay('c1', 'garbage')).complete).toBe(false);
    expect((await bus.replay('c3', ids[0]!)).complete).toBe(false); // nothing buffered for that court

    for (let i = 0; i < 300; i++) await bus.publish({ type: 'presence.changed', courtId: 'c1', audience: {}, data: { n: i } });
    expect(await redis.xlen(`${prefix}:events:court:c1`)).toBeLessThan(120); // trimmed near 10 (approximate trimming)
    expect((await bus.replay('c1', ids[4]!)).complete).toBe(false);
  });
});

describe('EventBus publishing in bursts', () => {
  it('events published in one tick go out together, each with its own id, in order, per court', async () => {
    const prefix = useRedisPrefix();
    const [a, b] = [new Redis(testRedisUrl), new Redis(testRedisUrl)];
    const [publisher, receiver] = [new EventBus(a, prefix, logger), new EventBus(b, prefix, logger)];
    afterAll(async () => {
      await Promise.all([publisher.close(), receiver.close()]);
      a.disconnect();
      b.disconnect();
    });
    const received: HotlineEvent[] = [];
    await receiver.subscribe((e) => received.push(e));
    const monitor = await openMonitor();
    const scripts: string[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args[0]?.toLowerCase() === 'evalsha' && args[3]?.startsWith(prefix)) scripts.push(args[3]);
    });

    const ids = await Promise.all(Array.from({ length: 30 }, (_, n) => publisher.publish({ type: 'presence.changed', courtId: n % 3 === 0 ? 'c2' : 'c1', audience: {}, data: { n } })));
    for (let i = 0; i < 50 && received.length < 30; i++) await new Promise((r) => setTimeout(r, 20));
    monitor.disconnect();

    // Ids order a court's stream (two courts' streams may hand out the same id).
    expect(new Set(ids.filter((_, n) => n % 3 !== 0)).size).toBe(20);
    expect(received.map((e) => (e.data as { n: number }).n).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, n) => n));
    const inCourt = (court: string) => received.filter((e) => e.courtId === court).map((e) => (e.data as { n: number }).n);
    expect(inCourt('c1')).toEqual([...inCourt('c1')].sort((x, y) => x - y));
    expect(received.find((e) => (e.data as { n: number }).n === 4)?.id).toBe(ids[4]);
    expect(scripts).toHaveLength(2); // one script call per court, not one per event
    expect((await publisher.replay('c2', ids[0]!)).events.map((e) => (e.data as { n: number }).n)).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27]);
  });

  it('events published over a few ticks within the linger share one script call; close sends what lingers', async () => {
    const prefix = useRedisPrefix();
    const redis = new Redis(testRedisUrl);
    afterAll(() => redis.disconnect());
    const monitor = await openMonitor();
    const scripts: string[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args[0]?.toLowerCase() === 'evalsha' && args[3]?.startsWith(prefix)) scripts.push(args[3]);
    });
    const publishSpread = async (bus: EventBus, court: string) => {
      const sent: Promise<string>[] = [];
      for (let n = 0; n < 3; n++) {
        sent.push(bus.publish({ type: 'presence.changed', courtId: court, audience: {}, data: { n } }));
        await new Promise((r) => setImmediate(r));
      }
      return Promise.all(sent);
    };
    await publishSpread(new EventBus(redis, prefix, logger, 1000, 20), 'lingered');
    await publishSpread(new EventBus(redis, prefix, logger, 1000, 0), 'each-tick');
    const closing = new EventBus(redis, prefix, logger, 1000, 60_000);
    const last = closing.publish({ type: 'presence.changed', courtId: 'closing', audience: {}, data: { n: 0 } });
    await closing.close();
    expect(await last).toMatch(/^\d+-\d+$/);
    await new Promise((r) => setTimeout(r, 50));
    monitor.disconnect();
    const calls = (court: string) => scripts.filter((key) => key === `${prefix}:events:court:${court}`).length;
    expect(calls('lingered')).toBe(1);
    expect(calls('each-tick')).toBe(3);
    expect(await redis.xlen(`${prefix}:events:court:closing`)).toBe(1);
  });
});

describe('EventBus failures are said, never swallowed', () => {
  const capture = () => {
    const lines: Array<{ level: number; msg: string; [key: string]: unknown }> = [];
    return { lines, logger: createLogger({ level: 'debug', pretty: false }, { write: (line: string) => void lines.push(JSON.parse(line)) }) };
  };

  it('events that Redis does not take are logged once per batch with their types, and their publishers are told', async () => {
    const { lines, logger: seen } = capture();
    const away = new Redis(testRedisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const clientErrors: Error[] = [];
    away.on('error', (err: Error) => clientErrors.push(err)); // the same refusal, also emitted by the client
    const bus = new EventBus(away, useRedisPrefix(), seen);
    const sent = [
      bus.publish({ type: 'call.offered', courtId: 'c1', audience: { roles: ['operator'] }, data: {} }),
      bus.publish({ type: 'call.ended', courtId: 'c1', audience: { roles: ['operator'] }, data: {} }),
    ];
    for (const s of sent) await expect(s).rejects.toThrow();
    const warned = lines.filter((l) => l.msg === 'events not published');
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ level: 40, courtId: 'c1', events: 2, types: ['call.offered', 'call.ended'] });
    await bus.close();
    away.disconnect();
  });

  it('an event whose data does not match its declaration is refused and logged as an error', async () => {
    const { lines, logger: seen } = capture();
    const redis = new Redis(testRedisUrl);
    const bus = new EventBus(redis, useRedisPrefix(), seen);
    const specs = defineEvents({ 'ticket.assigned': { to: 'judges', data: z.object({ ticketId: z.string() }) } });
    await expect(publishChecked(specs, bus, { type: 'ticket.assigned', courtId: 'c1', audience: { roles: ['judge'] }, data: { ticketId: 7 } as never })).rejects.toThrow();
    expect(lines.find((l) => l.msg === 'event not published: its data does not match its declaration')).toMatchObject({ level: 50, type: 'ticket.assigned' });
    await bus.close();
    redis.disconnect();
  });
});
