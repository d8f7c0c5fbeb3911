/** The served figures use signed month memos (kpi/recount-memo.ts) with the hotline's own seal key. */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../api/testing/fixtures.ts';
import type { Db } from '../platform/db/client.ts';
import { syncIncremental } from './sync.ts';
import { insertCall } from './testing/traffic.ts';

const march = Date.UTC(2026, 1, 28, 16); // 2026-03-01 China
const hour = 3_600_000;
const span = 'from=2026-03-01T00:00:00%2B08:00&to=2026-04-01T00:00:00%2B08:00&grain=total';

let url: string;
let db: Db;
let court: SeededCourt;
let cookie: string;

beforeAll(async () => {
  const hotline = await useApi();
  url = hotline.url;
  db = hotline.deps.db;
  court = await seedCourt(db);
  cookie = await sessionCookieFor(db, court.users.manager.id);
  for (let i = 0; i < 5; i++) {
    const at = march + (3 * 24 + 9 + i) * hour;
    await insertCall(db, court.courtId, { id: randomUUID(), arrivedAt: at, inHours: true, queuedAt: at + 5000, answeredAt: i < 4 ? at + 20_000 : null, endedAt: at + 90_000, outcome: i < 4 ? 'answered' : 'abandoned_in_queue', operatorId: i < 4 ? court.users.operator.id : null });
  }
  await syncIncremental(db);
}, 60_000);

const figures = async () => {
  const res = await call(url, 'GET', `/api/kpi/figures?${span}`, { cookie });
  expect(res.status).toBe(200);
  return res.body as { total: { sums: Record<string, number> }; check: { status: string } };
};

describe('KPI figures through month memos', () => {
  it('a closed month is counted once, signed, and a memo padded in the database is never shown', async () => {
    const first = await figures();
    expect(first.total.sums.answered).toBe(4);
    expect(first.check.status).toBe('agrees');
    const memos = await db.execute<{ month: string; signature: string }>(sql`select month::text as month, signature from kpi.recount_memos where court_id = ${court.courtId}`);
    expect(memos.rows.map((m) => m.month)).toEqual(['2026-03-01']);
    expect(memos.rows[0]!.signature.length).toBeGreaterThan(40);

    await db.execute(sql`update kpi.recount_memos set rows = jsonb_set(rows, '{0,sums,answered}', '5') where court_id = ${court.courtId}`);
    const again = await figures();
    expect(again.total.sums.answered).toBe(4);
    expect(again.check.status).toBe('agrees');
  });
});
