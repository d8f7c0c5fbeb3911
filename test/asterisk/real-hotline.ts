import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { Hotline } from '../../hotline.ts';
import { serviceOf } from '../../platform/deps.ts';
import type { TelephonyRuntime } from '../../telephony/plugin.ts';
import { afterFile } from '../harness/after-file.ts';
import { useTestDatabase } from '../harness/database.ts';
import { useHotline } from '../harness/hotline.ts';
import { stopHotline } from '../harness/stop-hotline.ts';
import { useRedisPrefix } from '../harness/redis.ts';
import { openSipPassword } from '../../telephony/endpoints/sip-password-seal.ts';
import { repoConfigDir, startAsterisk, type AsteriskInstance } from './asterisk-instance.ts';

export const sipSecret = 'real-asterisk-test-secret-0123';

/** An endpoint's random password, as the console gets it: opened from platform.sip_credentials with the secret. */
export async function sipPasswordOf(court: Pick<RealCourt, 'pgc'>, endpoint: string): Promise<string> {
  const { rows } = await court.pgc.query<{ sealed: string }>('select sealed from platform.sip_credentials where endpoint = $1', [endpoint]);
  if (!rows[0]) throw new Error(`no SIP password was issued for ${endpoint} (telephony:endpoints issues them)`);
  return openSipPassword(sipSecret, endpoint, rows[0].sealed);
}
const repo = resolve(import.meta.dirname, '../..');

/** A real Asterisk with the hotline's configuration, and a database with a court and its users: no controller yet. */
export interface RealCourt {
  asterisk: AsteriskInstance;
  pgc: pg.Client;
  courtId: string;
  users: Record<string, string>;
  /** The test database (the controller's DATABASE_URL unless a test puts something in between). */
  databaseUrl: string;
  /** A controller's environment: this Asterisk, this database, a Redis prefix and a data dir of this file's own. */
  hotlineEnv: Record<string, string>;
  /** ARI request with the hotline's user; the parsed body. */
  ari(path: string, init?: RequestInit): Promise<any>;
}

export interface RealHotline extends RealCourt {
  rt: TelephonyRuntime;
  hotline: Hotline | undefined;
  startHotline(): Promise<void>;
  stopHotline(): Promise<void>;
}

export interface RealCourtOptions {
  operators: string[];
  desks: Record<string, string>;
  globals?: Record<string, string>;
  /** Operator endpoints with plain RTP for sipp phones that carry audio (asterisk-instance.ts). */
  operatorMedia?: 'webrtc' | 'rtp';
  env?: (asterisk: AsteriskInstance) => Record<string, string>;
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A real Asterisk with asterisk-config/, a database with a court, operators and a judge, and their endpoints written
 * by the `telephony:endpoints` command (and applied by its --reload through ARI); a controller is the test's to
 * start (useRealHotline, or a process of its own).
 */
export async function useRealCourt(o: RealCourtOptions): Promise<RealCourt> {
  const asterisk = await startAsterisk({ globals: o.globals, operatorMedia: o.operatorMedia });
  afterFile(() => asterisk.stop());
  const databaseUrl = await useTestDatabase();
  const pgc = new pg.Client({ connectionString: databaseUrl });
  await pgc.connect();
  afterFile(() => pgc.end());
  const courtId = randomUUID();
  await pgc.query(`insert into platform.courts (id, code, name) values ($1, 'A01', '测试法院')`, [courtId]);
  const users: Record<string, string> = {};
  for (const endpoint of o.operators) {
    const id = randomUUID();
    await pgc.query(`insert into platform.users (id, court_id, username, display_name, role, sip_endpoint) values ($1, $2, $3, $4, 'operator', $5)`, [id, courtId, `u-${endpoint}`, `话务员 ${endpoint}`, endpoint]);
    users[endpoint] = id;
  }
  for (const [username, extension] of Object.entries(o.desks)) {
    const id = randomUUID();
    await pgc.query(`insert into platform.users (id, court_id, username, display_name, role, extension) values ($1, $2, $3, $4, 'judge', $5)`, [id, courtId, username, `法官 ${username}`, extension]);
    users[username] = id;
  }

  const env = {
    DATABASE_URL: databaseUrl,
    ARI_URL: asterisk.ariUrl,
    ARI_USERNAME: 'hotline',
    ARI_PASSWORD: 'hotline',
    HOTLINE_SIP_PASSWORD_SECRET: sipSecret,
  };
  // The command an admin runs: endpoints from the users table into Asterisk's config dir, applied by --reload.
  const generated = spawnSync(join(repo, 'node_modules/.bin/tsx'), ['telephony/endpoints/cli.ts', '--dir', asterisk.etcDir, '--reload'], {
    cwd: repo,
    env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (generated.status !== 0) throw new Error(`telephony:endpoints failed: ${generated.stderr}${generated.stdout}`);

  const dataDir = mkdtempSync(join(tmpdir(), 'hotline-real-'));
  afterFile(() => rmSync(dataDir, { recursive: true, force: true }));
  const hotlineEnv = {
    ...env,
    HOTLINE_ROLES: 'telephony',
    REDIS_PREFIX: useRedisPrefix(),
    HOTLINE_DATA_DIR: dataDir,
    TELEPHONY_SOUNDS_DIR: join(repoConfigDir, 'sounds'),
    TELEPHONY_FALLBACK_CDR_FILE: asterisk.cdrFile,
    TELEPHONY_RING_SECONDS: '4',
    TELEPHONY_MENU_TIMEOUT_SECONDS: '3',
    TELEPHONY_MAX_WAIT_SECONDS: '60',
    TELEPHONY_WRAP_UP_SECONDS: '0',
    ...o.env?.(asterisk),
  };
  const auth = `Basic ${Buffer.from('hotline:hotline').toString('base64')}`;
  return {
    asterisk,
    pgc,
    courtId,
    users,
    databaseUrl,
    hotlineEnv,
    async ari(path, init) {
      const response = await fetch(`${asterisk.ariUrl}/ari${path}`, { ...init, headers: { authorization: auth, ...init?.headers } });
      const text = await response.text();
      return text ? JSON.parse(text) : null;
    },
  };
}

/** useRealCourt with a hotline (telephony role) in this process, whose ARI points at that Asterisk. */
export async function useRealHotline(o: RealCourtOptions): Promise<RealHotline> {
  const court = await useRealCourt(o);
  const real: RealHotline = {
    ...court,
    rt: undefined as unknown as TelephonyRuntime,
    hotline: undefined,
    async startHotline() {
      real.hotline = await useHotline(court.hotlineEnv);
      real.rt = serviceOf(real.hotline.deps, 'telephonyRuntime');
      await until(() => real.rt.ari.connected, 15_000, 'the controller connects to ARI');
    },
    async stopHotline() {
      await real.hotline?.stop();
      real.hotline = undefined;
    },
  };
  await real.startHotline();
  // A hotline restarted by a test replaces this one: the one running when the file ends is stopped first, while
  // Asterisk and the database it uses are still there.
  afterFile(async () => {
    if (real.hotline) await stopHotline(real.hotline);
  });
  return real;
}
