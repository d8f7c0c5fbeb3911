import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../platform/user-roles.ts';
import { installErrorHandler } from '../api/http/error-handler.ts';
import { rolesFor, ticketRoutes } from './routes.ts';
import { seedCourt, useTicketsDatabase, useTicketsRuntime, type Court } from './test-support.ts';

/**
 * The routes over real HTTP. Sign-in is the api capability's: here a stand-in hook sets request.actor from a
 * test header; errors go through the API's one error handler (code, message, message_zh).
 */
let base: string;
let court: Court;
let other: Court;
const app = Fastify();
afterAll(() => app.close());

beforeAll(async () => {
  const database = await useTicketsDatabase();
  court = await seedCourt(database);
  other = await seedCourt(database, 'J0802');
  const h = await useTicketsRuntime(database);
  const people: Record<string, Actor> = { operator: court.operator, judge: court.judge, judge2: court.judge2, head: court.head, manager: court.manager, stranger: other.operator };
  app.addHook('onRequest', async (request) => {
    const who = request.headers['x-test-user'];
    if (typeof who === 'string' && people[who]) (request as unknown as { actor: Actor }).actor = people[who];
  });
  installErrorHandler(app);
  await app.register(ticketRoutes, { prefix: '/api', service: h.runtime.service });
  base = `${await app.listen({ host: '127.0.0.1', port: 0 })}/api`;
});

async function call(who: string | null, method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(who ? { 'x-test-user': who } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('tickets routes', () => {
  it('declare the roles of the transition table for the API to enforce', () => {
    expect(rolesFor('reply').sort()).toEqual(['department_head', 'judge']);
    expect(app.hasRoute({ method: 'POST', url: '/api/tickets/:id/reply' })).toBe(true);
    expect(app.hasRoute({ method: 'DELETE', url: '/api/tickets/:id' })).toBe(false); // nothing is ever deleted
  });

  it('run a ticket from registration to reply over HTTP, with clear errors', async () => {
    const created = await call('operator', 'POST', '/tickets', { summary: '询问开庭时间', callerNumber: '13800000000', caseNumber: '(2025)豫0811民初77号' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ stage: 'answer', caseNumber: '（2025）豫0811民初77号', callIds: [] });
    expect(created.body.number).toMatch(/^J0811-\d{8}-0001$/);
    const id = created.body.id as string;

    expect((await call(null, 'GET', `/tickets/${id}`)).status).toBe(401);
    expect((await call('stranger', 'GET', `/tickets/${id}`)).body).toMatchObject({ code: 'not_found' });
    expect((await call('operator', 'POST', '/tickets', { summary: 'x', caseNumber: 'abc' })).body).toMatchObject({ code: 'case_number_invalid', message_zh: expect.stringContaining('案号') });
    expect((await call('operator', 'POST', `/tickets/${id}/handoff`, { handlerUserId: 'not-a-uuid' })).status).toBe(400);
    const early = await call('judge', 'POST', `/tickets/${id}/reply`, { text: '答复' });
    expect(early).toEqual({ status: 409, body: { code: 'illegal_transition', message: expect.stringContaining('reply'), message_zh: expect.stringContaining('环节') } });

    const handed = await call('operator', 'POST', `/tickets/${id}/handoff`, { handlerUserId: court.judge.userId });
    expect(handed.body).toMatchObject({ stage: 'handoff', handlerUserId: court.judge.userId });
    expect(Date.parse(handed.body.deadline)).toBeGreaterThan(Date.now());
    expect((await call('judge2', 'POST', `/tickets/${id}/accept`)).status).toBe(403);
    expect((await call('judge', 'GET', '/tickets-inbox')).body.map((t: { id: string }) => t.id)).toContain(id);
    expect((await call('judge', 'POST', `/tickets/${id}/accept`)).status).toBe(200);
    const replied = await call('judge', 'POST', `/tickets/${id}/reply`, { text: '定于下周开庭' });
    expect(replied.body).toMatchObject({ stage: 'feedback', feedbackText: '定于下周开庭' });
    const trail = await call('manager', 'GET', `/tickets/${id}/events`);
    expect(trail.body.map((e: { action: string }) => e.action)).toEqual(['create', 'hand_off', 'accept', 'reply']);
    expect((await call('operator', 'GET', '/callers/13800000000/tickets')).body).toHaveLength(1);
  });
});
