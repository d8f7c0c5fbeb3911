/**
 * The insider: full database access (no signing key), or a manager's or an admin's rights. For every move,
 * either the figure does not change or the disagreement is shown with the recount (docs/kpi.md "Against padding").
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { HotlineError } from '../platform/errors.ts';
import { deliverByPhone } from '../tickets/testing/phone-delivery.ts';
import { seedCourt, type Court } from '../tickets/testing/harness.ts';
import { drillDown } from './drilldown.ts';
import { toCsv } from './export.ts';
import { measureNames } from './measures.ts';
import type { KpiQuery } from './query.ts';
import { recountKpis } from './span-recount.ts';
import { reconcile, syncIncremental } from './sync.ts';
import { kpiTable } from './table.ts';
import { useKpiFixture, type KpiFixture } from './testing/fixtures.ts';
import { generateMonth, insertCall, type Traffic } from './testing/traffic.ts';
import { trueSums } from './testing/truth.ts';

const monthStart = Date.UTC(2026, 5, 30, 16); // 2026-07-01 China
const monthEnd = monthStart + 31 * 86_400_000;
const farFuture = new Date(Date.UTC(2027, 6, 1));
const hour = 3_600_000;

let fx: KpiFixture;
let traffic: Traffic;
let other: Court;
const db = () => fx.database.db;
const month = (extra: Partial<KpiQuery> = {}): KpiQuery => ({ filter: { courtId: fx.court.courtId }, from: new Date(monthStart), to: new Date(monthEnd), grain: 'day', by: 'court', asOf: farFuture, ...extra });

/** The table, its drill-down of every measure and its export agree with each other and with a recount from the raw rows. */
async function expectShownEqualsRecount(query: KpiQuery = month()): Promise<Awaited<ReturnType<typeof kpiTable>>> {
  const table = await kpiTable(db(), query);
  const recount = await recountKpis(db(), query);
  const total = Object.fromEntries(measureNames.map((n) => [n, recount.reduce((a, r) => a + r.sums[n], 0)]));
  expect(table.total.sums).toEqual(total);
  for (const measure of ['calls', 'answered', 'offered', 'due', 'completed', 'registered'] as const) {
    const drill = await drillDown(db(), { filter: query.filter, from: query.from, to: query.to, asOf: query.asOf!, measure, limit: 1, offset: 0 });
    expect(drill.total, measure).toBe(table.total.sums[measure]);
  }
  const csv = toCsv(table, { lang: 'en' });
  expect(csv).toContain(table.check.status === 'agrees' ? 'agrees with the raw rows' : 'rollups disagree with the raw rows');
  return table;
}

beforeAll(async () => {
  fx = await useKpiFixture();
  other = await seedCourt(fx.database, 'J0802');
  traffic = await generateMonth({ db: db(), service: fx.service, setNow: fx.setNow, court: fx.court, monthStart, calls: 80, seed: 1717 });
  await syncIncremental(db());
}, 120_000);

describe('the insider cannot pad a figure', () => {
  it('starts true: the table agrees with its recount and with the generator', async () => {
    const table = await expectShownEqualsRecount();
    expect(table.check.status).toBe('agrees');
    expect(table.total.sums).toEqual(trueSums(traffic, monthStart, monthEnd).sums);
  });

  it('edits a daily rollup row, then an hourly one: the disagreement is shown, the figures are the recount', async () => {
    const before = await kpiTable(db(), month());
    await db().execute(sql`update kpi.rollup_daily set answered = answered + 40, completed = completed + 9 where court_id = ${fx.court.courtId} and key_set = 0
      and day = (select min(day) from kpi.rollup_daily where court_id = ${fx.court.courtId} and key_set = 0 and day >= '2026-07-01')`);
    const table = await expectShownEqualsRecount();
    expect(table.check.status).toBe('disagrees');
    expect(table.check.differences.map((d) => d.measure).sort()).toEqual(['answered', 'completed']);
    expect(table.check.rollupTotal!.answered).toBe(before.total.sums.answered + 40);
    expect(table.total).toEqual(before.total); // the figure did not move
    // An hour that is not a whole day is read from the hourly rows: edited too, shown too.
    const span = month({ from: new Date(monthStart + 5 * 86_400_000 + 3 * hour), to: new Date(monthStart + 6 * 86_400_000), grain: 'total' });
    await db().execute(sql`update kpi.rollup_hourly set offered = offered + 7 where court_id = ${fx.court.courtId} and key_set = 0
      and hour = (select min(hour) from kpi.rollup_hourly where court_id = ${fx.court.courtId} and key_set = 0 and hour >= ${span.from.toISOString()}::timestamptz and hour < ${span.to.toISOString()}::timestamptz)`);
    const hourly = await expectShownEqualsRecount(span);
    expect(hourly.check.status).toBe('disagrees');
    // The reconciliation repairs the caches; the figure is the same.
    await reconcile(db(), null);
    const repaired = await expectShownEqualsRecount();
    expect(repaired.check.status).toBe('agrees');
    expect(repaired.total).toEqual(before.total);
  });

  it('edits a stored fact (a call made answered): the loose edge that reads it disagrees and shows the recount', async () => {
    const call = traffic.calls.find((c) => c.offered && !c.answered)!;
    await db().execute(sql`update kpi.call_facts set answered = true, wait_ms = 1000 where call_id = ${call.id}`);
    const edge = month({ from: new Date(call.arrivedAt - 60_000), to: new Date(call.arrivedAt + 60_000), grain: 'total' });
    const table = await expectShownEqualsRecount(edge);
    expect(table.check.status).toBe('disagrees');
    expect(table.total.sums.answered).toBe(0);
    await reconcile(db(), null);
  });

  it('deletes a raw call row: the figure follows at the next sync; with the triggers disabled, the disagreement shows', async () => {
    const before = await kpiTable(db(), month());
    const [first, second] = traffic.calls.filter((c) => c.answered);
    await db().execute(sql`delete from telephony.calls where id = ${first!.id}`);
    expect((await expectShownEqualsRecount()).total.sums.calls).toBe(before.total.sums.calls - 1); // recount shown before the sync
    await syncIncremental(db());
    const synced = await expectShownEqualsRecount();
    expect(synced.check.status).toBe('agrees');
    expect(synced.total.sums.calls).toBe(before.total.sums.calls - 1);
    // The owner of the tables silences the change feed and deletes another: no sync sees it, the check does.
    await db().execute(sql`alter table telephony.calls disable trigger kpi_calls_deleted`);
    try {
      await db().execute(sql`delete from telephony.calls where id = ${second!.id}`);
    } finally {
      await db().execute(sql`alter table telephony.calls enable trigger kpi_calls_deleted`);
    }
    await syncIncremental(db());
    const silenced = await expectShownEqualsRecount();
    expect(silenced.check.status).toBe('disagrees');
    expect(silenced.total.sums.calls).toBe(before.total.sums.calls - 2);
    expect(silenced.check.rollupTotal!.calls).toBe(before.total.sums.calls - 1);
    await reconcile(db(), null);
    expect((await expectShownEqualsRecount()).check.status).toBe('agrees');
  });

  it('inserts late rows weeks old (unanswered, unlinked): counted at once by the check, in the rollups at the next sync', async () => {
    const before = await kpiTable(db(), month());
    for (let i = 0; i < 3; i++) {
      const at = monthStart + (3 + i) * 86_400_000 + 2 * hour;
      await insertCall(db(), fx.court.courtId, { id: randomUUID(), arrivedAt: at, inHours: true, queuedAt: at + 3000, answeredAt: null, endedAt: at + 50_000, outcome: 'abandoned_in_queue', operatorId: null });
    }
    const unsynced = await expectShownEqualsRecount();
    expect(unsynced.check.status).toBe('disagrees');
    expect(unsynced.total.sums.abandoned).toBe(before.total.sums.abandoned + 3);
    await syncIncremental(db());
    const synced = await expectShownEqualsRecount();
    expect(synced.check.status).toBe('agrees');
    expect(synced.total.sums.offered).toBe(before.total.sums.offered + 3);
  });

  it('a head approves an extension after the deadline: the ticket stays on its deadline and counts as late', async () => {
    fx.setNow(monthStart + 2 * hour);
    const ticket = await fx.service.create(fx.court.operator, { summary: '执行款查询', category: 'enquiry' });
    const handed = await fx.service.handOff(fx.court.operator, ticket.id, { handlerUserId: fx.court.judge.userId });
    const deadline = handed.deadline!.getTime();
    fx.setNow(deadline + 5 * 86_400_000);
    await fx.service.requestExtension(fx.court.judge, ticket.id, { until: new Date(deadline + 30 * 86_400_000), reason: '补延期' });
    const approved = await fx.service.decideExtension(fx.court.head, ticket.id, { approve: true });
    fx.setNow(approved.deadline!.getTime() - 86_400_000);
    await fx.service.reply(fx.court.judge, ticket.id, { text: '已答复' });
    await deliverByPhone(db(), fx.service, fx.court.operator, ticket.id);
    await syncIncremental(db());
    const { rows } = await db().execute<{ period_at: Date; due_at: Date }>(sql`select period_at, due_at from kpi.ticket_facts where ticket_id = ${ticket.id}`);
    expect(new Date(rows[0]!.period_at).getTime()).toBe(deadline);
    const late = await drillDown(db(), { filter: { courtId: fx.court.courtId }, from: new Date(deadline), to: new Date(deadline + 1), asOf: farFuture, measure: 'overdue', limit: 10, offset: 0 });
    expect(late.rows.map((r) => r.id)).toContain(ticket.id);
    const onTime = await drillDown(db(), { filter: { courtId: fx.court.courtId }, from: new Date(deadline), to: new Date(deadline + 1), asOf: farFuture, measure: 'on_time', limit: 10, offset: 0 });
    expect(onTime.rows.map((r) => r.id)).not.toContain(ticket.id);
    expect((await expectShownEqualsRecount()).check.status).toBe('agrees');
  });

  it("attaches another court's call, or a made-up one, to a ticket: refused (400), nothing changes", async () => {
    const foreign = randomUUID();
    await insertCall(db(), other.courtId, { id: foreign, arrivedAt: monthStart + 4 * hour, inHours: true, queuedAt: monthStart + 4 * hour + 2000, answeredAt: monthStart + 4 * hour + 9000, endedAt: monthStart + 5 * hour, outcome: 'answered', operatorId: other.operator.userId });
    const ticket = await fx.service.create(fx.court.operator, { summary: '诉讼费咨询', category: 'enquiry' });
    const events = async () => (await db().execute(sql`select count(*)::int as n from tickets.ticket_events where ticket_id = ${ticket.id}`)).rows[0];
    const before = await events();
    for (const [callId, code] of [[foreign, 'call_of_another_court'], [randomUUID(), 'unknown_call'], ['call-2', 'unknown_call']] as const) {
      const attach = fx.service.attachCall(fx.court.operator, ticket.id, { callId });
      await expect(attach).rejects.toBeInstanceOf(HotlineError);
      await expect(attach).rejects.toMatchObject({ code, httpStatus: 400 });
      await expect(fx.service.create(fx.court.operator, { summary: '再登记', category: 'enquiry', callId })).rejects.toMatchObject({ code, httpStatus: 400 });
    }
    expect(await events()).toEqual(before);
    // Written straight into the trail by the database's owner (the verify command's to find), such a link
    // still counts in neither court: a call takes a category or a registration only from its own court's tickets.
    await db().execute(sql`insert into tickets.ticket_events (court_id, seq, ticket_id, action, actor_id, actor_role, at, before, after, prev_hash, hash)
      select court_id, (select max(seq) + 1 from tickets.ticket_events where court_id = e.court_id), ticket_id, 'attach_call', actor_id, actor_role, at, '{}'::jsonb, jsonb_build_object('callId', ${foreign}::text), hash, repeat('0', 64)
      from tickets.ticket_events e where ticket_id = ${ticket.id} order by id desc limit 1`);
    await syncIncremental(db());
    const { rows: linked } = await db().execute(sql`select 1 from kpi.call_tickets where call_id = ${foreign}`);
    expect(linked).toHaveLength(1);
    const { rows } = await db().execute<{ registered: boolean; ticket_id: string | null }>(sql`select registered, ticket_id from kpi.call_facts where call_id = ${foreign}`);
    expect(rows[0]).toEqual({ registered: false, ticket_id: null });
  });
});
