import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../api/testing/fixtures.ts';
import { createLogger } from '../platform/logger.ts';
import type { Actor } from '../platform/user-roles.ts';
import { callEvidence } from '../telephony/outbound/evidence.ts';
import { defaultChaseSettings } from '../tickets/deadline.ts';
import { seedReferenceData } from '../tickets/seed.ts';
import { TicketService } from '../tickets/service.ts';
import { deliverByPhone } from '../tickets/testing/phone-delivery.ts';
import { syncIncremental } from './sync.ts';
import { insertCall } from './testing/traffic.ts';

// Tuesday 2026-03-10, China time.
const day = Date.UTC(2026, 2, 9, 16);
const span = `from=${encodeURIComponent(new Date(day).toISOString())}&to=${encodeURIComponent(new Date(day + 86_400_000).toISOString())}`;
const hour = 3_600_000;

let url: string;
let court: SeededCourt;
let cookies: Record<keyof SeededCourt['users'], string>;
const answeredIds: string[] = [];
let ticketId: string;
let rawDb: Parameters<typeof syncIncremental>[0];
let checkpointFile: string;

beforeAll(async () => {
  const hotline = await useApi();
  url = hotline.url;
  const db = hotline.deps.db;
  rawDb = db;
  checkpointFile = hotline.deps.seals.checkpointFile;
  court = await seedCourt(db);
  cookies = Object.fromEntries(await Promise.all(Object.entries(court.users).map(async ([k, u]) => [k, await sessionCookieFor(db, u.id)]))) as typeof cookies;
  const op = court.users.operator.id;
  for (let i = 0; i < 4; i++) {
    const id = randomUUID();
    const at = day + (9 + i) * hour;
    answeredIds.push(id);
    await insertCall(db, court.courtId, { id, arrivedAt: at, inHours: true, queuedAt: at + 5000, answeredAt: at + 15_000 + i * 10_000, endedAt: at + 200_000, outcome: 'answered', operatorId: op });
  }
  await insertCall(db, court.courtId, { id: randomUUID(), arrivedAt: day + 14 * hour, inHours: true, queuedAt: day + 14 * hour + 5000, answeredAt: null, endedAt: day + 14 * hour + 50_000, outcome: 'abandoned_in_queue', operatorId: null });
  // One ticket handed to the judge, due in the day after tomorrow, replied late.
  await seedReferenceData(db);
  let now = day + 10 * hour;
  const service = new TicketService({ db, clock: { now: () => new Date(now) }, logger: createLogger({ level: 'silent', pretty: false }), chase: defaultChaseSettings, onCommit: () => undefined, phoneEvidence: callEvidence(db) });
  const actor = (u: { id: string; role: Actor['role']; departmentId: string | null }): Actor => ({ userId: u.id, role: u.role, courtId: court.courtId, departmentId: u.departmentId });
  const ticket = await service.createFromCall({ courtId: court.courtId, callId: answeredIds[0]!, callerNumber: '13812345678', operatorId: op, category: 'complaint' });
  ticketId = ticket.id;
  const handed = await service.handOff(actor(court.users.operator), ticket.id, { handlerUserId: court.users.judge.id });
  now = handed.deadline!.getTime() + hour;
  await service.reply(actor(court.users.judge), ticket.id, { text: '已处理' });
  await deliverByPhone(db, service, actor(court.users.operator), ticket.id);
  await service.recordCallback(actor(court.users.operator), ticket.id, { resolved: false, satisfaction: 'unsatisfied' });
  await syncIncremental(db);
}, 60_000);

const get = (path: string, who: keyof SeededCourt['users']) => call(url, 'GET', path, { cookie: cookies[who] });

describe('KPI routes', () => {
  it('a manager reads the day’s figures; every rate comes with its counts', async () => {
    const res = await get(`/api/kpi/figures?${span}&grain=day`, 'manager');
    expect(res.status).toBe(200);
    expect(res.body.total.sums).toMatchObject({ calls: 5, offered: 5, answered: 4, abandoned: 1, answered_in_sl: 2, registered: 1 });
    expect(res.body.total.kpis.connectionRate.combined).toBeCloseTo(0.8, 12);
    expect(res.body.rows[0].bucket).toBe('2026-03-10T00:00');
  });

  it('ticket figures fall on the deadline; the late reply counts as completed, not on time, and overdue', async () => {
    const res = await get(`/api/kpi/figures?from=2026-03-01T00:00:00%2B08:00&to=2026-04-01T00:00:00%2B08:00&grain=total&by=judge`, 'manager');
    expect(res.status).toBe(200);
    const judgeRow = res.body.rows.find((r: { key: string }) => r.key === court.users.judge.id);
    expect(judgeRow.sums).toMatchObject({ tickets: 1, due: 1, completed: 1, on_time: 0, overdue: 1, unsatisfied: 1, reopened: 1 });
    expect(judgeRow.kpis.completionRate).toBe(1);
    expect(judgeRow.kpis.onTimeRate).toBe(0);
  });

  it('operators, judges and heads see only their own slice; asking for another is refused', async () => {
    const mine = await get(`/api/kpi/figures?${span}&grain=total`, 'operator');
    expect(mine.status).toBe(200);
    expect(mine.body.total.sums.answered).toBe(4);
    expect(mine.body.total.sums.abandoned).toBe(0); // an abandoned call has no operator
    expect((await get(`/api/kpi/figures?${span}&operatorId=${court.users.manager.id}`, 'operator')).status).toBe(403);
    const other = await get(`/api/kpi/figures?from=2026-03-01T00:00:00%2B08:00&to=2026-04-01T00:00:00%2B08:00&grain=total`, 'otherJudge');
    expect(other.status).toBe(200);
    expect(other.body.total.sums.tickets).toBe(0);
    expect(other.body.total.sums.calls).toBe(0);
    const head = await get(`/api/kpi/figures?from=2026-03-01T00:00:00%2B08:00&to=2026-04-01T00:00:00%2B08:00&grain=total`, 'department_head');
    expect(head.body.total.sums.tickets).toBe(1);
  });

  it('drills down to the exact calls behind a figure', async () => {
    const res = await get(`/api/kpi/drilldown?${span}&measure=answered`, 'manager');
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('call');
    expect(res.body.rows.map((r: { id: string }) => r.id).sort()).toEqual([...answeredIds].sort());
    const tickets = await get(`/api/kpi/drilldown?from=2026-03-01T00:00:00%2B08:00&to=2026-04-01T00:00:00%2B08:00&measure=overdue`, 'manager');
    expect(tickets.body.rows.map((r: { id: string }) => r.id)).toEqual([ticketId]);
  });

  it('exports CSV and XLSX of the same table', async () => {
    const csv = await fetch(`${url}/api/kpi/export?${span}&grain=total&format=csv`, { headers: { cookie: cookies.manager } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    const [header, total] = text.replace('\uFEFF', '').trim().split('\r\n');
    // A whole-span table of the court is one row: the court total, the rate as a percentage.
    expect(header!.split(',').slice(0, 2)).toEqual(['时段', '接通率']);
    expect(total!.split(',').slice(0, 2)).toEqual(['全院合计', '80.0%']);
    const xlsx = await fetch(`${url}/api/kpi/export?${span}&grain=total&format=xlsx`, { headers: { cookie: cookies.manager } });
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const sheet = workbook.getWorksheet('KPI')!;
    expect(sheet.getRow(2).getCell(2).value).toBe('接通率');
    expect(sheet.getRow(3).getCell(1).value).toBe('全院合计');
    expect(sheet.getRow(3).getCell(2).value).toBe(0.8);
  });

  it('bad queries get 400 with the error shape', async () => {
    for (const q of [
      `from=2026-03-11T00:00:00Z&to=2026-03-10T00:00:00Z`,
      `from=2024-01-01T00:00:00Z&to=2026-03-10T00:00:00Z`,
      `${span}&grain=fortnight`,
      `${span}&bogus=1`,
      `${span}&category=${encodeURIComponent("x' or 1=1 --")}`,
      `from=yesterday&to=today`,
    ]) {
      const res = await get(`/api/kpi/figures?${q}`, 'manager');
      expect(res.status, q).toBe(400);
      expect(res.body.code).toBe('invalid_input');
    }
    expect((await get(`/api/kpi/drilldown?${span}&measure=padding`, 'manager')).status).toBe(400);
    expect((await call(url, 'GET', `/api/kpi/figures?${span}`)).status).toBe(401);
  });

  it('settings: admins change them (appended, with who and when); others may not; bad values change nothing', async () => {
    expect((await call(url, 'PUT', '/api/kpi/settings', { cookie: cookies.manager, body: { serviceLevelSeconds: 30, shortAbandonSeconds: 5 } })).status).toBe(403);
    expect((await call(url, 'PUT', '/api/kpi/settings', { cookie: cookies.admin, body: { serviceLevelSeconds: 0, shortAbandonSeconds: 5 } })).status).toBe(400);
    expect((await get('/api/kpi/settings', 'manager')).body).toMatchObject({ serviceLevelSeconds: 20, shortAbandonSeconds: 0, changedAt: null });
    const changed = await call(url, 'PUT', '/api/kpi/settings', { cookie: cookies.admin, body: { serviceLevelSeconds: 30, shortAbandonSeconds: 5 } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ serviceLevelSeconds: 30, shortAbandonSeconds: 5, changedBy: court.users.admin.id });
  });

  it('weekly report on demand: top categories, overdue tickets, unsatisfied callers (masked), figures against targets', async () => {
    const res = await call(url, 'POST', '/api/kpi/weekly-reports', { cookie: cookies.manager, body: { weekOf: '2026-03-10' } });
    expect(res.status).toBe(201);
    expect(res.body.weekStart).toBe('2026-03-09');
    // With the report, a signed checkpoint of every chain's head (the seals' checkpoint file).
    // Every domain's heads: the ticket trail, the call records and the quality review trail (even while empty).
    expect(JSON.parse(readFileSync(checkpointFile, 'utf8').trim().split('\n').at(-1)!)).toMatchObject({
      reason: `weekly report ${court.courtId} 2026-03-09`,
      heads: { tickets: expect.any(Object), calls: expect.any(Object), quality: expect.any(Object) },
    });
    expect(res.body.body.figures.sums.calls).toBe(5);
    expect(res.body.body.againstTargets.find((t: { figure: string }) => t.figure === 'connectionRate')).toMatchObject({ value: 0.8, target: 0.95, met: false });
    const dueWeek = await call(url, 'POST', '/api/kpi/weekly-reports', { cookie: cookies.manager, body: { weekOf: new Date(day + 3 * 86_400_000).toISOString().slice(0, 10) } });
    const report = dueWeek.body.body;
    expect(report.topCategories[0]).toEqual({ category: 'complaint', tickets: 1 });
    expect(report.overdueTickets.map((t: { ticketId: string }) => t.ticketId)).toEqual([ticketId]);
    expect(report.unsatisfiedCallers[0].callerNumber).toBe('138****5678');
    const list = await get('/api/kpi/weekly-reports', 'manager');
    expect(list.body.map((r: { id: number }) => r.id)).toEqual([dueWeek.body.id, res.body.id]);
    expect((await get(`/api/kpi/weekly-reports/${res.body.id}`, 'admin')).status).toBe(200);
    expect((await get(`/api/kpi/weekly-reports/${res.body.id}`, 'operator')).status).toBe(403);
    expect((await get(`/api/kpi/weekly-reports/999999`, 'manager')).status).toBe(404);
    expect((await call(url, 'POST', '/api/kpi/weekly-reports', { cookie: cookies.manager, body: { weekOf: '2099-01-01' } })).status).toBe(400);
  });

  it('calls to a number that maps to no court: counted for the admin (deployment-wide), in no court’s figures', async () => {
    const at = day + 11 * hour;
    const id = randomUUID();
    await rawDb.execute(sql`insert into telephony.calls (id, court_id, channel_id, caller_number, dialled, arrived_at, outcome, hangup_by, ended_at, in_hours, skill, queued_at)
      values (${id}, null, ${'ch-' + id}, '13700000000', '12368999', ${new Date(at).toISOString()}, 'abandoned_in_queue', 'caller', ${new Date(at + 40_000).toISOString()}, true, 'general', ${new Date(at + 3000).toISOString()})`);
    await syncIncremental(rawDb);
    const res = await get(`/api/kpi/unassigned?${span}`, 'admin');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ calls: 1, offered: 1, answered: 0, abandoned: 1, numbers: [{ dialled: '12368999', calls: 1 }] });
    expect((await get(`/api/kpi/unassigned?${span}`, 'manager')).status).toBe(403);
    expect((await get(`/api/kpi/figures?${span}&grain=total`, 'manager')).body.total.sums.calls).toBe(5);
  });
});
