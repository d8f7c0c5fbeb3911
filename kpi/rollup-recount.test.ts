import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { dailyMismatches, recountHourly, storedHourly } from './recount.ts';
import { reconcile, syncIncremental } from './sync.ts';
import { useKpiFixture, type KpiFixture } from './testing/fixtures.ts';
import { generateMonth, insertCall, prng, type Traffic } from './testing/traffic.ts';

const monthStart = Date.UTC(2026, 3, 30, 16); // 2026-05-01 China
const hour = 3_600_000;
const seed = Number(process.env.KPI_SEED ?? 7);

let fx: KpiFixture;
let traffic: Traffic;

async function expectRollupsEqualRecount(): Promise<void> {
  const [stored, recount] = await Promise.all([storedHourly(fx.database.db, fx.court.courtId), recountHourly(fx.database.db, fx.court.courtId)]);
  expect(stored.size).toBeGreaterThan(0);
  expect(Object.fromEntries(stored)).toEqual(Object.fromEntries(recount));
  expect(await dailyMismatches(fx.database.db, fx.court.courtId)).toBe(0);
}

beforeAll(async () => {
  fx = await useKpiFixture();
  traffic = await generateMonth({ db: fx.database.db, service: fx.service, setNow: fx.setNow, court: fx.court, monthStart, calls: 120, seed });
}, 120_000);

describe('rollups equal a recount from the raw records', () => {
  it('after rounds of late-arriving calls, calls closing late and ticket events on old tickets, synced as they land', async () => {
    const rnd = prng(seed);
    await syncIncremental(fx.database.db);
    await expectRollupsEqualRecount();
    const newest = Math.max(...traffic.calls.map((c) => c.arrivedAt));
    const drafts = traffic.tickets.filter((t) => !t.byPerson);
    for (let round = 0; round < 4; round++) {
      // Calls spooled during a short outage land now with their original times (within the lookback).
      for (let i = 0; i < 5; i++) {
        const arrivedAt = newest - Math.floor(rnd() * 5 * hour);
        const answered = rnd() < 0.6;
        await insertCall(fx.database.db, fx.court.courtId, { id: randomUUID(), arrivedAt, inHours: true, queuedAt: arrivedAt + 5000, answeredAt: answered ? arrivedAt + 20_000 : null, endedAt: arrivedAt + 90_000, outcome: answered ? 'answered' : 'abandoned_in_queue', operatorId: answered ? fx.court.operator.userId : null });
      }
      // A call still in progress at one sync, closed before the next.
      const open = randomUUID();
      await fx.database.db.execute(sql`insert into telephony.calls (id, court_id, channel_id, caller_number, dialled, arrived_at, in_hours, skill, queued_at)
        values (${open}, ${fx.court.courtId}, ${'ch-' + open}, '13700137000', '12368', ${new Date(newest - hour).toISOString()}, true, 'general', ${new Date(newest - hour + 3000).toISOString()})`);
      await syncIncremental(fx.database.db);
      await expectRollupsEqualRecount();
      await fx.database.db.execute(sql`update telephony.calls set outcome = 'answered', answered_at = queued_at + interval '12 seconds', answered_by = ${fx.court.operator2.userId}, ended_at = queued_at + interval '5 minutes', hangup_by = 'caller' where id = ${open}`);
      // Events on tickets of any age: a person takes up a draft (now registered, new category), hands one off, voids one.
      const draft = drafts.pop();
      if (draft) {
        fx.setNow(draft.createdAt + 2 * 24 * hour);
        await fx.service.edit(fx.court.operator, draft.id, { category: 'complaint' });
        if (round % 2 === 0) await fx.service.handOff(fx.court.operator, draft.id, { handlerUserId: fx.court.judge.userId });
        else await fx.service.void(fx.court.manager, draft.id, { reason: '重复来电' });
      }
      await syncIncremental(fx.database.db);
      await expectRollupsEqualRecount();
    }
    expect(drafts.length).toBeLessThan(traffic.tickets.filter((t) => !t.byPerson).length);
  });

  it('calls that land later than the sync’s lookback are caught by the reconciliation', async () => {
    const old = monthStart + 3 * 24 * hour;
    for (let i = 0; i < 3; i++) {
      await insertCall(fx.database.db, fx.court.courtId, { id: randomUUID(), arrivedAt: old + i * hour, inHours: true, queuedAt: old + i * hour + 4000, answeredAt: old + i * hour + 9000, endedAt: old + i * hour + 60_000, outcome: 'answered', operatorId: fx.court.operator.userId });
    }
    await syncIncremental(fx.database.db);
    const stored = await storedHourly(fx.database.db, fx.court.courtId);
    const recount = await recountHourly(fx.database.db, fx.court.courtId);
    expect(Object.fromEntries(stored)).not.toEqual(Object.fromEntries(recount)); // the lookback cannot see them
    const result = await reconcile(fx.database.db, new Date(monthStart));
    expect(result.calls).toBeGreaterThan(0);
    await expectRollupsEqualRecount();
  });

  it('a full reconcile from nothing rebuilds the same rollups', async () => {
    const before = await storedHourly(fx.database.db, fx.court.courtId);
    await fx.database.db.execute(sql`truncate kpi.rollup_hourly, kpi.rollup_daily, kpi.call_facts, kpi.ticket_facts, kpi.call_tickets`);
    await reconcile(fx.database.db, null);
    expect(Object.fromEntries(await storedHourly(fx.database.db, fx.court.courtId))).toEqual(Object.fromEntries(before));
    await expectRollupsEqualRecount();
  });
});
