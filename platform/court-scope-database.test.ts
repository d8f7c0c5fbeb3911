import { sql } from 'drizzle-orm';
import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './db/client.ts';
import { createLogger } from './logger.ts';
import type { Actor } from './user-roles.ts';
import { useTestDatabase } from '../test/harness/database.ts';
import { canSee, scopeCondition } from './court-scope.ts';
import { seedCourt, type SeededCourt, type SeededUser } from '../api/testing/fixtures.ts';

// A table shaped like handler data (a ticket's court, handling user and department), in this file's own database.
const probe = pgTable('scope_probe', {
  name: text('name').primaryKey(),
  courtId: uuid('court_id').notNull(),
  handlerUserId: uuid('handler_user_id'),
  departmentId: uuid('department_id'),
});

let database: Database;
let a: SeededCourt;
let b: SeededCourt;
let rows: Array<typeof probe.$inferSelect>;

beforeAll(async () => {
  database = await openDatabase({ url: await useTestDatabase(), poolSize: 2, dataDir: '', logger: createLogger({ level: 'silent', pretty: false }) });
  a = await seedCourt(database.db);
  b = await seedCourt(database.db);
  await database.db.execute(sql`create table scope_probe (
    name text primary key,
    court_id uuid not null references platform.courts(id),
    handler_user_id uuid references platform.users(id),
    department_id uuid references platform.departments(id))`);
  const [deptA1, deptA2] = a.departmentIds;
  rows = [
    { name: 'A: judge’s own, in the other department', courtId: a.courtId, handlerUserId: a.users.judge.id, departmentId: deptA2 },
    { name: 'A: department 1, another judge', courtId: a.courtId, handlerUserId: a.users.otherJudge.id, departmentId: deptA1 },
    { name: 'A: department 1, no handler yet', courtId: a.courtId, handlerUserId: null, departmentId: deptA1 },
    { name: 'A: department 2, another judge', courtId: a.courtId, handlerUserId: a.users.otherJudge.id, departmentId: deptA2 },
    { name: 'A: no handler, no department', courtId: a.courtId, handlerUserId: null, departmentId: null },
    { name: 'B: department 1', courtId: b.courtId, handlerUserId: b.users.judge.id, departmentId: b.departmentIds[0] },
    { name: 'B: no department', courtId: b.courtId, handlerUserId: null, departmentId: null },
  ];
  await database.db.insert(probe).values(rows);
});
afterAll(() => database?.close());

const actorOf = (court: SeededCourt, user: SeededUser, departmentId = user.departmentId): Actor => ({ userId: user.id, role: user.role, courtId: court.courtId, departmentId });

async function visible(actor: Actor): Promise<string[]> {
  const found = await database.db.select({ name: probe.name }).from(probe).where(scopeCondition(actor, probe));
  return found.map((r) => r.name).sort();
}

describe('scopeCondition on a real PostgreSQL table', () => {
  it('gives operators, managers and admins their whole court and nothing of another', async () => {
    const courtA = rows.filter((r) => r.courtId === a.courtId).map((r) => r.name).sort();
    for (const role of ['operator', 'manager', 'admin'] as const) expect(await visible(actorOf(a, a.users[role]))).toEqual(courtA);
    expect(await visible(actorOf(b, b.users.admin))).toEqual(['B: department 1', 'B: no department']);
  });

  it('gives a judge their own records and their department’s, and nothing of another court', async () => {
    expect(await visible(actorOf(a, a.users.judge))).toEqual(['A: department 1, another judge', 'A: department 1, no handler yet', 'A: judge’s own, in the other department']);
    // The other judge handles two rows and belongs to department 2.
    expect(await visible(actorOf(a, a.users.otherJudge))).toEqual(['A: department 1, another judge', 'A: department 2, another judge', 'A: judge’s own, in the other department']);
  });

  it('gives a department head their department only; a judge or head without a department only what names them', async () => {
    expect(await visible(actorOf(a, a.users.department_head))).toEqual(['A: department 1, another judge', 'A: department 1, no handler yet']);
    expect(await visible(actorOf(a, a.users.department_head, null))).toEqual([]);
    expect(await visible(actorOf(a, a.users.judge, null))).toEqual(['A: judge’s own, in the other department']);
  });

  it('agrees with canSee, the in-memory check, for every role and every row', async () => {
    const actors = [a, b].flatMap((court) => Object.values(court.users).flatMap((user) => [actorOf(court, user), actorOf(court, user, null)]));
    for (const actor of actors) {
      const expected = rows.filter((row) => canSee(actor, row)).map((r) => r.name).sort();
      expect({ role: actor.role, department: actor.departmentId, rows: await visible(actor) }).toEqual({ role: actor.role, department: actor.departmentId, rows: expected });
    }
  });
});
