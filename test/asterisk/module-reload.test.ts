import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asteriskView, AsteriskUnreachable, reloadAsterisk } from '../../telephony/endpoints/asterisk-rest.ts';
import { afterFile } from '../harness/after-file.ts';
import { realAsteriskMissing, startAsterisk } from './asterisk-instance.ts';

/**
 * What the SIP endpoints page and `telephony:endpoints --reload` rely on, against a real Asterisk 22: a module reload
 * is 204 and moves `last_reload_time`, an unknown module is 404 in the words the ARI stand-in copies, and an endpoint
 * added to the generated file appears in `GET /ari/endpoints/PJSIP` after the reload. Skipped without Asterisk.
 */
const missing = realAsteriskMissing();
if (missing) console.log(`test/asterisk/module-reload.test.ts skipped: ${missing}`);

describe.skipIf(missing)('module reload on a real Asterisk', () => {
  it('reloads res_pjsip and pbx_config (204), refuses an unknown module (404), and then knows the new endpoint', async () => {
    const asterisk = await startAsterisk();
    afterFile(() => asterisk.stop());
    const ari = { url: asterisk.ariUrl, username: 'hotline', password: 'hotline' };
    const auth = { authorization: `Basic ${Buffer.from('hotline:hotline').toString('base64')}` };

    const before = await asteriskView(ari);
    expect(before.error).toBeNull();
    expect(before.lastReloadAt).toBeInstanceOf(Date);
    expect(before.online?.has('ext-7701')).toBe(false);

    writeFileSync(
      join(asterisk.etcDir, 'pjsip_hotline_users.conf'),
      ['[ext-7701](judge-endpoint)', 'aors = ext-7701', 'auth = ext-7701', '[ext-7701](judge-aor)', '[ext-7701](judge-auth)', 'auth_type = digest', 'realm = hotline', 'username = ext-7701', 'password_digest = MD5:00000000000000000000000000000000', ''].join('\n'),
    );
    await new Promise((resolve) => setTimeout(resolve, 1100)); // last_reload_time has whole-second steps on some builds
    await reloadAsterisk(ari);
    const after = await asteriskView(ari);
    expect(after.lastReloadAt!.getTime()).toBeGreaterThan(before.lastReloadAt!.getTime());
    expect(after.online?.get('ext-7701')).toBe(false); // known, not registered

    const raw = await fetch(`${asterisk.ariUrl}/ari/asterisk/modules/res_pjsip.so`, { method: 'PUT', headers: auth });
    expect(raw.status).toBe(204);
    expect(await raw.text()).toBe('');
    const unknown = await fetch(`${asterisk.ariUrl}/ari/asterisk/modules/chan_sip.so`, { method: 'PUT', headers: auth });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: 'Module not found in running modules' });

    await expect(reloadAsterisk({ ...ari, password: 'wrong' })).rejects.toThrow('HTTP 401');
    await asterisk.stop();
    await expect(reloadAsterisk(ari, 2000)).rejects.toBeInstanceOf(AsteriskUnreachable);
  }, 120_000);
});
