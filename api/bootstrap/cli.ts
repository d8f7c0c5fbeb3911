/**
 * First-admin bootstrap: `npm run admin:create -- --court-code J0811 --court-name "…" --username admin --display-name "…"`.
 * Uses the same configuration as the hotline (DATABASE_URL or the embedded database), applies migrations,
 * creates the court if its code is new, and the admin. The password comes from HOTLINE_ADMIN_PASSWORD,
 * or is generated and printed once. When a running hotline holds the embedded database, it goes through that
 * hotline (local-control.ts), which sees the new admin at once.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config/load.ts';
import { openCommandDatabase, runCommand, runningHotline } from '../../platform/command.ts';
import { AuditLog } from '../audit/audit-log.ts';
import { createAdmin } from './create-admin.ts';

const usage = 'Usage: npm run admin:create -- --court-code <code> --court-name <name> --username <username> --display-name <name>';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { 'court-code': { type: 'string' }, 'court-name': { type: 'string' }, username: { type: 'string' }, 'display-name': { type: 'string' } },
      strict: true,
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${usage}`);
    return 2;
  }
  const { 'court-code': courtCode, 'court-name': courtName, username, 'display-name': displayName } = values;
  if (!courtCode || !courtName || !username || !displayName) {
    console.error(usage);
    return 2;
  }
  const config = loadConfig();
  const input = { courtCode, courtName, username, displayName, password: process.env.HOTLINE_ADMIN_PASSWORD || undefined };
  const hotline = runningHotline(config);
  if (hotline) {
    try {
      const created = await hotline.post<{ courtId: string; courtCreated: boolean; password: string | null }>('/api/local/admin', input);
      report({ ...created, via: `the running hotline at ${hotline.url}` });
      return 0;
    } catch (err) {
      console.error(`Could not create the admin: ${(err as Error).message}`);
      return 1;
    }
  }
  const database = await openCommandDatabase(config);
  try {
    await database.migrate();
    const created = await createAdmin(database.db, new AuditLog(database.db), input);
    report({ ...created, password: created.passwordGenerated ? created.password : null, via: null });
    return 0;
  } catch (err) {
    console.error(`Could not create the admin: ${(err as Error).message}`);
    return 1;
  } finally {
    await database.close();
  }
}

function report(created: { courtId: string; courtCreated: boolean; password: string | null; via: string | null }): void {
  const { 'court-code': courtCode, username } = parseArgs({ options: { 'court-code': { type: 'string' }, username: { type: 'string' } }, strict: false }).values;
  console.log(`${created.courtCreated ? 'Created' : 'Using existing'} court ${courtCode} (${created.courtId}); created admin "${username}"${created.via ? ` through ${created.via}` : ''}.`);
  if (created.password) console.log(`Password (shown once, change it after signing in): ${created.password}`);
}

await runCommand(main);
