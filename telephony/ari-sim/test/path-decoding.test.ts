import { describe, expect, it } from 'vitest';
import type { AriSim } from '../index.ts';
import { simPerTest } from './sim-per-test.ts';
import { ariHttp } from './ari-http.ts';

// How Asterisk 22.10.1 reads an ARI path (measured on Asterisk 22.10.1 over HTTP; ast_ari_invoke in res/res_ari.c):
// the walk over the path's segments stops at the first empty one, so `GET /ari/channels//x` is `GET /ari/channels`
// (200, the list) and `/ari//channels` is the root (405, Allow: OPTIONS); each segment is decoded by
// ast_uri_decode(…, ast_uri_http_legacy), so `+` is a space, as it is in the query (main/http.c handle_uri).

const stand = simPerTest();
let sim: AriSim;

describe('an ARI path as Asterisk reads it', () => {
  it('stops at an empty segment over HTTP as over the websocket: GET /channels//x lists the channels', async () => {
    sim = await stand.start();
    expect(await ariHttp(sim, 'GET', '/channels//x')).toMatchObject({ status: 200, body: [] });
    expect((await ariHttp(sim, 'POST', '/bridges?bridgeId=b1')).status).toBe(200);
    expect(await ariHttp(sim, 'GET', '/bridges/b1//nosuchthing')).toMatchObject({ status: 200, body: { id: 'b1' } });
    const root = await ariHttp(sim, 'GET', '//channels');
    expect(root).toMatchObject({ status: 405, body: { message: 'Invalid method' } });
    expect(root.headers.get('allow')).toBe('OPTIONS');
    const socket = await stand.open(sim.wsUrl());
    expect(await socket.request({ request_id: 'l', method: 'GET', uri: 'channels//x' })).toMatchObject({ status_code: 200, message_body: '[]' });
  });

  it('decodes + as a space in a path segment and in the query', async () => {
    sim = await stand.start();
    expect(await ariHttp(sim, 'POST', '/bridges?bridgeId=a+b')).toMatchObject({ status: 200, body: { id: 'a b' } });
    expect(await ariHttp(sim, 'GET', '/bridges/a+b')).toMatchObject({ status: 200, body: { id: 'a b' } });
    expect(await ariHttp(sim, 'GET', '/bridges/a%20b')).toMatchObject({ status: 200, body: { id: 'a b' } });
    expect((await ariHttp(sim, 'GET', '/bridges/a%2Bb')).status).toBe(404);
    const socket = await stand.open(sim.wsUrl());
    expect(await socket.request({ request_id: 'g', method: 'GET', uri: 'bridges/a+b' })).toMatchObject({ status_code: 200 });
  });
});
