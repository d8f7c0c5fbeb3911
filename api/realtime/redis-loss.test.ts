import { afterAll, describe, expect, it } from 'vitest';
import { spawnRedis } from '../../test/harness/redis.ts';
import { ConsoleSocket } from '../testing/console-socket.ts';
import { seedCourt, sessionCookieFor, useApi } from '../testing/fixtures.ts';
import { publishEvent } from './event-catalogue.ts';

// A Redis of this file's own (no persistence), so the test can restart it and lose the event buffer.
const redis = await spawnRedis();
const api = await useApi({ REDIS_URL: redis.url });
const sockets: ConsoleSocket[] = [];
afterAll(() => sockets.forEach((s) => s.close()));

describe('realtime after Redis loses the event buffer', () => {
  it('tells a reconnecting console to resync, and delivers live events again once Redis is back', async () => {
    const court = await seedCourt(api.deps.db);
    const cookie = await sessionCookieFor(api.deps.db, court.users.manager.id);
    const figures = (waiting: number) =>
      publishEvent(api.deps.events, { type: 'wallboard.figures', courtId: court.courtId, audience: { roles: ['manager'] }, data: { at: String(waiting), waiting, operatorsReady: 0, connectionRate: null, completionRate: null } });

    const before = await ConsoleSocket.open(api.url, cookie);
    sockets.push(before);
    await before.next((m) => m.type === 'hello');
    await figures(1);
    const seen = await before.next((m) => m.type === 'wallboard.figures');
    before.close();
    await before.closed();

    await redis.stop();
    await redis.restart(); // started empty: the court's stream (the resume buffer) is gone
    await figures(2); // waits in ioredis's offline queue until the connection is back

    // The session lives in PostgreSQL, so the console signs back in without a new sign-in.
    const after = await ConsoleSocket.open(api.url, cookie, seen.id);
    sockets.push(after);
    const resync = await after.next((m) => m.type === 'resync');
    expect(resync.data.reason).toBeTruthy();

    // Pub/sub resubscribes on its own; publish until a live event arrives (the subscriber may reconnect a little later).
    const deadline = Date.now() + 10_000;
    let waiting = 10;
    while (!after.messages.some((m) => m.type === 'wallboard.figures') && Date.now() < deadline) {
      await figures(++waiting);
      await new Promise((r) => setTimeout(r, 200));
    }
    const live = after.messages.filter((m) => m.type === 'wallboard.figures');
    expect(live.length).toBeGreaterThan(0);
    // Nothing from before the loss is replayed: the first events a resumed console sees are hello, resync, then live ones.
    expect(after.messages.slice(0, 2).map((m) => m.type)).toEqual(['hello', 'resync']);
    expect(live.every((m) => m.data.waiting > 2)).toBe(true);
  });
});
