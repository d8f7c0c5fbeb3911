import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { expect } from 'vitest';
import { afterFile } from '../../test/harness/after-file.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import { useHotline } from '../../test/harness/hotline.ts';
import { stopHotline } from '../../test/harness/stop-hotline.ts';
import type { Hotline } from '../../hotline.ts';
import { useTcpProxy, type TcpProxy } from '../../test/harness/tcp-proxy.ts';
import { useRedisPrefix } from '../../test/harness/redis.ts';
import { startAriSim, type AriSim, type AriSimOptions } from '../ari-sim/index.ts';
import { prompts } from '../menu.ts';
import type { TelephonyRuntime } from '../plugin.ts';
import { serviceOf } from '../../platform/deps.ts';
import { startAriResetProxy, type AriResetProxy } from './ari-reset-proxy.ts';

export const soundsDir = '/snd';

/** Every prompt is known to the stand-in and plays for `ms`. */
export function promptSounds(ms: number): Record<string, number> {
  return Object.fromEntries(prompts.map((p) => [`${soundsDir}/zh/${p}`, ms]));
}

export interface OverSim {
  sim: AriSim;
  rt: TelephonyRuntime;
  pgc: pg.Client;
  courtId: string;
  /** Creates the court `courtId` (with `courtLater: true` it does not exist when the hotline starts). */
  createCourt(): Promise<void>;
  /** Adds an operator (court user with a softphone) and makes them ready. */
  addOperator(endpoint: string, opts?: { skills?: string[]; ready?: boolean }): Promise<string>;
  /** The call row of a channel once its outcome is written. */
  closedCall(channelId: string | null, timeoutMs?: number): Promise<CallRow>;
  events(callId: string): Promise<Array<{ kind: string; operator_id: string | null; data: any }>>;
  callRows(channelId: string | null): Promise<CallRow[]>;
  databaseUrl: string;
  /** The hotline's base URL. */
  url: string;
  hotline: Hotline;
  /** The relay in front of PostgreSQL (proxyDatabase: true). */
  dbProxy: TcpProxy | undefined;
  /** The relay in front of the stand-in's ARI (proxyAri: true). */
  ariProxy: AriResetProxy | undefined;
  /** Stops this hotline (live calls stay up in the stand-in). */
  stopHotline(): Promise<void>;
  /** Starts a new hotline on the same database, Redis prefix and data dir; `rt`, `hotline` and `url` then point at it. */
  startHotline(): Promise<void>;
}

export interface CallRow {
  id: string;
  outcome: string | null;
  hangup_by: string | null;
  caller_number: string;
  dialled: string;
  court_id: string | null;
  skill: string | null;
  answered_by: string | null;
  in_hours: boolean | null;
}

/**
 * A whole hotline (telephony role) over the ARI stand-in, real PostgreSQL and Redis, with short timers:
 * ring 1 s, menu timeout 1 s, prompts of `promptMs`.
 */
export async function useTelephonyOverSim(o: { env?: Record<string, string>; sim?: AriSimOptions; promptMs?: number; simDown?: boolean; proxyDatabase?: boolean; proxyAri?: boolean; courtLater?: boolean } = {}): Promise<OverSim> {
  const sim = await startAriSim({
    app: 'hotline12368',
    username: 'hotline',
    password: 'hotline',
    channelvars: ['HOTLINE_CALL_ID', 'COURT_ID'],
    sounds: promptSounds(o.promptMs ?? 60),
    ...o.sim,
  });
  afterFile(() => sim.stop());
  const ariProxy = o.proxyAri ? await startAriResetProxy(Number(new URL(sim.url).port)) : undefined;
  if (ariProxy) afterFile(() => ariProxy.close());
  if (o.simDown) await sim.stopAsterisk();
  const databaseUrl = await useTestDatabase();
  let dbProxy: TcpProxy | undefined;
  let hotlineDbUrl = databaseUrl;
  if (o.proxyDatabase) {
    const u = new URL(databaseUrl);
    dbProxy = await useTcpProxy(u.hostname, Number(u.port || 5432));
    u.port = String(dbProxy.port);
    hotlineDbUrl = u.toString();
  }
  const pgc = new pg.Client({ connectionString: databaseUrl });
  await pgc.connect();
  afterFile(() => pgc.end());
  const courtId = randomUUID();
  const createCourt = async () => void (await pgc.query(`insert into platform.courts (id, code, name) values ($1, 'T01', '测试法院')`, [courtId]));
  if (!o.courtLater) {
    await createCourt();
    // The hotline number is this court's, as a deployment sets it up: a test may add other courts beside it.
    await pgc.query(`insert into telephony.hotline_numbers (number, court_id) values ('12368', $1)`, [courtId]);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'hotline-tel-'));
  afterFile(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = {
    HOTLINE_ROLES: 'telephony',
    DATABASE_URL: hotlineDbUrl,
    REDIS_PREFIX: useRedisPrefix(),
    HOTLINE_DATA_DIR: dataDir,
    ARI_URL: ariProxy ? `http://127.0.0.1:${ariProxy.port}` : sim.url,
    // The relay resets and stalls HTTP requests: behind it, REST goes over HTTP (ws-rest.test.ts has the websocket's faults).
    ...(ariProxy ? { ARI_REST_OVER_WEBSOCKET: 'false' } : {}),
    ARI_USERNAME: 'hotline',
    ARI_PASSWORD: 'hotline',
    TELEPHONY_SOUNDS_DIR: soundsDir,
    TELEPHONY_RING_SECONDS: '1',
    TELEPHONY_MENU_TIMEOUT_SECONDS: '1',
    TELEPHONY_MAX_WAIT_SECONDS: '30',
    TELEPHONY_WRAP_UP_SECONDS: '0',
    ...o.env,
  };
  const hotline = await useHotline(env);
  const rt = serviceOf(hotline.deps, 'telephonyRuntime');
  if (!o.simDown) await until(() => rt.ari.connected, 10_000);

  const callRows = async (channelId: string | null) => (await pgc.query<CallRow>(`select * from telephony.calls where channel_id = $1`, [channelId])).rows;
  const overSim: OverSim = {
    sim,
    rt,
    pgc,
    courtId,
    createCourt,
    databaseUrl,
    url: hotline.url,
    hotline,
    dbProxy,
    ariProxy,
    callRows,
    async addOperator(endpoint, { skills = [], ready = true } = {}) {
      const id = randomUUID();
      await pgc.query(`insert into platform.users (id, court_id, username, display_name, role, sip_endpoint) values ($1, $2, $3, $4, 'operator', $5)`, [
        id,
        courtId,
        `u-${endpoint}-${id.slice(0, 6)}`,
        `话务员 ${endpoint}`,
        endpoint,
      ]);
      for (const skill of skills) await pgc.query(`insert into telephony.operator_skills (user_id, skill) values ($1, $2)`, [id, skill]);
      sim.endpoint(endpoint).register();
      if (ready) await overSim.rt.service.setPresence(id, 'ready');
      return id;
    },
    async closedCall(channelId, timeoutMs = 10_000) {
      let row: CallRow | undefined;
      await expect
        .poll(
          async () => {
            row = (await callRows(channelId))[0];
            return row?.outcome ?? null;
          },
          { timeout: timeoutMs, interval: 50 },
        )
        .not.toBeNull();
      return row!;
    },
    async events(callId) {
      return (await pgc.query(`select kind, operator_id, data from telephony.call_events where call_id = $1 order by seq`, [callId])).rows;
    },
    async stopHotline() {
      await overSim.hotline.stop();
    },
    async startHotline() {
      const next = await useHotline(env);
      overSim.hotline = next;
      overSim.url = next.url;
      overSim.rt = serviceOf(next.deps, 'telephonyRuntime');
      await until(() => overSim.rt.ari.connected, 10_000);
    },
  };
  // A hotline restarted by a test replaces this one: the one running when the file ends is stopped first, while
  // the stand-in and the database it uses are still there.
  afterFile(() => stopHotline(overSim.hotline));
  return overSim;
}

/** Waits for a condition outside a test (setup code). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
