/**
 * Shared by the API benchmarks: a hotline with only the api role on a fresh, migrated PostgreSQL
 * database and its own Redis prefix, one seeded court, and the baseline: a bare Fastify server (no hooks,
 * no logger) whose one route runs the same drizzle query as GET /api/departments, in this process on the
 * same pool, or (startSeparateBare) in a process of its own on a pool of the same size (api-bare-server.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { eq } from 'drizzle-orm';
import Fastify from 'fastify';
import { pino } from 'pino';
import { seedCourt, sessionCookieFor, type SeededCourt } from '../api/testing/fixtures.ts';
import { startHotline, type Hotline } from '../hotline.ts';
import { loadConfig } from '../platform/config/load.ts';
import { openDatabase } from '../platform/db/client.ts';
import { repoRoot } from '../platform/db/migration-sets.ts';
import { departments } from '../platform/directory.sql.ts';
import { createLogger } from '../platform/logger.ts';
import { adminQuery, databaseUrl, uniqueName } from '../test/harness/postgres.ts';
import { testRedisUrl } from '../test/harness/redis.ts';

export interface ApiBench {
  hotline: Hotline;
  court: SeededCourt;
  /** A signed-in operator's cookie header. */
  cookie: string;
  apiUrl: string;
  /** The baseline in this process, on the hotline's own pool. */
  bare: BareServer;
  /** Starts the baseline in a process of its own (closed with the bench). */
  startSeparateBare(): Promise<BareServer>;
  close(): Promise<void>;
}

export interface BareServer {
  /** URL of its one route. */
  url: string;
  /** CPU time (user + system) of the process serving it so far, in microseconds. */
  cpu(): Promise<number>;
}

/** CPU time of this process so far, in microseconds. */
export const ownCpu = async () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

export async function startApiBench(): Promise<ApiBench> {
  const dbName = uniqueName('hotline_bench');
  await adminQuery(`create database ${dbName}`);
  const url = databaseUrl(dbName);
  const migrator = await openDatabase({ url, poolSize: 1, dataDir: '', logger: createLogger({ level: 'silent', pretty: false }) });
  await migrator.migrate();
  await migrator.close();

  const config = loadConfig({
    env: { HOTLINE_PORT: '0', HOTLINE_ROLES: 'api', REDIS_URL: testRedisUrl, REDIS_AUTOSTART: 'false', LOG_LEVEL: 'info', DATABASE_URL: url, REDIS_PREFIX: uniqueName('bench') },
    cwd: repoRoot,
  });
  // The product's logger at its default level (info), writing to /dev/null: what a request costs to log is part of the overhead.
  const hotline = await startHotline(config, createLogger({ level: 'info', pretty: false }, pino.destination('/dev/null')));
  const { db } = hotline.deps;
  const court = await seedCourt(db);
  const cookie = await sessionCookieFor(db, court.users.operator.id);
  const bareApp = Fastify();
  bareApp.get('/bare/departments', async () => db.select().from(departments).where(eq(departments.courtId, court.courtId)).orderBy(departments.name));
  const bare = { url: `${await bareApp.listen({ host: '127.0.0.1', port: 0 })}/bare/departments`, cpu: ownCpu };
  const children: ChildProcess[] = [];
  return {
    hotline,
    court,
    cookie,
    apiUrl: `${hotline.url}/api/departments`,
    bare,
    startSeparateBare: async () => {
      const separate = await startBare(url, court.courtId, config.database.poolSize);
      children.push(separate.child);
      return {
        url: `${separate.url}/bare/departments`,
        cpu: async () => {
          const { user, system } = (await (await fetch(`${separate.url}/cpu`)).json()) as { user: number; system: number };
          return user + system;
        },
      };
    },
    close: async () => {
      for (const child of children) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      await bareApp.close();
      await hotline.stop();
      await adminQuery(`drop database if exists ${dbName} with (force)`);
    },
  };
}

async function startBare(databaseUrl: string, courtId: string, poolSize: number): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench/api-bare-server.ts'), databaseUrl, courtId, String(poolSize)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return { url: (JSON.parse(line) as { url: string }).url, child };
}
