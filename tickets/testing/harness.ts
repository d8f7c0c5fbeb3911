/** Test fixtures for the tickets capability: a real database and Redis, a court with its people, a runtime. */
import { Redis } from 'ioredis';
import { afterFile } from '../../test/harness/after-file.ts';
import { courts } from '../../platform/courts.sql.ts';
import { openDatabase, type Database } from '../../platform/db/client.ts';
import { departments, users } from '../../platform/directory.sql.ts';
import { EventBus, type HotlineEvent } from '../../platform/events.ts';
import { createLogger } from '../../platform/logger.ts';
import { createMetrics } from '../../platform/metrics.ts';
import { Queues } from '../../platform/queues.ts';
import type { Actor, UserRole } from '../../platform/user-roles.ts';
import { callEvidence } from '../../telephony/outbound/evidence.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import { testRedisUrl, useRedisPrefix } from '../../test/harness/redis.ts';
import { OffsetClock } from '../clock.ts';
import { createTicketsRuntime, type TicketsOptions, type TicketsRuntime } from '../runtime.ts';
import { seedReferenceData } from '../seed.ts';

export const silentLogger = createLogger({ level: (process.env.TEST_LOG_LEVEL as 'silent') ?? 'silent', pretty: false });

export async function useTicketsDatabase(): Promise<Database & { url: string }> {
  const url = await useTestDatabase();
  const database = await openDatabase({ url, poolSize: 8, dataDir: '', logger: silentLogger });
  afterFile(() => database.close());
  await seedReferenceData(database.db);
  return Object.assign(database, { url });
}

export interface Court {
  courtId: string;
  civil: string;
  enforcement: string;
  operator: Actor;
  operator2: Actor;
  judge: Actor;
  judge2: Actor;
  enforcementJudge: Actor;
  head: Actor;
  enforcementHead: Actor;
  manager: Actor;
  admin: Actor;
}

/** A court (code J0811) with a civil and an enforcement division and one person per role. */
export async function seedCourt(database: Database, code = 'J0811'): Promise<Court> {
  const db = database.db;
  const [court] = await db.insert(courts).values({ code, name: `${code} 人民法院` }).returning();
  const courtId = court!.id;
  const [civil, enforcement] = await db.insert(departments).values([{ courtId, name: '民事审判庭' }, { courtId, name: '执行局' }]).returning();
  const person = async (username: string, role: UserRole, departmentId: string | null): Promise<Actor> => {
    const [u] = await db.insert(users).values({ courtId, username: `${code}-${username}`, displayName: username, role, departmentId }).returning();
    return { userId: u!.id, role, courtId, departmentId };
  };
  return {
    courtId,
    civil: civil!.id,
    enforcement: enforcement!.id,
    operator: await person('op1', 'operator', null),
    operator2: await person('op2', 'operator', null),
    judge: await person('judge1', 'judge', civil!.id),
    judge2: await person('judge2', 'judge', civil!.id),
    enforcementJudge: await person('judge3', 'judge', enforcement!.id),
    head: await person('head1', 'department_head', civil!.id),
    enforcementHead: await person('head2', 'department_head', enforcement!.id),
    manager: await person('manager1', 'manager', null),
    admin: await person('admin1', 'admin', null),
  };
}

export interface TicketsHarness {
  runtime: TicketsRuntime;
  queues: Queues;
  redis: Redis;
  clock: OffsetClock;
  events: HotlineEvent[];
}

/** A tickets runtime on the test Redis (own prefix); relay and workers started unless told otherwise. */
export async function useTicketsRuntime(
  database: Database,
  options: TicketsOptions & { start?: { relay: boolean; workers: boolean }; redisUrl?: string; prefix?: string } = {},
): Promise<TicketsHarness> {
  const prefix = options.prefix ?? useRedisPrefix();
  const redis = new Redis(options.redisUrl ?? testRedisUrl, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
  redis.on('error', () => undefined);
  const queues = new Queues(redis, prefix, silentLogger, true, createMetrics());
  const bus = new EventBus(redis, prefix, silentLogger);
  const events: HotlineEvent[] = [];
  await bus.subscribe((e) => events.push(e));
  const clock = options.clock instanceof OffsetClock ? options.clock : new OffsetClock();
  // Telephony's call records (its tables are in the test database), so phone deliveries are checked as in production.
  const runtime = createTicketsRuntime({ db: database.db, queues, events: bus, logger: silentLogger }, { relayPollMs: 200, phoneEvidence: callEvidence(database.db), ...options, clock });
  runtime.start(options.start ?? { relay: true, workers: true });
  afterFile(async () => {
    await runtime.stop();
    await queues.close();
    await runtime.close();
    await bus.close();
    redis.disconnect();
  });
  return { runtime, queues, redis, clock, events };
}

/** A wall-clock time in China (UTC+8), as the court's calendar and deadlines read it. */
export const chinaTime = (t: string): Date => new Date(`${t}+08:00`);

/** Polls until `check` returns a value that is not undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
