import { loggedLines } from '../test/harness/logged.ts';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../platform/db/client.ts';
import { users } from '../platform/directory.sql.ts';
import type { EventBus } from '../platform/events.ts';
import type { TicketContext } from './context.ts';
import { sendNotice } from './jobs.ts';
import type { NotifyJob } from './queues.ts';
import { seedCourt, silentLogger, useTicketsDatabase, type Court } from './testing/harness.ts';

// A notice for named people (a ticket's handler, a department's judges) who are all gone — deactivated, or the
// department left empty — would reach no one: the court's managers get it instead, and it is logged.
let database: Database;
let court: Court;
beforeAll(async () => {
  database = await useTicketsDatabase();
  court = await seedCourt(database);
});

async function send(audience: NotifyJob['audience']) {
  const published: Array<{ audience: unknown }> = [];
  const { logger: log, lines } = loggedLines();
  const events = { publish: async (e: { audience: unknown }) => (published.push(e), '1-1') } as unknown as EventBus;
  const job: NotifyJob = { type: 'ticket.assigned', courtId: court.courtId, ticketId: '5b378395-710c-4716-9da5-05a24ca93942', eventId: 1, audience, data: {} } as NotifyJob;
  await sendNotice({ db: database.db } as unknown as TicketContext, events, job, log);
  return { audience: published[0]?.audience, warnings: lines.filter((l) => l.level === 'warn').map((l) => l.msg) };
}

describe('a notice whose people are all gone', () => {
  it("goes to the court's managers, with a warning; one with someone left goes to them alone", async () => {
    await database.db.update(users).set({ active: false }).where(eq(users.id, court.judge2.userId));
    expect(await send({ userIds: [court.judge2.userId] })).toEqual({ audience: { roles: ['manager'] }, warnings: ["no one left to receive this notice: sent to the court's managers"] });
    expect(await send({ userIds: [court.judge2.userId, court.judge.userId] })).toEqual({ audience: { userIds: [court.judge.userId] }, warnings: [] });
    expect(await send({ roles: ['operator'], userIds: [court.judge2.userId] })).toEqual({ audience: { roles: ['operator'] }, warnings: [] });
  });

  it("a department with no one of the roles named: the managers", async () => {
    expect((await send({ departments: [{ id: court.civil, roles: ['department_head'] }] })).audience).toEqual({ userIds: [court.head.userId] });
    await database.db.update(users).set({ active: false }).where(eq(users.id, court.head.userId));
    expect(await send({ departments: [{ id: court.civil, roles: ['department_head'] }] })).toEqual({ audience: { roles: ['manager'] }, warnings: ["no one left to receive this notice: sent to the court's managers"] });
  });
});
