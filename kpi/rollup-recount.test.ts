import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseRows, recountRollups, storedRollups } from './recount.ts';
import { dimensions, queryKpis, rollupChoice, type Grain, type KpiFilter } from './query.ts';
import { reconcile, syncIncremental, upgradeRollupLayout } from './sync.ts';
import { useKpiFixture, type KpiFixture } from './testing/fixtures.ts';
import { generateMonth, insertCall, prng, type Traffic } from './testing/traffic.ts';

const monthStart = Date.UTC(2026, 3, 30, 16); // 2026-05-01 China
const hour = 3_600_000;
const seed = Number(process.env.KPI_SEED ?? 7);

let fx: KpiFixture;
let traffic: Traffic;

async function expectRollupsEqualRecount(): Promise<void> {
  // Every stored row — hourly base, hourly by one dimension, daily by every key set — against the raw records.
  const [stored, recount] = await Promise.all([storedRollups(fx.database.db, fx.court.courtId), recountRollups(fx.database.db, fx.court.courtId)]);
  expect(baseRows(stored).size).toBeGreaterThan(0);
  for (const set of [8, 7, 15]) expect([...stored.keys()].filter((k) => k.startsWith(`day|${set}|`)).length, `daily key set ${set}`).toBeGreaterThan(0);
  expect(Object.fromEntries(stored)).toEqual(Object.fromEntries(recount));
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

  it('late rows of any age, edited and deleted raw rows are followed by the next sync (the change feed), not the reconciliation', async () => {
    const old = monthStart + 3 * 24 * hour;
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const [i, id] of ids.entries()) {
      // A journal replay or a fallback CDR import weeks after the calls: unlinked, unanswered or answered.
      const answered = i !== 1;
      await insertCall(fx.database.db, fx.court.courtId, { id, arrivedAt: old + i * hour, inHours: true, queuedAt: old + i * hour + 4000, answeredAt: answered ? old + i * hour + 9000 : null, endedAt: old + i * hour + 60_000, outcome: answered ? 'answered' : 'abandoned_in_queue', operatorId: answered ? fx.court.operator.userId : null });
    }
    await syncIncremental(fx.database.db);
    await expectRollupsEqualRecount();
    // A late transfer leg of an old call, a call row edited (moved a day), a raw call row deleted.
    await fx.database.db.execute(sql`insert into telephony.transfer_legs (call_id, seq, court_id, mode, target_kind, target_user_id, target_label, dial, started_at, answered_at, ended_at, outcome)
      values (${ids[0]}, 1, ${fx.court.courtId}, 'blind', 'judge', ${fx.court.judge.userId}, '法官', 'PJSIP/judge', ${new Date(old + 30_000).toISOString()}, ${new Date(old + 40_000).toISOString()}, ${new Date(old + 50_000).toISOString()}, 'answered')`);
    await fx.database.db.execute(sql`update telephony.calls set arrived_at = arrived_at + interval '1 day', queued_at = queued_at + interval '1 day', answered_at = answered_at + interval '1 day', ended_at = ended_at + interval '1 day' where id = ${ids[1]}`);
    await fx.database.db.execute(sql`delete from telephony.calls where id = ${ids[2]}`);
    const result = await syncIncremental(fx.database.db);
    expect(result.hours).toBeGreaterThanOrEqual(4);
    await expectRollupsEqualRecount();
    const { rows } = await fx.database.db.execute(sql`select 1 from kpi.call_facts where call_id = ${ids[2]}`);
    expect(rows).toHaveLength(0);
  });

  it('a full reconcile from nothing rebuilds the same rollups', async () => {
    const before = await storedRollups(fx.database.db, fx.court.courtId);
    await fx.database.db.execute(sql`truncate kpi.rollup_hourly, kpi.rollup_daily, kpi.call_facts, kpi.ticket_facts, kpi.call_tickets`);
    await reconcile(fx.database.db, null);
    expect(Object.fromEntries(await storedRollups(fx.database.db, fx.court.courtId))).toEqual(Object.fromEntries(before));
    await expectRollupsEqualRecount();
  });
});

describe('upgrading from rollups of an older layout', () => {
  it('the first sync after the upgrade rebuilds every key set; later ones do not', async () => {
    await reconcile(fx.database.db, null);
    const before = await storedRollups(fx.database.db, fx.court.courtId);
    // As migration 0001 leaves them: hourly base rows and daily court totals only, no layout recorded.
    await fx.database.db.execute(sql`delete from kpi.rollup_hourly where key_set <> 15`);
    await fx.database.db.execute(sql`delete from kpi.rollup_daily where key_set <> 0`);
    await fx.database.db.execute(sql`delete from kpi.sync_state where name = 'rollup_layout'`);
    expect((await storedRollups(fx.database.db, fx.court.courtId)).size).toBeLessThan(before.size);
    expect(await upgradeRollupLayout(fx.database.db)).toBe(true);
    expect(Object.fromEntries(await storedRollups(fx.database.db, fx.court.courtId))).toEqual(Object.fromEntries(before));
    expect(await upgradeRollupLayout(fx.database.db)).toBe(false);
  });
});

describe('the query layer picks the coarsest rollup that answers exactly', () => {
  it('daily rows by any keys, hourly rows by one, the hourly base beyond: each equals the facts alone', async () => {
    await reconcile(fx.database.db, null);
    const { rows } = await fx.database.db.execute<{ operator_id: string; department_id: string; judge_id: string; category: string }>(
      sql`select operator_id, department_id, judge_id, category from kpi.ticket_facts where court_id = ${fx.court.courtId} and judge_id is not null and operator_id is not null limit 1`,
    );
    const pick = rows[0]!;
    const courtId = fx.court.courtId;
    const filters: KpiFilter[] = [
      { courtId },
      { courtId, operatorId: pick.operator_id },
      { courtId, departmentId: pick.department_id },
      { courtId, judgeId: pick.judge_id },
      { courtId, operatorId: pick.operator_id, category: pick.category },
      { courtId, departmentId: pick.department_id, category: pick.category }, // a head's department for one category: three keys with a by
      { courtId, departmentId: pick.department_id, judgeId: pick.judge_id, category: pick.category },
    ];
    const spans: [number, number, Grain][] = [
      [monthStart, monthStart + 31 * 24 * hour, 'total'], // whole China days
      [monthStart - 7 * hour + 1234, monthStart + 20 * 24 * hour + 5 * hour + 999, 'day'], // loose ends on both sides
      [monthStart + 3 * 24 * hour, monthStart + 10 * 24 * hour, 'week'],
      [monthStart + 2 * 24 * hour + 1800_000, monthStart + 4 * 24 * hour, 'hour'],
      // One rollup part at its own grain, read as stored (no adding up again): whole days by day, whole hours by hour.
      [monthStart + 24 * hour, monthStart + 6 * 24 * hour, 'day'],
      [monthStart + 2 * 24 * hour + 3 * hour, monthStart + 3 * 24 * hour, 'hour'],
    ];
    const used = new Set<string>();
    let nonEmpty = 0;
    for (const filter of filters) {
      for (const by of dimensions) {
        for (const [from, to, grain] of spans) {
          const query = { filter, from: new Date(from), to: new Date(to), grain, by, asOf: new Date(Date.UTC(2027, 0, 1)) };
          const choice = rollupChoice(query);
          used.add(`${choice.dailyKeySet === null ? 'hourly' : 'daily'}:${choice.dailyKeySet ?? choice.hourlyKeySet}`);
          const viaRollups = await queryKpis(fx.database.db, query);
          expect(viaRollups, JSON.stringify({ filter, by, grain })).toEqual(await queryKpis(fx.database.db, query, { factsOnly: true }));
          if (viaRollups.some((r) => r.sums.calls + r.sums.tickets > 0)) nonEmpty++;
        }
      }
    }
    // The combinations above reach daily sets of every size (up to all four keys), the hourly single-key sets and the hourly base.
    for (const path of ['daily:0', 'daily:8', 'daily:9', 'daily:2', 'daily:7', 'daily:13', 'daily:15', 'hourly:0', 'hourly:8', 'hourly:15']) expect(used, path).toContain(path);
    expect(nonEmpty).toBeGreaterThan(60);
  });

  it('chooses by the dimensions asked for', () => {
    const courtId = fx.court.courtId;
    expect(rollupChoice({ filter: { courtId }, by: 'court', grain: 'month' })).toEqual({ dailyKeySet: 0, hourlyKeySet: 0 });
    expect(rollupChoice({ filter: { courtId }, by: 'operator', grain: 'total' })).toEqual({ dailyKeySet: 8, hourlyKeySet: 8 });
    expect(rollupChoice({ filter: { courtId, operatorId: randomUUID() }, by: 'category', grain: 'day' })).toEqual({ dailyKeySet: 9, hourlyKeySet: 15 });
    expect(rollupChoice({ filter: { courtId, departmentId: randomUUID(), category: 'complaint' }, by: 'judge', grain: 'day' })).toEqual({ dailyKeySet: 7, hourlyKeySet: 15 });
    expect(rollupChoice({ filter: { courtId, departmentId: randomUUID(), category: 'complaint' }, by: 'operator', grain: 'hour' })).toEqual({ dailyKeySet: null, hourlyKeySet: 15 });
    expect(rollupChoice({ filter: { courtId }, by: 'judge', grain: 'hour' })).toEqual({ dailyKeySet: null, hourlyKeySet: 2 });
  });
});
