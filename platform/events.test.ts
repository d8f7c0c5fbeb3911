import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { testRedisUrl, useRedisPrefix } from '../test/harness/redis.ts';
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
    await publisher.publish({ type: 'ticket.assigned', courtId: 'c1', audience: { roles: ['judge'] }, data: { ticketId: 't1' } });
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));

    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ type: 'ticket.assigned', courtId: 'c1', audience: { roles: ['judge'] }, data: { ticketId: 't1' } });
    expect(Date.parse(received[0]?.at ?? '')).not.toBeNaN();
    expect(elsewhere).toEqual([]); // another deployment's prefix hears nothing
  });
});
