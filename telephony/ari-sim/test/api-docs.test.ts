import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAriSim, type AriSim } from '../index.ts';
import { ARI_EVENT_TYPES } from '../types.ts';

describe('API descriptions', () => {
  let sim: AriSim;
  const auth = () => ({ authorization: `Basic ${Buffer.from(`${sim.username}:${sim.password}`).toString('base64')}` });
  const get = async (path: string, headers: Record<string, string> = auth()) => fetch(`${sim.url}/ari${path}`, { headers });

  beforeAll(async () => {
    sim = await startAriSim();
  });
  afterAll(async () => sim.stop());

  it('describe every event the stand-in emits, so ari-client can promote its resources', async () => {
    const events = (await (await get('/api-docs/events.json')).json()) as { models: Record<string, { properties: Record<string, unknown> }> };
    for (const type of ARI_EVENT_TYPES) expect(Object.keys(events.models), type).toContain(type);
    expect(events.models.Dial?.properties).toHaveProperty('peer', expect.objectContaining({ type: 'Channel' }));
  });

  it('take basePath from the Host header and need credentials', async () => {
    // fetch may not set Host; node:http may.
    const body = await new Promise<string>((resolve, reject) => {
      const url = new URL('/ari/api-docs/resources.json', sim.url);
      request(url, { headers: { ...auth(), host: 'asterisk.example:8088' } }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    const listing = JSON.parse(body) as { basePath: string };
    expect(listing.basePath).toBe('http://asterisk.example:8088/ari');
    expect((await get('/api-docs/resources.json', {})).status).toBe(401);
    expect((await get('/api-docs/nonsense.json')).status).toBe(404);
    const channels = (await (await get('/api-docs/channels.json')).json()) as { apis: Array<{ path: string; operations: Array<{ nickname: string }> }> };
    const nicknames = channels.apis.flatMap((a) => a.operations.map((o) => o.nickname));
    expect(nicknames).toEqual(expect.arrayContaining(['originate', 'create', 'dial', 'answer', 'play', 'hangup', 'setChannelVar', 'getChannelVar']));
  });

  it('accept the key as api_key on the query string', async () => {
    const response = await fetch(`${sim.url}/ari/asterisk/ping?api_key=${sim.username}:${sim.password}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { ping: string }).ping).toBe('pong');
  });
});
