import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, signIn, testPassword, useApi, type SeededCourt } from '../api/testing/fixtures.ts';
import { credentials } from '../api/auth/auth.sql.ts';
import { hashPassword } from '../api/auth/passwords.ts';
import { users } from '../platform/directory.sql.ts';
import { recordings } from '../telephony/recordings/recordings.sql.ts';
import { calls } from '../telephony/telephony.sql.ts';
import { ticketCalls, tickets } from './tickets.sql.ts';
import { worklistExportHeader } from './worklist-export.ts';

/**
 * The work list over HTTP in a hotline with the `api` role (real PostgreSQL, Redis, sign-in and access hook):
 * filters, paging, sorting, role and court scoping, confidential tickets, bad input, the export and the ticket page.
 */
const api = await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '1000' });
let court: SeededCourt;
let other: SeededCourt;
let op2: string;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};
const hour = 3600_000;
const now = Date.now();

const as = (who: string, path: string) => call(api.url, 'GET', `/api${path}`, { cookie: cookies[who] });
const list = async (who: string, query = '') => {
  const r = await as(who, `/tickets${query ? `?${query}` : ''}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { rows: any[]; total: number; totalCapped: boolean; page: number; pageSize: number };
};
const numbers = (page: { rows: { number: string }[] }) => page.rows.map((r) => r.number).sort();

beforeAll(async () => {
  const db = api.deps.db;
  court = await seedCourt(db, 'W0811');
  other = await seedCourt(db, 'W0802');
  const [second] = await db.insert(users).values({ courtId: court.courtId, username: 'w0811-op2', displayName: '王二', role: 'operator', departmentId: null }).returning();
  op2 = second!.id;
  await db.insert(credentials).values({ userId: op2, passwordHash: await hashPassword(testPassword) });
  await db.execute(sql`update platform.users set display_name = '张话务' where id = ${court.users.operator.id}`);
  const [a, b] = court.departmentIds;
  const u = court.users;
  const at = (iso: string) => new Date(iso);
  const base = { courtId: court.courtId, details: '' };
  const rows = [
    { key: 'overdue', number: 'W0811-20261101-0001', stage: 'handoff', ownerId: u.operator.id, handlerUserId: u.judge.id, handlerDepartmentId: a, deadline: new Date(now - hour), category: 'complaint', callerNumber: '13800000001', caseNumber: '（2025）豫0811民初77号', summary: '询问开庭时间', createdAt: at('2026-11-01T10:00:00+08:00') },
    { key: 'soon', number: 'W0811-20261105-0001', stage: 'chase', ownerId: op2, handlerUserId: u.otherJudge.id, handlerDepartmentId: b, deadline: new Date(now + 2 * hour), category: 'enquiry', callerNumber: '13800000002', summary: '执行款何时到账', createdAt: at('2026-11-05T23:30:00+08:00') },
    { key: 'closed', number: 'W0811-20261110-0001', stage: 'closed', ownerId: u.operator.id, handlerUserId: u.judge.id, handlerDepartmentId: a, deadline: new Date(now - 5 * 24 * hour), category: 'post_judgment_question', summary: '判后答疑 已答复', createdAt: at('2026-11-10T09:00:00+08:00') },
    { key: 'unowned', number: 'W0811-20261115-0001', stage: 'answer', ownerId: null, summary: '留言：请回电', category: 'other', createdAt: at('2026-11-15T08:00:00+08:00') },
    { key: 'secret', number: 'W0811-20261116-0001', stage: 'handoff', ownerId: u.operator.id, handlerDepartmentId: a, deadline: new Date(now + 10 * 24 * hour), category: 'complaint', callerNumber: '13900000009', summary: '投诉法官态度', details: '机密内容 XYZ', confidential: true, createdAt: at('2026-11-16T08:00:00+08:00') },
  ] as const;
  for (const { key, ...row } of rows) {
    const [t] = await db.insert(tickets).values({ ...base, ...row, updatedAt: row.createdAt }).returning();
    ids[key] = t!.id;
  }
  // Twenty more for paging: handed to the enforcement division, due later.
  await db.insert(tickets).values(
    Array.from({ length: 20 }, (_, i) => ({
      ...base,
      number: `W0811-20261020-${String(i + 1).padStart(4, '0')}`,
      stage: 'feedback' as const,
      ownerId: op2,
      handlerDepartmentId: b,
      category: 'enquiry',
      summary: `批量工单 ${i + 1}`,
      deadline: new Date(now + (30 + i) * 24 * hour),
      createdAt: at(`2026-10-20T0${i % 10}:00:00+08:00`),
      updatedAt: at(`2026-10-21T0${i % 10}:00:00+08:00`),
    })),
  );
  const [foreign] = await db.insert(tickets).values({ courtId: other.courtId, number: 'W0802-20261101-0001', stage: 'handoff', category: 'enquiry', summary: '询问开庭时间', details: '', handlerDepartmentId: other.departmentIds[0], ownerId: other.users.operator.id }).returning();
  ids.foreign = foreign!.id;

  // The overdue ticket came from a call the operator answered, recorded.
  const callId = randomUUID();
  ids.call = callId;
  const arrivedAt = new Date(now - 3 * hour);
  await db.insert(calls).values({ id: callId, courtId: court.courtId, channelId: 'ch-w1', callerNumber: '13800000001', dialled: '12368', arrivedAt, answeredAt: new Date(arrivedAt.getTime() + 20_000), answeredBy: u.operator.id, endedAt: new Date(arrivedAt.getTime() + 200_000), outcome: 'answered' });
  await db.insert(recordings).values({ callId, kind: 'conversation', courtId: court.courtId, callArrivedAt: arrivedAt, name: `call-${callId}`, status: 'stored', path: `2026/11/${callId}.wav`, sizeBytes: 1000, storedAt: new Date() });
  await db.insert(ticketCalls).values({ ticketId: ids.overdue!, callId });

  for (const [key, user] of Object.entries(court.users)) cookies[key] = await signIn(api.url, user.username);
  cookies.op2 = await signIn(api.url, 'w0811-op2');
  cookies.strangerOperator = await signIn(api.url, other.users.operator.username);
  cookies.strangerManager = await signIn(api.url, other.users.manager.username);
});

describe('GET /api/tickets (the work list)', () => {
  it('gives a manager the whole court with names, never another court', async () => {
    const page = await list('manager', 'pageSize=100');
    expect(page.total).toBe(25);
    expect(page.totalCapped).toBe(false);
    expect(page.rows.map((r) => r.courtId).every((c) => c === court.courtId)).toBe(true);
    const overdue = page.rows.find((r) => r.id === ids.overdue);
    expect(overdue).toMatchObject({ ownerName: '张话务', handlerName: 'judge 用户', departmentName: '立案庭', categoryName: '投诉', overdue: true, callerNumber: '138****0001', callIds: [ids.call] });
    expect(page.rows.find((r) => r.id === ids.secret)).toMatchObject({ confidential: true, masked: false, summary: '投诉法官态度' });
    const stranger = await list('strangerManager', 'pageSize=100');
    expect(stranger.rows.map((r) => r.id)).toEqual([ids.foreign]);
  });

  it('scopes operators (mine or the court), heads to their department, and another court to nothing', async () => {
    expect(numbers(await list('operator', 'scope=mine'))).toEqual(['W0811-20261101-0001', 'W0811-20261110-0001', 'W0811-20261116-0001']);
    expect((await list('operator', 'pageSize=100')).total).toBe(25);
    const head = await list('department_head', 'pageSize=100');
    expect(numbers(head)).toEqual(['W0811-20261101-0001', 'W0811-20261110-0001', 'W0811-20261116-0001']);
    // A head asking for another department, or its people, gets nothing of it.
    expect((await list('department_head', `departmentId=${court.departmentIds[1]}`)).total).toBe(0);
    expect((await list('department_head', `handlerUserId=${court.users.otherJudge.id}`)).total).toBe(0);
    // An operator of another court: nothing of this court, whatever they filter by.
    expect((await list('strangerOperator', `departmentId=${court.departmentIds[0]}`)).total).toBe(0);
    expect((await list('strangerOperator', `ownerId=${court.users.operator.id}`)).total).toBe(0);
    expect((await list('strangerOperator', 'q=询问开庭')).rows.map((r) => r.id)).toEqual([ids.foreign]);
    // Judges work from their inbox.
    expect((await as('judge', '/tickets')).status).toBe(403);
    expect((await call(api.url, 'GET', '/api/tickets')).status).toBe(401);
  });

  it('filters by stage, deadline, people, department, category, caller, case number, dates and text', async () => {
    const u = court.users;
    expect(numbers(await list('manager', 'stage=handoff,chase'))).toEqual(['W0811-20261101-0001', 'W0811-20261105-0001', 'W0811-20261116-0001']);
    expect(numbers(await list('manager', 'due=overdue'))).toEqual(['W0811-20261101-0001']);
    expect(numbers(await list('manager', 'due=due_soon'))).toEqual(['W0811-20261105-0001']);
    expect((await list('manager', `ownerId=${op2}`)).total).toBe(21);
    expect(numbers(await list('manager', `handlerUserId=${u.judge.id}`))).toEqual(['W0811-20261101-0001', 'W0811-20261110-0001']);
    expect((await list('manager', `departmentId=${court.departmentIds[1]}`)).total).toBe(21);
    expect(numbers(await list('manager', 'category=post_judgment_question'))).toEqual(['W0811-20261110-0001']);
    expect(numbers(await list('manager', 'callerNumber=13800000002'))).toEqual(['W0811-20261105-0001']);
    expect(numbers(await list('manager', `caseNumber=${encodeURIComponent('(2025)豫0811民初77号')}`))).toEqual(['W0811-20261101-0001']);
    expect(numbers(await list('manager', `caseNumber=${encodeURIComponent('民初77')}`))).toEqual(['W0811-20261101-0001']);
    // China days: 23:30 on 5 November in China is 15:30 UTC, still the 5th.
    expect(numbers(await list('manager', 'createdFrom=2026-11-05&createdTo=2026-11-10'))).toEqual(['W0811-20261105-0001', 'W0811-20261110-0001']);
    expect(numbers(await list('manager', `q=${encodeURIComponent('开庭')}`))).toEqual(['W0811-20261101-0001']);
    expect((await list('manager', `q=${encodeURIComponent('批量工单')}&pageSize=100`)).total).toBe(20);
    expect((await list('manager', `q=${encodeURIComponent('100%')}`)).total).toBe(0);
  });

  it('keeps confidential tickets masked in the list and unfindable by their text for those who may not read them', async () => {
    const row = (await list('operator', 'scope=mine')).rows.find((r) => r.id === ids.secret);
    expect(row).toMatchObject({ masked: true, callerNumber: null, caseNumber: null, details: '' });
    expect(row.summary).toContain('保密');
    expect((await list('operator', 'q=XYZ')).total).toBe(0);
    expect((await list('operator', 'callerNumber=13900000009')).total).toBe(0);
    expect((await list('operator', 'q=投诉法官')).total).toBe(0);
    expect(numbers(await list('manager', 'q=XYZ'))).toEqual(['W0811-20261116-0001']);
    expect(numbers(await list('department_head', 'q=XYZ'))).toEqual(['W0811-20261116-0001']);
  });

  it('pages and sorts on the server', async () => {
    const first = await list('manager', 'sort=number&dir=asc&pageSize=10');
    const second = await list('manager', 'sort=number&dir=asc&pageSize=10&page=2');
    const third = await list('manager', 'sort=number&dir=asc&pageSize=10&page=3');
    expect([first.total, first.rows.length, second.rows.length, third.rows.length]).toEqual([25, 10, 10, 5]);
    const all = [...first.rows, ...second.rows, ...third.rows].map((r) => r.number);
    expect(all).toEqual([...all].sort());
    expect(new Set(all).size).toBe(25);
    const desc = await list('manager', 'sort=number&dir=desc&pageSize=5');
    expect(desc.rows.map((r) => r.number)).toEqual([...all].reverse().slice(0, 5));
    const byDeadline = (await list('manager', 'sort=deadline&pageSize=3')).rows.map((r) => r.id);
    expect(byDeadline).toEqual([ids.closed, ids.overdue, ids.soon]);
    const byCreated = (await list('manager', 'sort=created&dir=desc&pageSize=2')).rows.map((r) => r.id);
    expect(byCreated).toEqual([ids.secret, ids.unowned]);
    expect((await list('manager', 'sort=updated&dir=desc&pageSize=1')).rows[0].id).toBe(ids.secret);
  });

  it('orders a filter of open stages by deadline too (sorted without the deadline index), and counts to 1,000', async () => {
    expect((await list('manager', 'stage=handoff,chase&sort=deadline')).rows.map((r) => r.id)).toEqual([ids.overdue, ids.soon, ids.secret]);
    expect((await list('manager', 'stage=handoff,chase&sort=deadline&dir=desc')).rows.map((r) => r.id)).toEqual([ids.secret, ids.soon, ids.overdue]);
    // Another court with 1,001 tickets: its list says "1,000, and more"; ours is untouched.
    await api.deps.db.insert(tickets).values(
      Array.from({ length: 1001 }, (_, i) => ({ courtId: other.courtId, number: `W0802-20261102-${String(i + 1).padStart(4, '0')}`, stage: 'closed' as const, category: 'enquiry', summary: '批量', details: '' })),
    );
    expect(await list('strangerManager', 'pageSize=5')).toMatchObject({ total: 1000, totalCapped: true });
    expect(await list('manager', 'pageSize=5')).toMatchObject({ total: 25, totalCapped: false });
  });

  it('refuses bad input with a 400 that says what is wrong', async () => {
    for (const query of ['stage=finished', 'sort=caller', 'dir=up', 'pageSize=1000', 'page=0', 'createdFrom=2026-11-10&createdTo=2026-11-01', 'createdFrom=2026-13-01', 'ownerId=nobody', 'q=a', 'due=late', 'callerNumber=abc', 'colour=red']) {
      const r = await as('manager', `/tickets?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body, query).toMatchObject({ code: expect.any(String), message: expect.any(String), message_zh: expect.any(String) });
    }
  });

  it('uses the trigram index for the free text where pg_trgm is installed', async () => {
    const db = api.deps.db;
    const [ext] = (await db.execute(sql`select count(*)::int as n from pg_extension where extname = 'pg_trgm'`)).rows as { n: number }[];
    expect(ext!.n).toBe(1);
    const plan = await db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const r = await tx.execute(sql`explain select id from tickets.tickets where (summary || ' ' || details) ilike '%开庭时间%'`);
      return (r.rows as { 'QUERY PLAN': string }[]).map((x) => x['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('tickets_text_trgm');
  });
});

describe('GET /api/tickets/export', () => {
  it('writes the filtered list as XLSX with names, China time and Chinese stage names, scoped like the list', async () => {
    const r = await fetch(`${api.url}/api/tickets/export?stage=handoff,chase,closed&sort=number`, { headers: { cookie: cookies.manager! } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('spreadsheetml');
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await r.arrayBuffer()) as any);
    const sheet = book.getWorksheet('工单列表')!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(worklistExportHeader);
    const first = values(2);
    expect(first.slice(0, 5)).toEqual(['W0811-20261101-0001', '交办', '超期', '投诉', '询问开庭时间']);
    expect(first).toContain('张话务');
    expect(first).toContain('立案庭');
    expect(first).toContain('2026-11-01 10:00');
    expect(values(3).slice(0, 2)).toEqual(['W0811-20261105-0001', '督办']);
    expect(values(4).slice(0, 2)).toEqual(['W0811-20261110-0001', '已办结']);

    const head = await fetch(`${api.url}/api/tickets/export?format=csv`, { headers: { cookie: cookies.department_head! } });
    const bytes = Buffer.from(await head.arrayBuffer());
    // A BOM first, so spreadsheet programs read it as UTF-8 (fetch's text() would drop it).
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.toString('utf8').slice(1);
    expect(csv.startsWith('工单编号,环节')).toBe(true);
    expect(csv.trim().split('\r\n')).toHaveLength(1 + 3);
    expect(csv).not.toContain('W0811-20261105-0001');
    const stranger = await fetch(`${api.url}/api/tickets/export?format=csv`, { headers: { cookie: cookies.strangerOperator! } });
    expect(await stranger.text()).not.toContain('W0811');
    expect((await as('manager', '/tickets/export?format=pdf')).status).toBe(400);
  });
});

describe('GET /api/tickets/:ticketId/page', () => {
  it('gives the ticket with names, its trail and its calls with who may play the recording', async () => {
    const manager = await as('manager', `/tickets/${ids.overdue}/page`);
    expect(manager.status).toBe(200);
    expect(manager.body.ticket).toMatchObject({ number: 'W0811-20261101-0001', ownerName: '张话务', departmentName: '立案庭', callerNumber: '13800000001' });
    expect(manager.body.calls).toEqual([
      expect.objectContaining({ callId: ids.call, durationSeconds: 200, talkSeconds: 180, outcome: 'answered', operatorName: '张话务', recordings: [{ kind: 'conversation', status: 'stored', playable: true, url: `/api/telephony/calls/${ids.call}/recording?kind=conversation` }] }),
    ]);
    const operator = await as('operator', `/tickets/${ids.overdue}/page`);
    expect(operator.body.calls[0].recordings[0].playable).toBe(true);
    const op2Page = await as('op2', `/tickets/${ids.overdue}/page`);
    expect(op2Page.body.calls[0].recordings[0].playable).toBe(false);
    // A confidential ticket's page, for an operator: masked, its calls not listed; for the head of its department: in full.
    const secret = await as('operator', `/tickets/${ids.secret}/page`);
    expect(secret.body.ticket).toMatchObject({ masked: true, callerNumber: null, details: '', callIds: [] });
    expect(secret.body.calls).toEqual([]);
    expect((await as('department_head', `/tickets/${ids.secret}/page`)).body.ticket).toMatchObject({ masked: false, details: '机密内容 XYZ' });
    expect((await as('department_head', `/tickets/${ids.soon}/page`)).status).toBe(404);
    expect((await as('strangerManager', `/tickets/${ids.overdue}/page`)).status).toBe(404);
    expect((await as('manager', '/tickets/not-a-uuid/page')).status).toBe(400);
  });

  it('shows the trail with who acted, after a real command over HTTP', async () => {
    const chased = await call(api.url, 'POST', `/api/tickets/${ids.overdue}/chase`, { cookie: cookies.manager, body: { reason: '请尽快答复' } });
    expect(chased.status, JSON.stringify(chased.body)).toBe(200);
    const page = await as('manager', `/tickets/${ids.overdue}/page`);
    expect(page.body.events.at(-1)).toMatchObject({ action: 'chase', actorName: 'manager 用户', reason: '请尽快答复' });
  });
});
