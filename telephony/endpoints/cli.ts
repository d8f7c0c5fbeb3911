/**
 * `npm run telephony:endpoints [-- --dir D] [--reload] [--passwords] [--rotate ext-8001 …]`: writes the PJSIP endpoints of
 * operators and desk phones and the fallback ring group from the users table into Asterisk's configuration
 * directory (`--dir`, else TELEPHONY_ASTERISK_CONFIG_DIR; files included by pjsip.conf and extensions.conf), and with
 * --reload applies them through ARI. The console's SIP endpoints page does the same (apply.ts).
 * Needs HOTLINE_SIP_PASSWORD_SECRET: each endpoint's random password is kept sealed with it (sip-credentials.ts);
 * an endpoint without one is issued one here. The files get only each password's digest. --passwords prints the
 * desk phones' credentials, for whoever sets the phones up; --rotate gives a desk phone a new random password first
 * (an operator's is rotated by their court's admin: POST /api/users/{id}/sip-password).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config/load.ts';
import { openCommandDatabase, runCommand } from '../../platform/command.ts';
import { applyEndpoints } from './apply.ts';
import { deskEndpoint, isDeskExtension } from './dial-target.ts';
import { rotateSipPassword } from './sip-credentials.ts';
import { readEndpointUsers } from './users-source.ts';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, reload: { type: 'boolean', default: false }, passwords: { type: 'boolean', default: false }, rotate: { type: 'string', multiple: true, default: [] } }, strict: true });
  const config = loadConfig();
  const secret = config.console.sipPasswordSecret;
  if (!secret) {
    console.error('HOTLINE_SIP_PASSWORD_SECRET is not set: endpoint passwords are sealed with it (docs/configuration.md).');
    return 2;
  }
  const database = await openCommandDatabase(config);
  try {
    const { desks } = await readEndpointUsers(database.db);
    const deskNames = new Set(desks.filter((x) => isDeskExtension(x.extension)).map((d) => deskEndpoint(d.extension)));
    for (const name of values.rotate) {
      if (!deskNames.has(name)) {
        console.error(`--rotate ${name}: not a desk phone of an active user or department (an operator's password is rotated by their admin: POST /api/users/{id}/sip-password).`);
        return 2;
      }
      await rotateSipPassword(database.db, secret, name, null);
      console.log(`${name}: new password (shown with --passwords).`);
    }
    // The same path as the console's SIP endpoints page: one write at a time, then the reload if asked.
    const result = await applyEndpoints(database.db, { secret, dir: values.dir ?? config.telephony.asteriskConfigDir, ari: values.reload ? config.ari : null });
    console.log(`${result.operators} operator endpoint(s), ${result.desks} desk phone(s) → ${result.files.join(', ')}`);
    const skipped = desks.filter((d) => !isDeskExtension(d.extension));
    if (skipped.length > 0) console.log(`${skipped.length} outside number(s) are dialled through the trunk and get no endpoint.`);
    if (values.passwords) for (const [name, desk] of result.deskPasswords) console.log(`${name}\t${desk.password}\t${desk.owner}`);
    if (result.outcome === 'reloaded') console.log(`Asterisk at ${config.ari.url} reloaded PJSIP and the dialplan.`);
    if (result.outcome === 'asterisk_unreachable') console.error(`${result.error}. The files are written; Asterisk reads them at its next reload or start.`);
    if (result.outcome === 'reload_refused') console.error(`${result.error}. The files are written but not applied.`);
    return result.outcome === 'reloaded' || result.outcome === 'not_reloaded' ? 0 : 1;
  } finally {
    await database.close();
  }
}

await runCommand(main, 'Could not write the endpoints: ');
