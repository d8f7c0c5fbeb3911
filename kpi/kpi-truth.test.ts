import { beforeAll, describe, expect, it } from 'vitest';
import { drillDown } from './drilldown.ts';
import { deriveKpis } from './kpis.ts';
import { measureNames, type MeasureName } from './measures.ts';
import { queryKpis } from './query.ts';
import { changeSettings } from './settings.ts';
import { reconcile, syncIncremental } from './sync.ts';
import { useKpiFixture, type KpiFixture } from './testing/fixtures.ts';
import { generateMonth, type Traffic } from './testing/traffic.ts';
import { trueSums } from './testing/truth.ts';
import { randomUUID } from 'node:crypto';
import { writeRecords } from '../telephony/records/repository.ts';
import { fallbackCallRecords, type FallbackCdr } from '../telephony/records/fallback-cdr.ts';
import type { JournalRecord } from '../telephony/records/records.ts';
import { recountRollups, storedRollups } from './recount.ts';
import { kpiTable, uncheckedTable } from './table.ts';

// March 2026, China time: 2026-03-01T00:00+08:00.
const monthStart = Date.UTC(2026, 1, 28, 16);
const monthEnd = Date.UTC(2026, 2, 31, 16);
const farFuture = new Date(Date.UTC(2027, 0, 1));
const seed = Number(process.env.KPI_SEED ?? 20260301);

let fx: KpiFixture;
let traffic: Traffic;

beforeAll(async () => {
  fx = await useKpiFixture();
  traffic = await generateMonth({ db: fx.database.db, service: fx.service, setNow: fx.setNow, court: fx.court, monthStart, calls: 300, seed });
  await syncIncremental(fx.database.db);
}, 120_000);

/** The month's table agrees with its recount and the truth; every stored rollup row equals an independent recount. */
async function expectFiguresTrue(): Promise<void> {
  const table = await kpiTable(fx.database.db, { filter: { courtId: fx.court.courtId }, from: new Date(monthStart), to: new Date(monthEnd), grain: 'day', by: 'court', asOf: farFuture });
  expect(table.check.status).toBe('agrees');
  expect(table.total.sums).toEqual(trueSums(traffic, monthStart, monthEnd).sums);
  // The benchmarks' table without its recount claims nothing about the raw rows.
  const unchecked = await uncheckedTable(fx.database.db, { filter: { courtId: fx.court.courtId }, from: new Date(monthStart), to: new Date(monthEnd), grain: 'day', by: 'court', asOf: farFuture });
  expect(unchecked.check.status).toBe('unchecked');
  expect(unchecked.total.sums).toEqual(table.total.sums);
  const [stored, recount] = await Promise.all([storedRollups(fx.database.db, fx.court.courtId), recountRollups(fx.database.db, fx.court.courtId)]);
  expect(Object.fromEntries(stored)).toEqual(Object.fromEntries(recount));
}

describe('every KPI against the generator’s true answers (seed ' + seed + ')', () => {
  it('the month as a whole, including tickets due after it (span cut at the month end)', async () => {
    const [row] = await queryKpis(fx.database.db, { filter: { courtId: fx.court.courtId }, from: new Date(monthStart), to: new Date(monthEnd), grain: 'total', by: 'court', asOf: farFuture });
    const truth = trueSums(traffic, monthStart, monthEnd);
    expect(row!.sums).toEqual(truth.sums);
    // The traffic exercises every branch the figures depend on.
    for (const name of ['answered', 'abandoned', 'registered', 'on_spot', 'due', 'completed', 'on_time', 'voided', 'overdue', 'awaiting_handoff', 'callback_done', 'unsatisfied', 'chases'] as const) {
      expect(truth.sums[name], name).toBeGreaterThan(0);
    }
    expect(truth.sums.completed).toBeGreaterThan(truth.sums.on_time); // late replies exist
    const kpis = deriveKpis(row!.sums);
    expect(kpis.completionRate).toBeCloseTo(truth.sums.completed / truth.sums.due, 12);
    const t = truth.sums;
    expect(t.transfer_attempts).toBeGreaterThan(0);
    expect(kpis.connectionRate.combined).toBeCloseTo((t.answered + t.transfers_connected) / (t.offered + t.transfer_attempts), 12);
    expect(kpis.connectionRate.inbound).toBeCloseTo(t.answered / t.offered, 12);
    expect(kpis.connectionRate.transfer).toBeCloseTo(t.transfers_connected / t.transfer_attempts, 12);
    expect(kpis.score).toBe(6 - (truth.sums.answered / truth.sums.offered < 0.95 ? 3 : 0) - (truth.sums.completed / truth.sums.due < 0.95 ? 3 : 0));
  });

  it('by day (every grain adds up to the same), by operator and by category', async () => {
    const filter = { courtId: fx.court.courtId };
    for (const grain of ['hour', 'day', 'week', 'month'] as const) {
      const rows = await queryKpis(fx.database.db, { filter, from: new Date(monthStart), to: new Date(monthEnd), grain, by: 'court', asOf: farFuture });
      const total = Object.fromEntries(measureNames.map((n) => [n, rows.reduce((a, r) => a + r.sums[n], 0)]));
      expect(total, grain).toEqual(trueSums(traffic, monthStart, monthEnd).sums);
    }
    const day = Date.UTC(2026, 2, 9, 16); // 2026-03-10 China
    const [oneDay] = await queryKpis(fx.database.db, { filter, from: new Date(day), to: new Date(day + 86_400_000), grain: 'day', by: 'court', asOf: farFuture });
    expect(oneDay?.sums ?? null).toEqual(trueSums(traffic, day, day + 86_400_000).sums.calls + trueSums(traffic, day, day + 86_400_000).sums.tickets > 0 ? trueSums(traffic, day, day + 86_400_000).sums : null);
    expect(oneDay?.bucket).toBe('2026-03-10T00:00');
    const byOperator = await queryKpis(fx.database.db, { filter, from: new Date(monthStart), to: new Date(monthEnd), grain: 'total', by: 'operator', asOf: farFuture });
    for (const op of [fx.court.operator, fx.court.operator2]) {
      expect(byOperator.find((r) => r.key === op.userId)!.sums).toEqual(trueSums(traffic, monthStart, monthEnd, 20_000, 0, { operatorId: op.userId }).sums);
    }
    const filtered = await queryKpis(fx.database.db, { filter: { ...filter, category: 'complaint' }, from: new Date(monthStart), to: new Date(monthEnd), grain: 'total', by: 'court', asOf: farFuture });
    expect(filtered[0]!.sums).toEqual(trueSums(traffic, monthStart, monthEnd, 20_000, 0, { category: 'complaint' }).sums);
  });

  it('a span that is not whole hours (facts answer the edges)', async () => {
    const from = monthStart + 3 * 86_400_000 + 17 * 60_000 + 1234;
    const to = monthStart + 20 * 86_400_000 + 5 * 3_600_000 + 42_000;
    const [row] = await queryKpis(fx.database.db, { filter: { courtId: fx.court.courtId }, from: new Date(from), to: new Date(to), grain: 'total', by: 'court', asOf: farFuture });
    expect(row!.sums).toEqual(trueSums(traffic, from, to).sums);
  });

  it('figures are cut at "as of": tickets not yet due are not counted', async () => {
    const asOf = new Date(monthStart + 15 * 86_400_000);
    const [row] = await queryKpis(fx.database.db, { filter: { courtId: fx.court.courtId }, from: new Date(monthStart), to: new Date(monthEnd), grain: 'total', by: 'court', asOf });
    expect(row!.sums.due).toBe(trueSums(traffic, monthStart, asOf.getTime()).sums.due);
  });

  it('every figure drills down to exactly the calls and tickets behind it', async () => {
    const truth = trueSums(traffic, monthStart, monthEnd);
    for (const measure of measureNames as MeasureName[]) {
      const result = await drillDown(fx.database.db, { filter: { courtId: fx.court.courtId }, from: new Date(monthStart), to: new Date(monthEnd), asOf: farFuture, measure, limit: 10_000, offset: 0 });
      expect(new Set(result.rows.map((r) => r.id)), measure).toEqual(truth.ids[measure] ?? new Set());
      expect(result.total, measure).toBe(truth.sums[measure]);
    }
  });

  it('right after a journal replay and a fallback CDR import (late rows, unlinked, any outcome), the figures equal the truth and an independent recount', async () => {
    const court = fx.court.courtId;
    const op = fx.court.operator.userId;
    // A controller's journal replayed after a long PostgreSQL outage: calls of days ago, none linked to a ticket.
    const replayed: JournalRecord[] = [];
    for (let i = 0; i < 6; i++) {
      const id = randomUUID();
      const arrivedAt = monthStart + (2 + i * 4) * 86_400_000 + 3 * 3_600_000;
      const answered = i % 3 !== 0;
      const queuedAt = arrivedAt + 4000;
      const answeredAt = answered ? queuedAt + 15_000 : null;
      const endedAt = answered ? answeredAt! + 120_000 : queuedAt + 30_000;
      replayed.push({ kind: 'call_started', id, courtId: court, channelId: `replay-${id}`, callerNumber: '13900139000', dialled: '12368', arrivedAt });
      replayed.push({ kind: 'call_closed', callId: id, arrivedAt, endedAt, summary: { outcome: answered ? 'answered' : 'abandoned_in_queue', hangupBy: 'caller', inHours: true, skill: 'general', queuedAt, answeredAt, answeredBy: answered ? op : null } });
      const legs = i === 1 ? 1 : 0;
      if (legs) replayed.push({ kind: 'transfer_leg', callId: id, seq: 1, courtId: court, mode: 'blind', targetKind: 'judge', targetUserId: fx.court.judge.userId, targetDepartmentId: null, targetLabel: '法官', dial: 'PJSIP/8001', requestedBy: op, caseNumber: null, startedAt: answeredAt! + 5000, answeredAt: null, endedAt: answeredAt! + 25_000, outcome: 'no_answer' });
      traffic.calls.push({ id, arrivedAt, operatorId: answered ? op : null, offered: true, answered, abandoned: !answered, waitMs: answered ? 15_000 : 30_000, handleMs: answered ? 120_000 : null, ticketId: null, transferAttempts: legs, transfersConnected: 0 });
    }
    await writeRecords(fx.database.db, replayed);
    await syncIncremental(fx.database.db);
    await expectFiguresTrue();
    // Calls Asterisk handled alone while no controller was connected, imported from its CDR file later.
    const cdrs: FallbackCdr[] = [];
    for (let i = 0; i < 4; i++) {
      const start = monthStart + (5 + i * 6) * 86_400_000 + 2 * 3_600_000;
      const answered = i % 2 === 0;
      const base = { linkedid: `fb-${i}-${seed}`, src: '13600136000', dialled: '12368', court, result: '', operatorAnswered: null, start };
      cdrs.push({ ...base, uniqueid: base.linkedid, answer: start + 1000, end: start + (answered ? 200_000 : 25_000), channel: `PJSIP/trunk-0000000${i}`, dstchannel: answered ? `PJSIP/op1001-0000001${i}` : '', disposition: 'ANSWERED', hangupSource: `PJSIP/trunk-0000000${i}` });
      if (answered) cdrs.push({ ...base, uniqueid: `${base.linkedid}.1`, answer: start + 9000, end: start + 200_000, channel: `PJSIP/op1001-0000001${i}`, dstchannel: '', disposition: 'ANSWERED', hangupSource: `PJSIP/trunk-0000000${i}` });
    }
    const records = fallbackCallRecords(cdrs, { operatorByEndpoint: new Map([['op1001', op]]), courtFor: () => court, isOpen: () => true });
    for (const r of records) {
      if (r.kind !== 'call_closed') continue;
      const { answeredAt, queuedAt, outcome } = r.summary;
      const answered = answeredAt !== null;
      traffic.calls.push({ id: r.callId, arrivedAt: r.arrivedAt, operatorId: answered ? op : null, offered: true, answered, abandoned: outcome === 'abandoned_in_queue', waitMs: answered ? answeredAt - queuedAt! : outcome === 'abandoned_in_queue' ? r.endedAt - queuedAt! : null, handleMs: answered ? r.endedAt - answeredAt : null, ticketId: null, transferAttempts: 0, transfersConnected: 0 });
    }
    expect(traffic.calls.filter((c) => c.answered && c.ticketId === null).length).toBeGreaterThan(0);
    await writeRecords(fx.database.db, records);
    await syncIncremental(fx.database.db);
    await expectFiguresTrue();
  });

  it('a threshold changed now never rewrites a closed period, not even after a full rebuild', async () => {
    const before = await kpiTable(fx.database.db, { filter: { courtId: fx.court.courtId }, from: new Date(monthStart), to: new Date(monthEnd), grain: 'day', by: 'court', asOf: farFuture });
    await changeSettings(fx.database.db, fx.court.courtId, fx.court.admin.userId, { serviceLevelSeconds: 5, shortAbandonSeconds: 60 }, new Date(monthEnd + 86_400_000));
    await reconcile(fx.database.db, null);
    const after = await kpiTable(fx.database.db, { filter: { courtId: fx.court.courtId }, from: new Date(monthStart), to: new Date(monthEnd), grain: 'day', by: 'court', asOf: farFuture });
    expect(after.total).toEqual(before.total);
    expect(after.check.status).toBe('agrees');
  });

  it('service level and short abandons follow the thresholds in force at the time; the raw rate stays beside', async () => {
    // Thresholds in force since before the month (as an admin set them then).
    await changeSettings(fx.database.db, fx.court.courtId, fx.court.admin.userId, { serviceLevelSeconds: 30, shortAbandonSeconds: 10 }, new Date(monthStart - 86_400_000));
    await reconcile(fx.database.db, null);
    const [row] = await queryKpis(fx.database.db, { filter: { courtId: fx.court.courtId }, from: new Date(monthStart), to: new Date(monthEnd), grain: 'total', by: 'court', asOf: farFuture });
    const truth = trueSums(traffic, monthStart, monthEnd, 30_000, 10_000).sums;
    expect(row!.sums).toEqual(truth);
    expect(truth.abandoned_short).toBeGreaterThan(0);
    const kpis = deriveKpis(row!.sums);
    expect(kpis.abandonRateRaw).toBeCloseTo(truth.abandoned / truth.offered, 12);
    expect(kpis.abandonRate).toBeCloseTo((truth.abandoned - truth.abandoned_short) / (truth.offered - truth.abandoned_short), 12);
    expect(kpis.connectionRate.combinedRaw).toBeCloseTo((truth.answered + truth.transfers_connected) / (truth.offered + truth.transfer_attempts), 12);
  });
});
