import { describe, expect, it } from 'vitest';
import type { AriSim } from '../index.ts';
import { ariHttp } from './ari-http.ts';
import { simPerTest } from './sim-per-test.ts';

// POST /events/user/{eventName} as Asterisk 22.10.1 answers it (measured; res/ari/resource_events.c,
// stasis_app_user_event in res/res_stasis.c, multi_user_event_to_json in main/stasis.c): 204 and a ChannelUserevent
// to the app whose `userevent` is the body's `variables` (JSON values as given) with `eventname` set in it, then the
// sources' snapshots in channel, bridge, endpoint order; `source` is a list (comma-separated, or a JSON array).

const stand = simPerTest();
let sim: AriSim;

async function send(s: AriSim, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const answer = await ariHttp(s, 'POST', path, body === undefined ? {} : { body: JSON.stringify(body), contentType: 'application/json' });
  return { status: answer.status, body: answer.body };
}

describe('a user event', () => {
  it('reaches the app as ChannelUserevent with the variables and the sources, keys in Asterisk order', async () => {
    sim = await stand.start();
    const socket = await stand.open(sim.wsUrl());
    expect((await send(sim, `/channels/create?endpoint=PJSIP%2Fjudge1&app=${sim.app}&channelId=c-1`)).status).toBe(200);
    expect((await send(sim, '/bridges?bridgeId=b1')).status).toBe(200);
    const sent = await send(sim, `/events/user/my+event?application=${sim.app}&source=bridge:b1,channel:c-1`, { variables: { n: 1, o: { k: 'v' } } });
    expect(sent).toEqual({ status: 204, body: null });
    const event = await socket.waitFor((f) => f.type === 'ChannelUserevent');
    expect(Object.keys(event)).toEqual(['type', 'timestamp', 'eventname', 'userevent', 'channel', 'bridge', 'asterisk_id', 'application']);
    expect(event).toMatchObject({ eventname: 'my event', userevent: { n: 1, o: { k: 'v' }, eventname: 'my event' }, channel: { id: 'c-1' }, bridge: { id: 'b1' }, application: sim.app });
    expect((await send(sim, `/events/user/plain?application=${sim.app}`, { source: ['endpoint:PJSIP/judge1'] })).status).toBe(204);
    const plain = await socket.waitFor((f) => f.type === 'ChannelUserevent' && f.eventname === 'plain');
    expect(plain).toMatchObject({ userevent: { eventname: 'plain' }, endpoint: { technology: 'PJSIP', resource: 'judge1' } });
  });

  it('is refused as Asterisk refuses it', async () => {
    sim = await stand.start();
    await stand.open(sim.wsUrl());
    const app = sim.app;
    expect(await send(sim, '/events/user/e')).toEqual({ status: 400, body: { message: 'Missing parameter application' } });
    expect(await send(sim, '/events/user/e?application=nope&source=bogus')).toEqual({ status: 404, body: { message: 'Application not found' } });
    expect(await send(sim, `/events/user/e?application=${app}&source=channel:none`)).toEqual({ status: 422, body: { message: 'Event source was not found' } });
    expect(await send(sim, `/events/user/e?application=${app}&source=deviceState:x`)).toEqual({ status: 400, body: { message: 'Invalid event source URI scheme' } });
    expect(await send(sim, `/events/user/e?application=${app}&source=`)).toEqual({ status: 400, body: { message: 'Invalid event source URI scheme' } });
    expect(await send(sim, `/events/user/e?application=${app}`, { variables: 'x' })).toEqual({ status: 500, body: { message: 'Error processing request' } });
    expect(sim.events().some((e) => e.event.type === 'ChannelUserevent')).toBe(false);
  });
});
