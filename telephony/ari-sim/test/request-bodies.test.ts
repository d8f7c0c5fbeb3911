import { describe, expect, it } from 'vitest';
import type { AriSim } from '../index.ts';
import { ariHttp } from './ari-http.ts';
import { simPerTest } from './sim-per-test.ts';

// Parameters from an HTTP body, measured on Asterisk 22.10.1 (ast_ari_callback in res/res_ari.c, the generated
// *_parse_body in res/res_ari_*.c): an `application/x-www-form-urlencoded` body (a charset may follow) gives
// parameters like the query, put before it, so the query wins (`?value=q` over a form's `value=f`); a JSON array
// given for a list parameter (addChannel's `channel`) gives all its values and replaces the query's.

const stand = simPerTest();
let sim: AriSim;

const send = (s: AriSim, method: string, path: string, body?: string, contentType?: string) => ariHttp(s, method, path, { body, contentType });

async function setUp(): Promise<AriSim> {
  const s = await stand.start();
  await stand.open(s.wsUrl());
  for (const id of ['c-1', 'c-2', 'c-3']) {
    expect((await send(s, 'POST', `/channels/create?endpoint=PJSIP%2Fjudge1&app=${s.app}&channelId=${id}`)).status).toBe(200);
  }
  return s;
}

const FORM = 'application/x-www-form-urlencoded';

describe('parameters in an HTTP body', () => {
  it('reads a form body as parameters, + as a space, with the query winning over it', async () => {
    sim = await setUp();
    expect((await send(sim, 'POST', '/channels/c-1/variable', 'variable=X&value=form+value', FORM)).status).toBe(204);
    expect(await send(sim, 'GET', '/channels/c-1/variable?variable=X')).toMatchObject({ body: { value: 'form value' } });
    expect((await send(sim, 'POST', '/channels/c-1/variable?value=query', 'variable=X&value=form', FORM)).status).toBe(204);
    expect(await send(sim, 'GET', '/channels/c-1/variable?variable=X')).toMatchObject({ body: { value: 'query' } });
    expect(await send(sim, 'POST', '/bridges', 'bridgeId=b1&name=n', `${FORM}; charset=UTF-8`)).toMatchObject({ status: 200, body: { id: 'b1', name: 'n' } });
    expect((await send(sim, 'POST', '/bridges/b1/addChannel', 'channel=c-3', FORM)).status).toBe(204);
    expect(await send(sim, 'GET', '/bridges/b1')).toMatchObject({ body: { channels: ['c-3'] } });
  });

  it('takes every value of a JSON array given for a list parameter, over the query', async () => {
    sim = await setUp();
    expect((await send(sim, 'POST', '/bridges?bridgeId=b1')).status).toBe(200);
    const added = await send(sim, 'POST', '/bridges/b1/addChannel?channel=c-3', JSON.stringify({ channel: ['c-1', 'c-2'] }), 'application/json');
    expect(added.status).toBe(204);
    const bridge = (await send(sim, 'GET', '/bridges/b1')).body as { channels: string[] };
    expect([...bridge.channels].sort()).toEqual(['c-1', 'c-2']);
    const removed = await send(sim, 'POST', '/bridges/b1/removeChannel', JSON.stringify({ channel: ['c-1'] }), 'application/json');
    expect(removed.status).toBe(204);
    expect(await send(sim, 'GET', '/bridges/b1')).toMatchObject({ body: { channels: ['c-2'] } });
  });
});
