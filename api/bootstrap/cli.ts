/**
 * First-admin bootstrap: `npm run admin:create -- --court-code J0811 --court-name "…" --username admin --display-name "…"`.
 * Uses the same configuration as the hotline (DATABASE_URL or the embedded database), applies migrations,
 * creates the court if its code is new, and the admin. The password comes from HOTLINE_ADMIN_PASSWORD,
 * or is generated and printed once.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config/load.ts';
import { openCommandDatabase, runCommand } from '../../platform/command.ts';
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
  const database = await openCommandDatabase(config);
  try {
    await database.migrate();
    const created = await createAdmin(database.db, new AuditLog(database.db), { courtCode, courtName, username, displayName, password: process.env.HOTLINE_ADMIN_PASSWORD || undefined });
    console.log(`${created.courtCreated ? 'Created' : 'Using existing'} court ${courtCode} (${created.courtId}); created admin "${username}".`);
    if (created.passwordGenerated) console.log(`Password (shown once, change it after signing in): ${created.password}`);
    return 0;
  } catch (err) {
    console.error(`Could not create the admin: ${(err as Error).message}`);
    return 1;
  } finally {
    await database.close();
  }
}

await runCommand(main);
