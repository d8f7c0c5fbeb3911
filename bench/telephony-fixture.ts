/**
 * What the telephony benchmarks over the ARI stand-in share: a database with one court and its operators, the
 * controller process (the telephony role, compiled as npm start runs it) and the clean-up after them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { openDatabase } from '../platform/db/client.ts';
import { createLogger } from '../platform/logger.ts';
import { serverNodeFlags } from '../platform/runtime/node-flags.ts';
import { adminQuery, databaseUrl, uniqueName } from '../test/harness/postgres.ts';
import { testRedisUrl } from '../test/harness/redis.ts';
import { BenchChild } from './child-process.ts';

export interface BenchCourt {
  url: string;
  courtId: string;
  /** User ids; operator i has the SIP endpoint `op${7000 + i}` (as telephony-callers.ts registers them). */
  operators: string[];
  drop(): Promise<void>;
}

/** A fresh database, migrated, with one court and `operatorCount` operators. */
export async function benchCourt(operatorCount: number): Promise<BenchCourt> {
  const dbName = uniqueName('hotline_bench_tel');
  await adminQuery(`create database ${dbName}`);
  const url = databaseUrl(dbName);
  const db = await openDatabase({ url, poolSize: 1, dataDir: '', logger: createLogger({ level: 'silent', pretty: false }) });
  await db.migrate();
  const courtId = randomUUID();
  const operators: string[] = [];
  await db.db.execute(`insert into platform.courts (id, code, name) values ('${courtId}', 'B01', '基准法院')` as never);
  for (let i = 0; i < operatorCount; i++) {
    const id = randomUUID();
    const endpoint = `op${7000 + i}`;
    await db.db.execute(`insert into platform.users (id, court_id, username, display_name, role, sip_endpoint) values ('${id}', '${courtId}', 'bench-${endpoint}', '话务员${i}', 'operator', '${endpoint}')` as never);
    operators.push(id);
  }
  await db.close();
  return { url, courtId, operators, drop: () => adminQuery(`drop database if exists ${dbName} with (force)`).then(() => undefined) };
}

/** A controller process with its own data directory; `ari` is its ARI_URL or ARI_NODES (+ ARI_NODES_PREFER). */
export async function forkController(js: string, o: { url: string; prefix: string; ari: Record<string, string>; execArgv?: string[]; extraFlags?: string[] }): Promise<BenchChild & { cleanUp(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hotline-bench-'));
  const child = await BenchChild.fork(js, {
    execArgv: o.execArgv ?? ['--expose-gc', ...serverNodeFlags, ...(o.extraFlags ?? [])],
    env: {
      HOTLINE_PORT: '0',
      HOTLINE_ROLES: 'telephony',
      REDIS_URL: testRedisUrl,
      REDIS_AUTOSTART: 'false',
      LOG_LEVEL: 'warn',
      DATABASE_URL: o.url,
      REDIS_PREFIX: o.prefix,
      HOTLINE_DATA_DIR: dataDir,
      ...o.ari,
      TELEPHONY_SOUNDS_DIR: '/snd',
      TELEPHONY_MAX_WAIT_SECONDS: '600',
      TELEPHONY_MENU_TIMEOUT_SECONDS: '30',
      TELEPHONY_POSITION_EVERY_SECONDS: '600',
      TELEPHONY_WRAP_UP_SECONDS: '0',
    },
  });
  return Object.assign(child, {
    async cleanUp() {
      await child.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/** Deletes a run's Redis keys (its prefix). */
export async function dropRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(testRedisUrl);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}
