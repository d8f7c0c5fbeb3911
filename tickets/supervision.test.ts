import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConsoleSocket } from '../api/testing/console-socket.ts';
import { call, seedCourt, signIn, useApi, type SeededCourt } from '../api/testing/fixtures.ts';

/**
 * The 督办 board and its actions over real HTTP, with workers running so notices reach the consoles' websockets:
 * scoping (a head their department, a manager the court, another court nothing), chase notes reaching the
 * handler, void needing a reason, escalation by hand, and an extension decided from the board.
 */
const api = await useApi({ HOTLINE_ROLES: 'api,workers', HOTLINE_SIGN_IN_RATE_LIMIT: '1000' });
let court: SeededCourt;
let other: SeededCourt;
const cookies = {} as Record<keyof SeededCourt['users'] | 'stranger', string>;
const ids = {} as Record<'overdue' | 'soon' | 'otherDept' | 'later' | 'unnamed', string>;
const hour = 3_600_000;

const as = (who: keyof typeof cookies, method: string, path: string, body?: unknown) => call(api.url, method, `/api${path}`, { cookie: cookies[who], ...(body !== undefined ? { body } : {}) });

async function handedTicket(handler: Record<string, string>, deadline: Date, handedOffAt: Date): Promise<string> {
  const created = await as('operator', 'POST', '/tickets', { summary: '询问执行款到账时间', callerNumber: '13800000000' });
  expect(created.status).toBe(201);
  expect((await as('operator', 'POST', `/tickets/${created.body.id}/handoff`, handler)).status).toBe(200);
  // The deadline is set by the category's policy; the test moves it to where each case needs it.
  await api.deps.db.execute(sql`update tickets.tickets set deadline = ${deadline.toISOString()}, handed_off_at = ${handedOffAt.toISOString()} where id = ${created.body.id}`);
  return created.body.id as string;
}

beforeAll(async () => {
  court = await seedCourt(api.deps.db, 'J0821');
  other = await seedCourt(api.deps.db, 'J0822');
  for (const [key, user] of Object.entries(court.users)) cookies[key as keyof SeededCourt['users']] = await signIn(api.url, user.username);
  cookies.stranger = await signIn(api.url, other.users.manager.username);
  const now = Date.now();
  ids.overdue = await handedTicket({ handlerUserId: court.users.judge.id }, new Date(now - 2 * hour), new Date(now - 10 * 24 * hour));
  ids.unnamed = await handedTicket({ handlerDepartmentId: court.departmentIds[0] }, new Date(now - 3 * hour), new Date(now - 2 * 24 * hour));
  ids.soon = await handedTicket({ handlerUserId: court.users.judge.id }, new Date(now + 10 * 60_000), new Date(now - 2 * hour));
  ids.later = await handedTicket({ handlerUserId: court.users.judge.id }, new Date(now + 30 * 24 * hour), new Date(now - hour));
  ids.otherDept = await handedTicket({ handlerUserId: court.users.otherJudge.id }, new Date(now - 24 * hour), new Date(now - 5 * 24 * hour));
}, 60_000);

describe('GET /api/supervision', () => {
  it('shows a head their department only: counts, the list earliest deadline first, the backlog by age', async () => {
    const board = await as('department_head', 'GET', '/supervision');
    expect(board.status).toBe(200);
    expect(board.body.totals).toEqual({ open: 4, overdue: 2, dueSoon: 1, extensionRequested: 0 });
    expect(board.body.departments).toEqual([
      { departmentId: court.departmentIds[0], departmentName: '立案庭', open: 4, overdue: 2, dueSoon: 1, extensionRequested: 0, backlog: { d0_1: 2, d1_3: 1, d3_7: 0, d7_plus: 1 } },
    ]);
    expect(board.body.judges).toEqual([
      { handlerUserId: court.users.judge.id, handlerName: 'judge 用户', departmentId: court.departmentIds[0], departmentName: '立案庭', open: 3, overdue: 1, dueSoon: 1, extensionRequested: 0 },
    ]);
    expect(board.body.tickets.map((t: { id: string }) => t.id)).toEqual([ids.unnamed, ids.overdue, ids.soon]);
    expect(board.body.tickets[1]).toMatchObject({ handlerName: 'judge 用户', departmentName: '立案庭', overdue: true, stage: 'handoff', chaseLevel: 0 });
    expect(board.body.tickets[2].overdue).toBe(false);
    expect(new Date(board.body.dueSoonUntil).getTime()).toBeGreaterThan(Date.now());
  });

  it('shows a manager the whole court, by department and judge; another court sees none of it; others are refused', async () => {
    const board = await as('manager', 'GET', '/supervision');
    expect(board.body.totals).toEqual({ open: 5, overdue: 3, dueSoon: 1, extensionRequested: 0 });
    expect(board.body.departments.map((d: { departmentName: string; overdue: number }) => [d.departmentName, d.overdue])).toEqual([
      ['立案庭', 2],
      ['执行局', 1],
    ]);
    expect(board.body.judges.map((j: { handlerName: string; overdue: number; open: number }) => [j.handlerName, j.overdue, j.open])).toEqual([
      ['judge 用户', 1, 3],
      ['otherJudge 用户', 1, 1],
    ]);
    expect(board.body.tickets).toHaveLength(4);

    const stranger = await as('stranger', 'GET', '/supervision');
    expect(stranger.status).toBe(200);
    expect(stranger.body).toMatchObject({ totals: { open: 0, overdue: 0, dueSoon: 0, extensionRequested: 0 }, departments: [], judges: [], tickets: [] });
    for (const who of ['operator', 'judge', 'admin'] as const) expect((await as(who, 'GET', '/supervision')).status).toBe(403);
    expect((await call(api.url, 'GET', '/api/supervision')).status).toBe(401);
    expect((await as('manager', 'GET', '/supervision?x=1')).status).toBe(400);
  });
});

describe('actions from the board', () => {
  it("a head's chase reaches the handler's console with its note, and is in the trail; another department's ticket is refused", async () => {
    const judge = await ConsoleSocket.open(api.url, cookies.judge);
    try {
      const empty = await as('department_head', 'POST', `/tickets/${ids.overdue}/chase`, { reason: '   ' });
      expect(empty).toMatchObject({ status: 400, body: { code: 'invalid_input' } });
      const chased = await as('department_head', 'POST', `/tickets/${ids.overdue}/chase`, { reason: '今天下班前答复当事人' });
      expect(chased.status).toBe(200);
      expect(chased.body.stage).toBe('chase');
      const notice = await judge.next((m) => m.type === 'ticket.chased', 10_000);
      expect(notice.data).toMatchObject({ ticketId: ids.overdue, reason: '今天下班前答复当事人' });
      const trail = await as('judge', 'GET', `/tickets/${ids.overdue}/events`);
      expect(trail.body.at(-1)).toMatchObject({ action: 'chase', actorId: court.users.department_head.id, reason: '今天下班前答复当事人', after: { manual: true } });
    } finally {
      judge.close();
    }
    const foreign = await as('department_head', 'POST', `/tickets/${ids.otherDept}/chase`, { reason: '越权督办' });
    expect(foreign).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect((await as('stranger', 'POST', `/tickets/${ids.overdue}/chase`, { reason: '别院督办' })).status).toBe(404);
  });

  it('escalates one level at a time with a reason: level 1 to the head, level 2 to the managers, then no further', async () => {
    const managerConsole = await ConsoleSocket.open(api.url, cookies.manager);
    try {
      expect(await as('department_head', 'POST', `/tickets/${ids.soon}/escalate`, {})).toMatchObject({ status: 400, body: { code: 'invalid_input' } });
      expect((await as('judge', 'POST', `/tickets/${ids.soon}/escalate`, { reason: '升级' })).status).toBe(403);
      const first = await as('department_head', 'POST', `/tickets/${ids.soon}/escalate`, { reason: '临近期限未签收' });
      expect(first.body).toMatchObject({ stage: 'chase', chaseLevel: 1 });
      const second = await as('department_head', 'POST', `/tickets/${ids.soon}/escalate`, { reason: '报院领导督办' });
      expect(second.body.chaseLevel).toBe(2);
      const notice = await managerConsole.next((m) => m.type === 'ticket.escalated' && m.data.level === 2, 10_000);
      expect(notice.data).toMatchObject({ ticketId: ids.soon, reason: '报院领导督办' });
      const third = await as('manager', 'POST', `/tickets/${ids.soon}/escalate`, { reason: '再升级' });
      expect(third).toMatchObject({ status: 409, body: { code: 'chase_level_at_top' } });
      const trail = await as('manager', 'GET', `/tickets/${ids.soon}/events`);
      expect(trail.body.filter((e: { action: string }) => e.action === 'escalate').map((e: { reason: string; after: { level: number; manual: boolean } }) => [e.reason, e.after.level, e.after.manual])).toEqual([
        ['临近期限未签收', 1, true],
        ['报院领导督办', 2, true],
      ]);
      expect((await as('department_head', 'GET', '/supervision')).body.tickets.find((t: { id: string }) => t.id === ids.soon).chaseLevel).toBe(2);
    } finally {
      managerConsole.close();
    }
  });

  it('void needs a reason and a manager; the voided ticket leaves the board', async () => {
    const before = (await as('manager', 'GET', `/tickets/${ids.later}/events`)).body.length;
    expect(await as('manager', 'POST', `/tickets/${ids.later}/void`, {})).toMatchObject({ status: 400, body: { code: 'invalid_input' } });
    expect((await as('department_head', 'POST', `/tickets/${ids.later}/void`, { reason: '重复工单' })).status).toBe(403);
    expect((await as('manager', 'GET', `/tickets/${ids.later}/events`)).body.length).toBe(before);
    const voided = await as('manager', 'POST', `/tickets/${ids.later}/void`, { reason: '重复工单' });
    expect(voided.body).toMatchObject({ stage: 'void', voidReason: '重复工单' });
    expect((await as('manager', 'GET', '/supervision')).body.totals.open).toBe(4);
  });

  it('shows an extension waiting, and the head decides it from the board', async () => {
    const until = new Date(Date.now() + 5 * 24 * hour).toISOString();
    expect((await as('judge', 'POST', `/tickets/${ids.unnamed}/extension-request`, { until, reason: '需调取卷宗' })).status).toBe(200);
    const waiting = await as('department_head', 'GET', '/supervision');
    expect(waiting.body.totals.extensionRequested).toBe(1);
    const row = waiting.body.tickets.find((t: { id: string }) => t.id === ids.unnamed);
    expect(row.extensionReason).toBe('需调取卷宗');
    expect(new Date(row.extensionRequestedUntil).toISOString()).toBe(until);
    const approved = await as('department_head', 'POST', `/tickets/${ids.unnamed}/extension-decision`, { approve: true });
    expect(approved.body).toMatchObject({ extensionRequestedUntil: null, chaseLevel: 0 });
    expect(new Date(approved.body.deadline).toISOString()).toBe(until);
    const after = await as('department_head', 'GET', '/supervision');
    expect(after.body.tickets.map((t: { id: string }) => t.id)).not.toContain(ids.unnamed);
    expect(after.body.totals.extensionRequested).toBe(0);
  });
});
