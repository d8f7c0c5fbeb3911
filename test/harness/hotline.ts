import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHotline, type Hotline } from '../../hotline.ts';
import { loadConfig } from '../../platform/config/load.ts';
import { createLogger } from '../../platform/logger.ts';
import { afterFile } from './after-file.ts';
import { testRedisUrl } from './redis.ts';
import { stopHotline } from './stop-hotline.ts';

/**
 * Starts a hotline in this test process on a random port, with the given environment on top of
 * test defaults (no telephony unless asked: most tests have no Asterisk). Stopped after the file.
 */
export async function useHotline(env: Record<string, string>): Promise<Hotline> {
  // A data dir of its own unless the test names one: test files run in parallel, and hotlines sharing ./data
  // shared one call-record spool (telephony-journal-api), one seal key and one head log, and cut each other's
  // segments away at shutdown ("shutdown steps failed: telephony journal" in whichever file stopped second).
  let dataDir = env.HOTLINE_DATA_DIR;
  if (dataDir === undefined) {
    const own = mkdtempSync(join(tmpdir(), 'hotline-test-data-'));
    afterFile(() => rmSync(own, { recursive: true, force: true }));
    dataDir = own;
  }
  const config = loadConfig({
    env: {
      HOTLINE_PORT: '0',
      HOTLINE_ROLES: 'api,workers',
      REDIS_URL: testRedisUrl,
      REDIS_AUTOSTART: 'false',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      // Never import (and delete) the CDR file of an Asterisk installed on the test machine.
      TELEPHONY_FALLBACK_CDR_FILE: '',
      ...env,
      HOTLINE_DATA_DIR: dataDir,
    },
    cwd: process.cwd(),
  });
  const hotline = await startHotline(config, createLogger(config.log));
  afterFile(() => stopHotline(hotline));
  return hotline;
}

export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}
