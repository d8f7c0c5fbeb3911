import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../platform/db/client.ts';
import { slaTimers } from './outbox.sql.ts';
import { stageQueues } from './queues.ts';
import { chinaTime, eventually, seedCourt, useTicketsDatabase, useTicketsRuntime, type Court, type TicketsHarness } from './testing/harness.ts';

/** Real Redis, real BullMQ delays: the chase settings are shrunk to a few hundred milliseconds. */
let database: Database;
let court: Court;
let h: TicketsHarness;
const forTicket = (id: string) => (e: { data: unknown }) => (e.data as { ticketId?: string }).ticketId === id;

beforeAll(async () => {
  database = await useTicketsDatabase();
  court = await seedCourt(database);
  h = await useTicketsRuntime(database, { chase: { reminderLeadMs: 400, level2AfterMs: 400 } });
  // Same-day policy: handed off at 23:59:58 China time, due at 23:59:59, so timers fire within ~1.5 s.
  await h.runtime.service.updateCategory(court.admin, 'enquiry', { deadlineDays: 0 });
});
/** A Monday, two seconds before the end of the China day. */
const lateMonday = () => h.clock.set(chinaTime('2026-03-02T23:59:57.500'));

describe('chase timers (督办) on real Redis', () => {
  it('fire a reminder before the deadline, level 1 at it (handler and head), level 2 after it (manager)', async () => {
    lateMonday();
    const ticket = await h.runtime.service.create(court.operator, { summary: '超期测试', callerNumber: '13800000000' });
    const handed = await h.runtime.service.handOff(court.operator, ticket.id, { handlerUserId: court.judge.userId });
    expect(handed.deadline).toEqual(chinaTime('2026-03-02T23:59:59'));

    const mine = forTicket(ticket.id);
    const near = await eventually(() => h.events.find((e) => e.type === 'ticket.deadline_near' && mine(e)), 5000, 'reminder');
    expect(near.audience.userIds).toEqual([court.judge.userId]);
    const level1 = await eventually(() => h.events.find((e) => e.type === 'ticket.overdue' && mine(e) && (e.data as { level: number }).level === 1), 5000, 'level 1');
    expect(level1.audience.userIds).toEqual(expect.arrayContaining([court.judge.userId, court.head.userId]));
    expect(level1.audience.userIds).not.toContain(court.manager.userId);
    const level2 = await eventually(() => h.events.find((e) => e.type === 'ticket.overdue' && mine(e) && (e.data as { level: number }).level === 2), 5000, 'level 2');
    expect(level2.audience.roles).toEqual(['manager']);

    const after = await h.runtime.service.get(court.manager, ticket.id);
    expect(after).toMatchObject({ stage: 'chase', chaseLevel: 2 });
    const timers = await database.db.select().from(slaTimers).where(eq(slaTimers.ticketId, ticket.id));
    expect(timers.map((t) => t.status)).toEqual(['fired', 'fired', 'fired']);
    const trail = await h.runtime.service.events(court.manager, ticket.id);
    expect(trail.map((e) => e.action)).toEqual(['create', 'hand_off', 'remind', 'escalate', 'escalate']);
    expect(trail.slice(2).every((e) => e.actorRole === 'system')).toBe(true);
    // They fired in order: reminder before level 1 before level 2.
    expect(h.events.indexOf(near)).toBeLessThan(h.events.indexOf(level1));
    expect(h.events.indexOf(level1)).toBeLessThan(h.events.indexOf(level2));
  });

  it('are cancelled when the handler replies first: their jobs leave Redis and nothing fires', async () => {
    lateMonday();
    const ticket = await h.runtime.service.create(court.operator, { summary: '及时答复' });
    await h.runtime.service.handOff(court.operator, ticket.id, { handlerUserId: court.judge.userId });
    await h.runtime.relay.drain();
    const timers = await database.db.select().from(slaTimers).where(eq(slaTimers.ticketId, ticket.id));
    const chaseQueue = h.queues.queue(stageQueues.chase);
    for (const t of timers) expect(await chaseQueue.getJob(t.jobId)).toBeDefined();

    await h.runtime.service.reply(court.judge, ticket.id, { text: '已办结' });
    await h.runtime.relay.drain();
    expect((await database.db.select().from(slaTimers).where(eq(slaTimers.ticketId, ticket.id))).map((t) => t.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    for (const t of timers) expect(await chaseQueue.getJob(t.jobId)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 2300)); // past every original fire time
    expect(h.events.filter((e) => forTicket(ticket.id)(e) && ['ticket.deadline_near', 'ticket.overdue'].includes(e.type))).toEqual([]);
    expect((await h.runtime.service.get(court.manager, ticket.id)).stage).toBe('feedback');
  });

  it('an extension replaces the timers: only the new deadline version fires', async () => {
    lateMonday();
    const ticket = await h.runtime.service.create(court.operator, { summary: '延期' });
    const handed = await h.runtime.service.handOff(court.operator, ticket.id, { handlerUserId: court.judge.userId });
    await h.runtime.service.requestExtension(court.judge, ticket.id, { until: new Date(handed.deadline!.getTime() + 1000), reason: '需补充材料' });
    const approved = await h.runtime.service.decideExtension(court.head, ticket.id, { approve: true });
    expect(approved.deadline!.getTime() - handed.deadline!.getTime()).toBe(1000);
    await eventually(() => h.events.find((e) => e.type === 'ticket.overdue' && forTicket(ticket.id)(e) && (e.data as { level: number }).level === 2), 5000, 'level 2 of the new deadline');
    const timers = await database.db.select().from(slaTimers).where(eq(slaTimers.ticketId, ticket.id));
    expect(timers.filter((t) => t.status === 'fired').every((t) => t.jobId.includes('-v2-'))).toBe(true);
    expect(timers.filter((t) => t.jobId.includes('-v1-')).every((t) => t.status === 'cancelled')).toBe(true);
  });
});
