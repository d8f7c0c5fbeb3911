import { describe, expect, it } from 'vitest';
import type { AriSim } from '../index.ts';
import { simPerTest } from './sim-per-test.ts';
import { ariHttp } from './ari-http.ts';
import { RestSocket } from './rest-socket.ts';

// Asterisk 22.10.1 keeps a repeated query parameter as a list (main/http.c handle_uri), and the generated handlers
// (res/res_ari_*.c) assign each in turn, so the last one wins, for a comma-separated list parameter (addChannel's
// `channel`) too. Two are read with ast_variable_find_in_list or a first-match loop, so the first wins there: the
// events websocket's `app` (res/ari/ari_websockets.c) and `api_key` (res/res_ari.c parse_api_keys).

const stand = simPerTest();
let sim: AriSim;

async function createChannel(s: AriSim, id: string): Promise<void> {
  const created = await ariHttp(s, 'POST', `/channels/create?endpoint=PJSIP%2Fjudge1&app=${s.app}&channelId=${id}`);
  expect(created.status).toBe(200);
}

describe('a query parameter given more than once', () => {
  it('takes the last value of a scalar parameter over HTTP (not the values joined)', async () => {
    sim = await stand.start();
    await stand.open(sim.wsUrl());
    await createChannel(sim, 'c-1');
    expect((await ariHttp(sim, 'POST', '/channels/c-1/variable?variable=X&value=first&value=second')).status).toBe(204);
    expect(await ariHttp(sim, 'GET', '/channels/c-1/variable?variable=NOPE&variable=X')).toMatchObject({ status: 200, body: { value: 'second' } });
  });

  it('takes the last comma-separated list of addChannel `channel`; one list still adds them all', async () => {
    sim = await stand.start();
    await stand.open(sim.wsUrl());
    for (const id of ['c-1', 'c-2', 'c-3']) await createChannel(sim, id);
    expect((await ariHttp(sim, 'POST', '/bridges?bridgeId=b1&type=mixing')).status).toBe(200);
    expect((await ariHttp(sim, 'POST', '/bridges/b1/addChannel?channel=c-1&channel=c-2')).status).toBe(204);
    expect(await ariHttp(sim, 'GET', '/bridges/b1')).toMatchObject({ body: { channels: ['c-2'] } });
    expect((await ariHttp(sim, 'POST', '/bridges?bridgeId=b2&type=mixing')).status).toBe(200);
    expect((await ariHttp(sim, 'POST', '/bridges/b2/addChannel?channel=c-1,c-3')).status).toBe(204);
    const b2 = (await ariHttp(sim, 'GET', '/bridges/b2')).body as { channels: string[] };
    expect([...b2.channels].sort()).toEqual(['c-1', 'c-3']);
  });

  it('over the websocket the uri query, then query_strings, then a form body: the last wins', async () => {
    sim = await stand.start();
    const socket = await stand.open(sim.wsUrl());
    await createChannel(sim, 'c-1');
    const set = await socket.request({ request_id: 's1', method: 'POST', uri: 'channels/c-1/variable?variable=Y&value=uri', query_strings: [{ name: 'value', value: 'array' }] });
    expect(set.status_code).toBe(204);
    expect(await ariHttp(sim, 'GET', '/channels/c-1/variable?variable=Y')).toMatchObject({ body: { value: 'array' } });
    const form = await socket.request({
      request_id: 's2',
      method: 'POST',
      uri: 'channels/c-1/variable?variable=Y&value=uri',
      query_strings: [{ name: 'value', value: 'array' }],
      content_type: 'application/x-www-form-urlencoded',
      message_body: 'value=form',
    });
    expect(form.status_code).toBe(204);
    expect(await ariHttp(sim, 'GET', '/channels/c-1/variable?variable=Y')).toMatchObject({ body: { value: 'form' } });
  });

  it('takes the first api_key, and the first app of the events websocket', async () => {
    sim = await stand.start();
    const key = `${sim.username}:${sim.password}`;
    expect((await ariHttp(sim, 'GET', `/asterisk/ping?api_key=${key}&api_key=nobody:wrong`, { auth: false })).status).toBe(200);
    expect((await ariHttp(sim, 'GET', `/asterisk/ping?api_key=nobody:wrong&api_key=${key}`, { auth: false })).status).toBe(401);
    await stand.open(`${sim.wsUrl('first-app')}&app=second-app`);
    expect(sim.isConnected('first-app')).toBe(true);
    expect(sim.isConnected('second-app')).toBe(false);
  });
});
