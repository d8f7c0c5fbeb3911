/**
 * `npm run telephony:endpoints [-- --dir asterisk-config] [--reload] [--passwords] [--rotate ext-8001 …]`: writes the PJSIP endpoints of
 * operators and desk phones and the fallback ring group from the users table into Asterisk's configuration
 * directory (files included by pjsip.conf and extensions.conf), and with --reload applies them through ARI.
 * Needs HOTLINE_SIP_PASSWORD_SECRET: each endpoint's random password is kept sealed with it (sip-credentials.ts);
 * an endpoint without one is issued one here. The files get only each password's digest. --passwords prints the
 * desk phones' credentials, for whoever sets the phones up; --rotate gives a desk phone a new random password first
 * (an operator's is rotated by their court's admin: POST /api/users/{id}/sip-password).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config/load.ts';
import { openCommandDatabase, runCommand } from '../../platform/command.ts';
import { ensureSipPassword, rotateSipPassword } from './sip-credentials.ts';
import { deskEndpoint, isDeskExtension } from './dial-target.ts';
import { renderUsersConfig } from './users-config.ts';
import { readEndpointUsers } from './users-source.ts';
import { reloadAsterisk, writeUsersConfig } from './write-config.ts';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { dir: { type: 'string', default: 'asterisk-config' }, reload: { type: 'boolean', default: false }, passwords: { type: 'boolean', default: false }, rotate: { type: 'string', multiple: true, default: [] } }, strict: true });
  const config = loadConfig();
  const secret = config.console.sipPasswordSecret;
  if (!secret) {
    console.error('HOTLINE_SIP_PASSWORD_SECRET is not set: endpoint passwords are sealed with it (docs/configuration.md).');
    return 2;
  }
  const database = await openCommandDatabase(config);
  try {
    const { operators, desks } = await readEndpointUsers(database.db);
    const deskNames = new Set(desks.filter((x) => isDeskExtension(x.extension)).map((d) => deskEndpoint(d.extension)));
    for (const name of values.rotate) {
      if (!deskNames.has(name)) {
        console.error(`--rotate ${name}: not a desk phone of an active user or department (an operator's password is rotated by their admin: POST /api/users/{id}/sip-password).`);
        return 2;
      }
      await rotateSipPassword(database.db, secret, name, null);
      console.log(`${name}: new password (shown with --passwords).`);
    }
    const passwords = new Map<string, string>();
    for (const o of operators) passwords.set(o.sipEndpoint, await ensureSipPassword(database.db, secret, o.sipEndpoint, o.userId));
    for (const d of desks.filter((x) => isDeskExtension(x.extension))) {
      const name = deskEndpoint(d.extension);
      if (!passwords.has(name)) passwords.set(name, await ensureSipPassword(database.db, secret, name, null));
    }
    const rendered = renderUsersConfig(operators, desks, (endpoint) => passwords.get(endpoint)!);
    const files = writeUsersConfig(values.dir, rendered);
    console.log(`${rendered.operators} operator endpoint(s), ${rendered.desks} desk phone(s) → ${files.join(', ')}`);
    const skipped = desks.filter((d) => !isDeskExtension(d.extension));
    if (skipped.length > 0) console.log(`${skipped.length} outside number(s) are dialled through the trunk and get no endpoint.`);
    if (values.passwords) for (const d of desks.filter((x) => isDeskExtension(x.extension))) console.log(`${deskEndpoint(d.extension)}\t${passwords.get(deskEndpoint(d.extension))}\t${d.owner}`);
    if (values.reload) {
      await reloadAsterisk(config.ari);
      console.log(`Asterisk at ${config.ari.url} reloaded PJSIP and the dialplan.`);
    }
    return 0;
  } finally {
    await database.close();
  }
}

await runCommand(main, 'Could not write the endpoints: ');
