import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../api/testing/fixtures.ts';
import { insertCall } from './testing/traffic.ts';

// Wednesday 2026-03-11, China time.
const day = Date.UTC(2026, 2, 10, 16);
const hour = 3_600_000;
const min = 60_000;
let url: string;
let court: SeededCourt;
let cookies: Record<string, string>;

beforeAll(async () => {
  const hotline = await useApi();
  url = hotline.url;
  const db = hotline.deps.db;
  court = await seedCourt(db);
  cookies = { manager: await sessionCookieFor(db, court.users.manager.id), operator: await sessionCookieFor(db, court.users.operator.id) };
  const op = court.users.operator.id;
  const add = (arrived: number, queued: number, answered: number | null, ended: number) =>
    insertCall(db, court.courtId, { id: randomUUID(), arrivedAt: arrived, inHours: true, queuedAt: queued, answeredAt: answered, endedAt: ended, outcome: answered ? 'answered' : 'abandoned_in_queue', operatorId: answered ? op : null });
  // Queued before midnight, still waiting at 00:00, answered at 00:10.
  await add(day - 15 * min, day - 10 * min, day + 10 * min, day + 20 * min);
  // 09:00–09:05 and 09:01–09:03 overlap (two at once); 09:30–09:31 alone; 10:30–10:31 alone.
  await add(day + 9 * hour, day + 9 * hour, day + 9 * hour + 5 * min, day + 9 * hour + 9 * min);
  await add(day + 9 * hour + min, day + 9 * hour + min, null, day + 9 * hour + 3 * min);
  await add(day + 9 * hour + 30 * min, day + 9 * hour + 30 * min, day + 9 * hour + 31 * min, day + 9 * hour + 40 * min);
  await add(day + 10 * hour + 30 * min, day + 10 * hour + 30 * min, day + 10 * hour + 31 * min, day + 10 * hour + 40 * min);
  // Never queued (hung up in the menu): not in the queue.
  await insertCall(db, court.courtId, { id: randomUUID(), arrivedAt: day + 9 * hour, inHours: true, queuedAt: null, answeredAt: null, endedAt: day + 9 * hour + min, outcome: 'abandoned_in_menu', operatorId: null });
}, 60_000);

const span = (from: number, to: number) => `from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(to).toISOString())}`;

describe('GET /api/kpi/queue-length', () => {
  it('the most callers waiting at once per hour, the level carried over midnight', async () => {
    const res = await call(url, 'GET', `/api/kpi/queue-length?${span(day, day + 24 * hour)}`, { cookie: cookies.manager });
    expect(res.status).toBe(200);
    const waiting = Object.fromEntries(res.body.buckets.map((b: { bucket: string; waiting: number }) => [b.bucket.slice(11), b.waiting]));
    expect(res.body.buckets).toHaveLength(24);
    expect(waiting).toMatchObject({ '00:00': 1, '01:00': 0, '08:00': 0, '09:00': 2, '10:00': 1, '11:00': 0 });
    const quarters = await call(url, 'GET', `/api/kpi/queue-length?${span(day + 9 * hour, day + 10 * hour)}&stepMinutes=15`, { cookie: cookies.manager });
    expect(quarters.body.buckets.map((b: { waiting: number }) => b.waiting)).toEqual([2, 0, 1, 0]);
    expect(quarters.body.buckets[0].bucket).toBe('2026-03-11T09:00');
  });

  it('managers only; bad spans and steps are 400', async () => {
    expect((await call(url, 'GET', `/api/kpi/queue-length?${span(day, day + hour)}`, { cookie: cookies.operator })).status).toBe(403);
    for (const q of [`${span(day, day + 3 * 24 * hour)}`, `${span(day + hour, day)}`, `${span(day, day + hour)}&stepMinutes=7`, `${span(day, day + hour)}&bogus=1`]) {
      const res = await call(url, 'GET', `/api/kpi/queue-length?${q}`, { cookie: cookies.manager });
      expect(res.status, q).toBe(400);
      expect(res.body.code).toBe('invalid_input');
    }
  });
});
