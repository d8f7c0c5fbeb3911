import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../api/testing/fixtures.ts';
import { insertCall } from '../kpi/testing/traffic.ts';
import { createLogger } from '../platform/logger.ts';
import { defaultChaseSettings } from '../tickets/deadline.ts';
import { seedReferenceData } from '../tickets/seed.ts';
import { TicketService } from '../tickets/service.ts';

const at = Date.UTC(2026, 2, 10, 2); // 10:00 China time
let url: string;
let court: SeededCourt;
let other: SeededCourt;
let cookies: Record<string, string>;
const answered = randomUUID();
const abandoned = randomUUID();
let ticketNumber: string;

beforeAll(async () => {
  const hotline = await useApi();
  url = hotline.url;
  const db = hotline.deps.db;
  court = await seedCourt(db);
  other = await seedCourt(db);
  cookies = {};
  for (const [k, u] of Object.entries(court.users)) cookies[k] = await sessionCookieFor(db, u.id);
  cookies.otherManager = await sessionCookieFor(db, other.users.manager.id);
  const op = court.users.operator.id;
  await insertCall(db, court.courtId, { id: answered, arrivedAt: at, inHours: true, queuedAt: at + 8000, answeredAt: at + 20_500, endedAt: at + 200_000, outcome: 'answered', operatorId: op });
  await db.execute(sql`insert into telephony.call_events (id, call_id, court_id, at, seq, kind, operator_id, data)
    values (${randomUUID()}, ${answered}, ${court.courtId}, ${new Date(at + 6000).toISOString()}, 10, 'menu_choice', null, '{"digit":"2","option":"litigation_service"}'::jsonb)`);
  await db.execute(sql`insert into telephony.transfer_legs (call_id, seq, court_id, mode, target_kind, target_user_id, target_label, dial, started_at, answered_at, ended_at, outcome)
    values (${answered}, 1, ${court.courtId}, 'blind', 'judge', ${court.users.judge.id}, '张法官', 'PJSIP/8001', ${new Date(at + 100_000).toISOString()}, ${new Date(at + 105_000).toISOString()}, ${new Date(at + 200_000).toISOString()}, 'answered')`);
  await insertCall(db, court.courtId, { id: abandoned, arrivedAt: at + 60_000, inHours: true, queuedAt: at + 65_000, answeredAt: null, endedAt: at + 95_000, outcome: 'abandoned_in_queue', operatorId: null });
  await seedReferenceData(db);
  const service = new TicketService({ db, clock: { now: () => new Date(at + 150_000) }, logger: createLogger({ level: 'silent', pretty: false }), chase: defaultChaseSettings, onCommit: () => undefined });
  ticketNumber = (await service.createFromCall({ courtId: court.courtId, callId: answered, callerNumber: '13812345678', operatorId: op, category: 'case_progress' })).number;
}, 60_000);

const get = (id: string, who: string) => call(url, 'GET', `/api/telephony/calls/${id}`, { cookie: cookies[who] });

describe('GET /api/telephony/calls/:callId', () => {
  it('a manager reads the call: course, menu choice, wait, operator by name, transfer, tickets', async () => {
    const res = await get(answered, 'manager');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: answered, callerNumber: '138****8000', menuOption: 'litigation_service', skill: 'general', waitSeconds: 12.5, talkSeconds: 179.5, outcome: 'answered' });
    expect(res.body.operator).toEqual({ id: court.users.operator.id, name: 'operator 用户' });
    expect(res.body.events.map((e: { kind: string }) => e.kind)).toEqual(['arrived', 'menu_choice', 'queued', 'answered', 'hangup']);
    expect(res.body.events.find((e: { kind: string }) => e.kind === 'answered').operator.name).toBe('operator 用户');
    expect(res.body.transfers).toEqual([expect.objectContaining({ targetLabel: '张法官', outcome: 'answered', mode: 'blind' })]);
    expect(res.body.tickets).toEqual([expect.objectContaining({ number: ticketNumber, category: 'case_progress' })]);
    expect(JSON.stringify(res.body)).not.toContain('13800138000');
  });

  it('a caller who gave up: the wait runs to the hang-up; no operator', async () => {
    const res = await get(abandoned, 'admin');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ waitSeconds: 30, talkSeconds: null, operator: null, outcome: 'abandoned_in_queue', tickets: [] });
  });

  it('the operator who took it may read it; not another’s call; judges not at all; other courts see nothing', async () => {
    expect((await get(answered, 'operator')).status).toBe(200);
    const notMine = await get(abandoned, 'operator');
    expect(notMine.status).toBe(403);
    expect(notMine.body.code).toBe('not_your_call');
    expect((await get(answered, 'judge')).status).toBe(403);
    expect((await get(answered, 'otherManager')).status).toBe(404);
    expect((await get(randomUUID(), 'manager')).status).toBe(404);
    const bad = await get('not-a-call', 'manager');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_input');
    expect((await call(url, 'GET', `/api/telephony/calls/${answered}`)).status).toBe(401);
  });
});
