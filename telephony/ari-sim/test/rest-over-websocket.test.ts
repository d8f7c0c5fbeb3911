import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AriSim } from '../index.ts';
import { simPerTest } from './sim-per-test.ts';
import { bodyOf, RestSocket, type Frame } from './rest-socket.ts';

const stand = simPerTest();
let sim: AriSim;

async function httpGet(s: AriSim, path: string) {
  const response = await fetch(new URL(`/ari${path}`, s.url), {
    headers: { authorization: `Basic ${Buffer.from(`${s.username}:${s.password}`).toString('base64')}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The recorded RESTResponse to a request id (fixtures/rest-over-websocket.jsonl). */
function recordedResponse(requestId: string): Frame {
  const file = fileURLToPath(new URL('../fixtures/rest-over-websocket.jsonl', import.meta.url));
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Frame)
    .find((f) => f.dir === 'in' && f.type === 'RESTResponse' && f.request_id === requestId);
  if (!line) throw new Error(`no recorded response ${requestId}`);
  return line;
}

const shape = (f: Frame) => ({ status_code: f.status_code, reason_phrase: f.reason_phrase, uri: f.uri, content_type: f.content_type, body: bodyOf(f) });

describe('ARI REST over WebSocket', () => {
  it('originates with a JSON body (variables): the channel exists over HTTP afterwards', async () => {
    sim = await stand.start({ channelvars: ['HOTLINE_CALL_ID', 'COURT_ID'] });
    const socket = await stand.open(sim.wsUrl());
    const response = await socket.request({
      request_id: 'o1',
      transaction_id: 't1',
      method: 'POST',
      uri: 'channels/orig-1',
      content_type: 'application/json',
      message_body: JSON.stringify({ endpoint: 'PJSIP/judge1', app: sim.app, variables: { HOTLINE_CALL_ID: 'call-42' } }),
    });
    expect(response).toMatchObject({ status_code: 200, reason_phrase: 'OK', uri: 'channels/orig-1', transaction_id: 't1', request_id: 'o1', content_type: 'application/json' });
    expect(bodyOf(response)).toMatchObject({ id: 'orig-1', channelvars: { HOTLINE_CALL_ID: 'call-42', COURT_ID: '' } });
    const fetched = await httpGet(sim, '/channels/orig-1');
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ id: 'orig-1', name: expect.stringMatching(/^PJSIP\/judge1-/), channelvars: { HOTLINE_CALL_ID: 'call-42' } });
  });

  it("delivers a request's events (StasisStart) and its response on the socket", async () => {
    sim = await stand.start();
    const socket = await stand.open(sim.wsUrl());
    const response = await socket.request({ request_id: 'c1', method: 'POST', uri: `channels/create?endpoint=PJSIP%2Fjudge2&app=${sim.app}&channelId=cr-1` });
    expect(response).toMatchObject({ status_code: 200, uri: 'channels/create', application: sim.app });
    const start = await socket.waitFor((f) => f.type === 'StasisStart' && (f.channel as { id?: string }).id === 'cr-1');
    expect(start.application).toBe(sim.app);
    const answered = await socket.request({ request_id: 'c2', method: 'POST', uri: 'channels/cr-1/variable', query_strings: [{ name: 'variable', value: 'X' }, { name: 'value', value: 'a b&c' }] });
    expect(answered).toMatchObject({ status_code: 204, reason_phrase: 'No Content' });
    expect(answered).not.toHaveProperty('message_body');
    expect(answered).not.toHaveProperty('content_type');
    const varset = await socket.waitFor((f) => f.type === 'ChannelVarset' && f.variable === 'X');
    expect(varset.value).toBe('a b&c');
    // Query values in the uri are percent-decoded too.
    await socket.request({ request_id: 'c3', method: 'POST', uri: 'channels/cr-1/variable?variable=Y&value=a%20b%26c' });
    expect((await socket.waitFor((f) => f.type === 'ChannelVarset' && f.variable === 'Y')).value).toBe('a b&c');
  });

  it('answers 422 like the recorded r9 for a channel not yet in Stasis (an originated channel still ringing)', async () => {
    sim = await stand.start();
    sim.endpoint('judge3').noAnswer();
    const socket = await stand.open(sim.wsUrl());
    await socket.request({ request_id: 'o', method: 'POST', uri: `channels?endpoint=PJSIP%2Fjudge3&app=${sim.app}&channelId=c-1` });
    await socket.request({ request_id: 'b', method: 'POST', uri: 'bridges?bridgeId=b1&type=mixing' });
    const r9 = await socket.request({ request_id: 'r9', method: 'POST', uri: 'bridges/b1/addChannel?channel=c-1' });
    expect(shape(r9)).toEqual(shape(recordedResponse('r9')));
  });

  it('gives each socket only its own responses, named after the first app of a two-app socket', async () => {
    sim = await stand.start();
    const both = await stand.open(sim.wsUrl(`${sim.app},second-app`));
    const other = await stand.open(sim.wsUrl('third-app'));
    const count = 50;
    for (let i = 0; i < count; i++) {
      both.send({ type: 'RESTRequest', request_id: `a${i}`, method: 'GET', uri: i % 2 ? 'asterisk/ping' : 'channels/nope' });
      other.send({ type: 'RESTRequest', request_id: `b${i}`, method: 'GET', uri: 'bridges/nope' });
    }
    const a = await both.waitForResponses(count);
    const b = await other.waitForResponses(count);
    expect(a.map((f) => f.request_id)).toEqual(Array.from({ length: count }, (_, i) => `a${i}`));
    expect(b.map((f) => f.request_id)).toEqual(Array.from({ length: count }, (_, i) => `b${i}`));
    expect(new Set(a.map((f) => f.application))).toEqual(new Set([sim.app]));
    expect(new Set(b.map((f) => f.application))).toEqual(new Set(['third-app']));
    expect(shape(a[0]!)).toMatchObject({ status_code: 404, reason_phrase: 'Not Found', body: { message: 'Channel not found' } });
    // GET /bridges/{id} has its own lookup ("Not Found"); every other bridge operation says "Not found".
    expect(shape(b[0]!)).toMatchObject({ status_code: 404, reason_phrase: 'Not Found', body: { message: 'Bridge not found' } });
    const destroy = await other.request({ request_id: 'd', method: 'DELETE', uri: 'bridges/nope' });
    expect(shape(destroy)).toMatchObject({ status_code: 404, reason_phrase: 'Not found', body: { message: 'Bridge not found' } });
  });

  it("answers malformed messages as res/ari/ari_websocket_requests.c does and keeps serving the socket", async () => {
    sim = await stand.start();
    const socket = await stand.open(sim.wsUrl());
    socket.send('{not json');
    const parseError = await socket.waitFor((f) => f.type === 'RESTResponse');
    expect(parseError).toMatchObject({ transaction_id: '', request_id: '', status_code: 400, reason_phrase: 'Failed to parse request message JSON', uri: '' });
    expect(parseError).not.toHaveProperty('message_body');
    const cases: [Frame & { request_id: string }, number, string, string][] = [
      [{ request_id: 'm1', method: 'GET', uri: 'channels', query_strings: [{ name: 'x' }] }, 400, 'Bad request', "Unable to parse 'query_strings' array."],
      [{ request_id: 'm2', method: 'POST', uri: 'channels', message_body: '{}' }, 400, 'Bad request', "No 'content_type' for 'message_body'."],
      [{ request_id: 'm3', method: 'POST', uri: 'channels', content_type: 'application/json', message_body: '{x' }, 400, 'Bad request', "Unable to parse 'message_body' as 'application/json'."],
      [{ request_id: 'm4', method: 'POST', uri: 'channels', content_type: 'text/plain', message_body: 'x' }, 400, 'Bad request', 'Unknown content type.'],
      [{ request_id: 'm5', method: 'GET', uri: 'channels/' }, 404, 'Not Found', 'ARI URLs do not end with a slash. Try /ari/channels'],
      [{ request_id: 'm6', method: 'GET', uri: 'events' }, 400, 'Bad request', "Can't upgrade to websocket from a websocket"],
      [{ request_id: 'm7', method: 'POST', uri: 'channels', content_type: 'application/x-www-form-urlencoded', message_body: 'app=x' }, 400, 'Bad Request', 'Endpoint must be specified'],
    ];
    for (const [request, status, phrase, message] of cases) {
      const response = await socket.request(request);
      expect(shape(response), request.request_id).toMatchObject({ status_code: status, reason_phrase: phrase, body: { message } });
    }
    const ping = await socket.request({ request_id: 'p', method: 'GET', uri: 'asterisk/ping' });
    expect(ping).toMatchObject({ status_code: 200, reason_phrase: 'OK' });
  });

  // From ast_ari_invoke and send_rest_response (res/res_ari.c, ari_websocket_requests.c), not in the recording.
  it('answers 405 for a method a known resource lacks, 204 to OPTIONS, and 406 for a file', async () => {
    sim = await stand.start();
    sim.asterisk.storedRecordings.set('take-1', { name: 'take-1', format: 'wav', durationMs: 1000 });
    const socket = await stand.open(sim.wsUrl());
    const invalid = { status_code: 405, reason_phrase: 'Method Not Allowed', body: { message: 'Invalid method' } };
    expect(shape(await socket.request({ request_id: 'm1', method: 'PUT', uri: 'channels' }))).toMatchObject(invalid);
    expect(shape(await socket.request({ request_id: 'm2', method: 'HEAD', uri: 'asterisk/ping' }))).toMatchObject(invalid);
    expect(shape(await socket.request({ request_id: 'm3', method: 'PUT', uri: 'nosuchthing' }))).toMatchObject({ status_code: 404, body: { message: 'Resource not found' } });
    const options = await socket.request({ request_id: 'm4', method: 'OPTIONS', uri: 'channels/x/answer' });
    expect(shape(options)).toEqual({ status_code: 204, reason_phrase: 'No Content', uri: 'channels/x/answer', content_type: undefined, body: null });
    const file = await socket.request({ request_id: 'm5', method: 'GET', uri: 'recordings/stored/take-1/file' });
    expect(shape(file)).toEqual({ status_code: 406, reason_phrase: 'Not Acceptable.  Use HTTP GET', uri: 'recordings/stored/take-1/file', content_type: undefined, body: null });
    const stored = await socket.request({ request_id: 'm6', method: 'GET', uri: 'recordings/stored/take-1' });
    expect(shape(stored)).toMatchObject({ status_code: 200, body: { name: 'take-1', format: 'wav' } });
  });
});
