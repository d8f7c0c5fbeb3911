import { afterEach, describe, expect, it } from 'vitest';
import { startAriSim, type AriSim } from '../index.ts';

/** PUT /ari/asterisk/modules/{module}: what `telephony:endpoints --reload` and the SIP endpoints page send. */
let sim: AriSim | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function put(s: AriSim, module: string, auth = `${s.username}:${s.password}`) {
  const response = await fetch(`${s.url}/ari/asterisk/modules/${module}`, { method: 'PUT', headers: { authorization: `Basic ${Buffer.from(auth).toString('base64')}` } });
  return { status: response.status, text: await response.text() };
}

describe('module reload', () => {
  it('answers 204 with no body and moves last_reload_time; an unknown module is 404 as Asterisk 22 words it; no credentials, 401', async () => {
    sim = await startAriSim({ username: 'hotline', password: 'secret' });
    const info = async () => ((await (await fetch(`${sim!.url}/ari/asterisk/info`, { headers: { authorization: `Basic ${Buffer.from('hotline:secret').toString('base64')}` } })).json()) as { status: { startup_time: string; last_reload_time: string } }).status;
    const before = await info();
    expect(before.last_reload_time).toBe(before.startup_time);
    await new Promise((resolve) => setTimeout(resolve, 5));

    expect(await put(sim, 'res_pjsip.so')).toEqual({ status: 204, text: '' });
    expect(await put(sim, 'pbx_config')).toEqual({ status: 204, text: '' }); // without ".so", as ast_module_check allows
    expect(sim.asterisk.reloads.map((r) => r.module)).toEqual(['res_pjsip.so', 'pbx_config.so']);
    const after = await info();
    expect(after.last_reload_time > before.last_reload_time).toBe(true);

    const unknown = await put(sim, 'chan_sip.so');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toEqual({ message: 'Module not found in running modules' });
    expect((await put(sim, 'res_pjsip.so', 'hotline:wrong')).status).toBe(401);
    expect(sim.asterisk.reloads).toHaveLength(2);
  });

  it('a restarted Asterisk starts with last_reload_time at its new start and no reloads', async () => {
    sim = await startAriSim();
    expect((await put(sim, 'res_pjsip.so')).status).toBe(204);
    await sim.restartAsterisk();
    expect(sim.asterisk.reloads).toEqual([]);
    expect(sim.asterisk.lastReloadTime).toBe(sim.asterisk.startupTime);
  });
});
