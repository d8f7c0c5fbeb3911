import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, signIn, useApi, type SeededCourt } from '../api/testing/fixtures.ts';
import { userRoles, type UserRole } from '../platform/user-roles.ts';
import { rolesFor } from './stage-machine.ts';

/**
 * The tickets routes as mounted in a hotline with the `api` role: real sign-in over HTTP, the session cookie,
 * the API's access hook, zod validation and its one error handler.
 */
const api = await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '1000' });
let court: SeededCourt;
let other: SeededCourt;
const cookies = {} as Record<keyof SeededCourt['users'] | 'stranger' | 'strangerJudge' | 'strangerHead', string>;

beforeAll(async () => {
  court = await seedCourt(api.deps.db, 'J0811');
  other = await seedCourt(api.deps.db, 'J0802');
  for (const [key, user] of Object.entries(court.users)) cookies[key as keyof SeededCourt['users']] = await signIn(api.url, user.username);
  cookies.stranger = await signIn(api.url, other.users.manager.username);
  cookies.strangerJudge = await signIn(api.url, other.users.judge.username);
  cookies.strangerHead = await signIn(api.url, other.users.department_head.username);
});

const as = (who: keyof typeof cookies, method: string, path: string, body?: unknown) => call(api.url, method, `/api${path}`, { cookie: cookies[who], ...(body !== undefined ? { body } : {}) });
const errorShape = (code: string) => ({ code, message: expect.any(String), message_zh: expect.any(String) });

async function newTicket(body: Record<string, unknown> = {}) {
  const created = await as('operator', 'POST', '/tickets', { summary: '询问开庭时间', callerNumber: '13800000000', ...body });
  expect(created.status).toBe(201);
  return created.body as { id: string; number: string };
}

/** The ticket row and its trail as the manager sees them: what "nothing changed" is checked against. */
async function stateOf(ticketId: string) {
  const [ticket, trail] = await Promise.all([as('manager', 'GET', `/tickets/${ticketId}`), as('manager', 'GET', `/tickets/${ticketId}/events`)]);
  return { ticket: ticket.body, trail: trail.body };
}

describe('tickets routes in the API', () => {
  it('run a ticket from registration to reply over HTTP, with clear errors in the one shape', async () => {
    const created = await as('operator', 'POST', '/tickets', { summary: '询问开庭时间', callerNumber: '13800000000', caseNumber: '(2025)豫0811民初77号' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ stage: 'answer', caseNumber: '（2025）豫0811民初77号', callIds: [], ownerId: court.users.operator.id });
    expect(created.body.number).toMatch(/^J0811-\d{8}-\d{4}$/);
    const id = created.body.id as string;

    expect(await call(api.url, 'GET', `/api/tickets/${id}`)).toMatchObject({ status: 401, body: errorShape('unauthenticated') });
    expect(await as('stranger', 'GET', `/tickets/${id}`)).toMatchObject({ status: 404, body: errorShape('not_found') });
    expect(await as('operator', 'POST', '/tickets', { summary: 'x', caseNumber: 'abc' })).toEqual({
      status: 400,
      headers: expect.anything(),
      body: { code: 'case_number_invalid', message: expect.stringContaining('abc'), message_zh: expect.stringContaining('案号') },
    });
    expect(await as('operator', 'POST', `/tickets/${id}/handoff`, { handlerUserId: 'not-a-uuid' })).toMatchObject({ status: 400, body: errorShape('invalid_input') });
    const early = await as('judge', 'POST', `/tickets/${id}/reply`, { text: '答复' });
    expect(early.status).toBe(409);
    expect(early.body).toEqual({ code: 'illegal_transition', message: expect.stringContaining('reply'), message_zh: expect.stringContaining('环节') });

    const handed = await as('operator', 'POST', `/tickets/${id}/handoff`, { handlerUserId: court.users.judge.id });
    expect(handed.body).toMatchObject({ stage: 'handoff', handlerUserId: court.users.judge.id, handlerDepartmentId: court.departmentIds[0] });
    expect(Date.parse(handed.body.deadline)).toBeGreaterThan(Date.now());
    expect(await as('otherJudge', 'POST', `/tickets/${id}/accept`)).toMatchObject({ status: 403, body: errorShape('forbidden') });
    const inbox = await as('judge', 'GET', '/tickets-inbox');
    expect(inbox.body.find((t: { id: string }) => t.id === id)).toMatchObject({ callerNumber: '138****0000' });
    expect((await as('judge', 'GET', '/tickets-inbox?filter=nonsense')).body).toMatchObject(errorShape('invalid_input'));
    expect((await as('judge', 'POST', `/tickets/${id}/accept`)).status).toBe(200);
    expect(await as('judge', 'POST', `/tickets/${id}/accept`)).toMatchObject({ status: 409, body: errorShape('already_accepted') });
    const replied = await as('judge', 'POST', `/tickets/${id}/reply`, { text: '定于下周开庭。\n请按时到庭。' });
    expect(replied.body).toMatchObject({ stage: 'feedback', feedbackText: '定于下周开庭。\n请按时到庭。', callerNumber: '13800000000' });
    const trail = await as('manager', 'GET', `/tickets/${id}/events`);
    expect(trail.body.map((e: { action: string }) => e.action)).toEqual(['create', 'hand_off', 'accept', 'reply']);
    expect(trail.body[3]).toMatchObject({ actorId: court.users.judge.id, actorRole: 'judge', after: { stage: 'feedback' } });
    const history = await as('operator', 'GET', '/callers/13800000000/tickets');
    expect(history.body.map((t: { id: string; callerNumber: string }) => [t.id, t.callerNumber])).toContainEqual([id, '138****0000']);
  });

  it('declare the roles of the transition table, and the API refuses every other role before anything changes', async () => {
    const expected: Record<string, UserRole[]> = {
      'POST /api/tickets': ['operator', 'manager'],
      'PATCH /api/tickets/:ticketId': ['operator', 'manager'],
      'POST /api/tickets/:ticketId/calls': ['operator', 'manager'],
      'POST /api/tickets/:ticketId/answer-on-spot': ['operator', 'manager'],
      'POST /api/tickets/:ticketId/handoff': ['operator', 'manager'],
      'POST /api/tickets/:ticketId/accept': ['judge', 'department_head'],
      'POST /api/tickets/:ticketId/reassign': ['department_head', 'manager'],
      'POST /api/tickets/:ticketId/extension-request': ['judge', 'department_head'],
      'POST /api/tickets/:ticketId/extension-decision': ['department_head', 'manager'],
      'POST /api/tickets/:ticketId/chase': ['department_head', 'manager'],
      'POST /api/tickets/:ticketId/escalate': ['department_head', 'manager'],
      'POST /api/tickets/:ticketId/reply': ['judge', 'department_head'],
      'POST /api/tickets/:ticketId/relay': ['operator', 'manager'],
      'POST /api/tickets/:ticketId/delivery': ['operator', 'manager'],
      'POST /api/tickets/:ticketId/callback': ['operator', 'manager'],
      'POST /api/tickets/:ticketId/void': ['manager'],
      'POST /api/tickets/:ticketId/confidential': ['operator', 'manager', 'judge', 'department_head'],
      'GET /api/tickets/:ticketId': [...userRoles],
      'GET /api/tickets/:ticketId/events': [...userRoles],
      'GET /api/tickets-inbox': ['judge', 'department_head'],
      'GET /api/tickets': ['operator', 'department_head', 'manager', 'admin'],
      'GET /api/tickets/export': ['operator', 'department_head', 'manager', 'admin'],
      'GET /api/tickets/:ticketId/page': ['operator', 'department_head', 'manager', 'admin'],
      'GET /api/tickets/sms': [...userRoles],
      'PUT /api/tickets/sms': ['admin', 'manager'],
      'GET /api/callers/:callerNumber/tickets': ['operator', 'manager', 'admin'],
      'GET /api/ticket-categories': [...userRoles],
      'POST /api/ticket-categories': ['admin'],
      'PATCH /api/ticket-categories/:code': ['admin'],
      'GET /api/calendar/:year': [...userRoles],
      'PUT /api/calendar': ['admin'],
      'DELETE /api/calendar/:day': ['admin'],
      'GET /api/business-hours': [...userRoles],
      'PUT /api/business-hours': ['admin'],
    };
    const declared = Object.fromEntries(
      api.deps.http.routeAccess.filter((r) => /^\/api\/(tickets|callers|ticket-categories|calendar|business-hours)/.test(r.url)).map((r) => [`${r.method} ${r.url}`, r.roles === 'public' ? r.roles : [...r.roles].sort()]),
    );
    expect(declared).toEqual(Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, [...v].sort()])));
    expect(rolesFor('reply').sort()).toEqual(['department_head', 'judge']);

    const ticket = await newTicket();
    await as('operator', 'POST', `/tickets/${ticket.id}/handoff`, { handlerUserId: court.users.judge.id });
    const before = await stateOf(ticket.id);
    const failures: string[] = [];
    for (const [route, roles] of Object.entries(expected)) {
      const [method, url] = route.split(' ') as [string, string];
      if (method === 'GET' || !url.includes(':ticketId')) continue;
      for (const role of userRoles.filter((r) => !roles.includes(r))) {
        const key = (Object.keys(court.users) as (keyof SeededCourt['users'])[]).find((k) => court.users[k].role === role)!;
        const result = await as(key, method, url.replace('/api', '').replace(':ticketId', ticket.id), { reason: '越权', text: '越权', handlerUserId: court.users.otherJudge.id });
        if (result.status !== 403 || result.body?.code !== 'forbidden') failures.push(`${role} ${route} → ${result.status}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await stateOf(ticket.id)).toEqual(before);
  });

  it("another court's ticket is not found at every ticket route, and nothing changes", async () => {
    const ticket = await newTicket();
    await as('operator', 'POST', `/tickets/${ticket.id}/handoff`, { handlerUserId: court.users.judge.id });
    const before = await stateOf(ticket.id);
    const failures: string[] = [];
    const strangers: Record<UserRole, keyof typeof cookies | undefined> = { manager: 'stranger', judge: 'strangerJudge', department_head: 'strangerHead', operator: undefined, admin: undefined };
    const bodies: Record<string, unknown> = {
      calls: { callId: 'c-1' },
      'answer-on-spot': { answer: '已答复' },
      handoff: { handlerUserId: other.users.judge.id },
      reassign: { handlerUserId: other.users.judge.id, reason: '改派' },
      'extension-request': { until: new Date(Date.now() + 30 * 86_400_000).toISOString(), reason: '延期' },
      'extension-decision': { approve: true },
      chase: { reason: '督办' },
      escalate: { reason: '升级' },
      reply: { text: '答复' },
      relay: { channel: 'sms' },
      delivery: { channel: 'phone', delivered: true },
      callback: { resolved: true, satisfaction: 'satisfied' },
      void: { reason: '作废' },
      confidential: { reason: '保密' },
    };
    for (const route of api.deps.http.routeAccess.filter((r) => r.url.startsWith('/api/tickets/:ticketId'))) {
      if (route.roles === 'public') throw new Error(`${route.url} is public`);
      const who = route.roles.map((role) => strangers[role]).find(Boolean)!;
      const name = route.url.split('/')[4];
      const body = route.method === 'GET' ? undefined : route.method === 'PATCH' ? { summary: '改' } : name === 'accept' ? undefined : bodies[name!];
      const result = await as(who, route.method, route.url.replace('/api', '').replace(':ticketId', ticket.id), body);
      if (result.status !== 404 || result.body?.code !== 'not_found') failures.push(`${who} ${route.method} ${route.url} → ${result.status} ${JSON.stringify(result.body)}`);
    }
    expect(failures).toEqual([]);
    expect(await stateOf(ticket.id)).toEqual(before);
  });

  it('refuse text PostgreSQL cannot store or that hides itself, unknown fields and wrong types, writing nothing', async () => {
    const ticket = await newTicket();
    const before = await stateOf(ticket.id);
    const count = async () => (await as('operator', 'GET', '/callers/13800000000/tickets')).body.length as number;
    const ticketsBefore = await count();
    for (const body of [
      { summary: 'a\u0000b' },
      { summary: '\u202e反向文字' },
      { summary: 'ok', details: '\ud800' },
      { summary: 'ok', stage: 'closed' },
      { summary: 'ok', priority: 'highest' },
      { summary: 'ok', callerNumber: "13800000000' OR '1'='1" },
      { summary: 7 },
    ]) {
      const result = await as('operator', 'POST', '/tickets', { callerNumber: '13800000000', ...body });
      expect(result, JSON.stringify(body)).toMatchObject({ status: 400, body: errorShape('invalid_input') });
    }
    expect(await as('operator', 'PATCH', `/tickets/${ticket.id}`, {})).toMatchObject({ status: 400, body: errorShape('invalid_input') });
    expect(await as('operator', 'PATCH', `/tickets/${ticket.id}`, { summary: 'x'.repeat(501) })).toMatchObject({ status: 400, body: errorShape('invalid_input') });
    expect(await as('operator', 'POST', `/tickets/${ticket.id}/answer-on-spot`, { answer: 'x'.repeat(100 * 1024) })).toMatchObject({ status: 413, body: errorShape('body_too_large') });
    expect(await as('admin', 'PUT', '/calendar', { day: '2026-02-30', kind: 'holiday', name: '无', source: '无' })).toMatchObject({ status: 400, body: errorShape('invalid_input') });
    expect(await as('admin', 'POST', '/ticket-categories', { code: 'enquiry', nameZh: '重复', nameEn: 'Duplicate' })).toMatchObject({ status: 409, body: errorShape('category_exists') });
    expect(await stateOf(ticket.id)).toEqual(before);
    expect(await count()).toBe(ticketsBefore);
  });

  it('appear in the OpenAPI description with their schemas', async () => {
    const doc = await call(api.url, 'GET', '/docs/json');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/tickets', '/api/tickets/{ticketId}/reply', '/api/tickets-inbox', '/api/calendar/{year}']));
    expect(doc.body.paths['/api/tickets/{ticketId}/reply'].post.responses).toHaveProperty('409');
  });
});
