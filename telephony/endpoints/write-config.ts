import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UsersConfig } from './users-config.ts';

export const pjsipUsersFile = 'pjsip_hotline_users.conf';
export const extensionsUsersFile = 'extensions_hotline_users.conf';

/** Writes both files atomically (rename), so Asterisk never reads half a file on a reload. */
export function writeUsersConfig(dir: string, config: UsersConfig): string[] {
  const files: [string, string][] = [
    [join(dir, pjsipUsersFile), config.pjsip],
    [join(dir, extensionsUsersFile), config.extensions],
  ];
  for (const [path, text] of files) {
    writeFileSync(`${path}.tmp`, text, { mode: 0o640 });
    renameSync(`${path}.tmp`, path);
  }
  return files.map(([path]) => path);
}

/**
 * Asks Asterisk to re-read PJSIP and the dialplan through ARI (`PUT /ari/asterisk/modules/{module}`), so new
 * endpoints and the ring group apply without a restart and without touching calls in progress.
 */
export async function reloadAsterisk(ari: { url: string; username: string; password: string }): Promise<void> {
  const auth = `Basic ${Buffer.from(`${ari.username}:${ari.password}`).toString('base64')}`;
  for (const module of ['res_pjsip.so', 'pbx_config.so']) {
    const response = await fetch(`${ari.url.replace(/\/$/, '')}/ari/asterisk/modules/${module}`, { method: 'PUT', headers: { authorization: auth }, signal: AbortSignal.timeout(10_000) });
    if (response.status !== 204) throw new Error(`reloading ${module}: HTTP ${response.status} ${await response.text()}`);
  }
}
