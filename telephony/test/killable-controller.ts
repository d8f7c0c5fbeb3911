import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { serviceOf } from '../../platform/deps.ts';
import { afterFile } from '../../test/harness/after-file.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import type { Hotline } from '../../hotline.ts';
import { useHotline } from '../../test/harness/hotline.ts';
import { useRedisPrefix } from '../../test/harness/redis.ts';
import { startAriSim, type AriSim, type CallHandle } from '../ari-sim/index.ts';
import type { TelephonyService } from '../service.ts';
import { ControllerProcess } from './controller-process.ts';
import { promptSounds, soundsDir, until } from './over-sim.ts';
import '../plugin.ts';

export interface KillableHotline {
  sim: AriSim;
  pgc: pg.Client;
  courtId: string;
  /** The API process (in this one): presence, transfers. */
  api: Hotline;
  service: TelephonyService;
  /** Starts a controller process (another after a kill takes over the same Redis, database and data dir). */
  startController(): Promise<ControllerProcess>;
  /** Adds operators with softphones that answer after 20–30 ms, ready; their user ids. */
  addOperators(n: number): Promise<string[]>;
  /** Places callers one after another, waits until each is answered, then each keys `digits`. */
  callers(n: number, digits?: string): Promise<CallHandle[]>;
}

/**
 * A hotline whose controller is a real process a test can SIGKILL, over the ARI stand-in (prompts last a minute),
 * with its API in this process. `controllerDatabaseUrl` lets the test put the controller's PostgreSQL behind a relay.
 */
export async function useKillableHotline(o: { courtCode: string; controllerDatabaseUrl?: (url: string) => Promise<string>; env?: Record<string, string> }): Promise<KillableHotline> {
  const sim = await startAriSim({ app: 'hotline12368', username: 'hotline', password: 'hotline', channelvars: ['HOTLINE_CALL_ID', 'COURT_ID'], sounds: promptSounds(60_000) });
  afterFile(() => sim.stop());
  const databaseUrl = await useTestDatabase();
  const prefix = useRedisPrefix();
  const dataDir = mkdtempSync(join(tmpdir(), 'hotline-kill-'));
  afterFile(() => rmSync(dataDir, { recursive: true, force: true }));
  const pgc = new pg.Client({ connectionString: databaseUrl });
  await pgc.connect();
  afterFile(() => pgc.end());
  const courtId = randomUUID();
  await pgc.query(`insert into platform.courts (id, code, name) values ($1, $2, '测试法院')`, [courtId, o.courtCode]);

  const api = await useHotline({ HOTLINE_ROLES: 'api', DATABASE_URL: databaseUrl, REDIS_PREFIX: prefix, HOTLINE_DATA_DIR: join(dataDir, 'api'), ARI_URL: sim.url });
  const service = serviceOf(api.deps, 'telephony');
  const controllerEnv = {
    DATABASE_URL: o.controllerDatabaseUrl ? await o.controllerDatabaseUrl(databaseUrl) : databaseUrl,
    REDIS_PREFIX: prefix,
    HOTLINE_DATA_DIR: join(dataDir, 'controller'),
    ARI_URL: sim.url,
    ARI_USERNAME: 'hotline',
    ARI_PASSWORD: 'hotline',
    TELEPHONY_SOUNDS_DIR: soundsDir,
    TELEPHONY_RING_SECONDS: '5',
    TELEPHONY_MAX_WAIT_SECONDS: '600',
    TELEPHONY_WRAP_UP_SECONDS: '0',
    TELEPHONY_POSITION_FIRST_SECONDS: '600',
    TELEPHONY_MENU_TIMEOUT_SECONDS: '30',
    ...o.env,
  };
  const controllers: ControllerProcess[] = [];
  afterFile(async () => {
    for (const c of controllers) await c.stop();
  });

  let endpointSeq = 0;
  let callerSeq = 0;
  const up = (c: CallHandle) => sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === c.channelId && e.channel.state === 'Up', { includePast: true, timeoutMs: 10_000 });
  return {
    sim,
    pgc,
    courtId,
    api,
    service,
    async startController() {
      const controller = await ControllerProcess.start(controllerEnv);
      controllers.push(controller);
      await until(() => sim.isConnected('hotline12368'), 30_000).catch((err: Error) => {
        throw new Error(`${err.message}: the controller logged ${JSON.stringify(controller.lines.slice(-8))}`);
      });
      return controller;
    },
    async addOperators(n) {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const id = randomUUID();
        const endpoint = `op9${String(++endpointSeq).padStart(3, '0')}`;
        await pgc.query(`insert into platform.users (id, court_id, username, display_name, role, sip_endpoint) values ($1, $2, $3, $4, 'operator', $5)`, [id, courtId, `k-${endpoint}`, `话务员${endpoint}`, endpoint]);
        sim.endpoint(endpoint).register().answerAfter(30);
        await service.setPresence(id, 'ready');
        ids.push(id);
      }
      return ids;
    },
    async callers(n, digits) {
      const list: CallHandle[] = [];
      for (let i = 0; i < n; i++) list.push(await sim.placeCall({ from: `1350000${String(++callerSeq).padStart(4, '0')}` }));
      for (const c of list) await up(c);
      if (digits) for (const c of list) await c.pressDigits(digits, { gapMs: 5 });
      return list;
    },
  };
}
