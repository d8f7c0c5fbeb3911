import { describe, expect, it } from 'vitest';
import type { AriSim } from '../index.ts';
import { simPerTest } from './sim-per-test.ts';
import { ariHttp } from './ari-http.ts';
import { RestSocket } from './rest-socket.ts';

// ast_ari_invoke (res/res_ari.c, Asterisk 22.10.1): the path is resolved segment by segment (a literal segment wins
// over a {parameter}, without going back), then the method; a resource without that method answers
// 405 "Method Not Allowed" {"message":"Invalid method"} with "Allow: OPTIONS" plus its methods in GET, POST, HEAD,
// PUT, DELETE order. The same code serves HTTP and REST over the websocket.

const stand = simPerTest();
let sim: AriSim;
let socket: RestSocket;

describe('a known resource asked with a method it lacks', () => {
  it('answers 405 over HTTP with the resource methods in Allow, as Asterisk does', async () => {
    sim = await stand.start();
    const cases: Array<[string, string, string]> = [
      ['PUT', '/channels', 'OPTIONS,GET,POST'],
      ['PUT', '/channels/some-id', 'OPTIONS,GET,POST,DELETE'],
      ['GET', '/channels/create', 'OPTIONS,POST'],
      ['DELETE', '/asterisk/info', 'OPTIONS,GET'],
      ['HEAD', '/asterisk/ping', 'OPTIONS,GET'],
      // A method Asterisk does not know is 405 too, not 501 (measured on Asterisk 22.10.1: PATCH /ari/channels).
      ['PATCH', '/channels', 'OPTIONS,GET,POST'],
    ];
    for (const [method, path, allow] of cases) {
      const answer = await ariHttp(sim, method, path);
      const label = `${method} ${path}`;
      expect(answer.status, label).toBe(405);
      expect(answer.headers.get('allow'), label).toBe(allow);
      if (method !== 'HEAD') expect(answer.body, label).toEqual({ message: 'Invalid method' });
    }
  });

  it('keeps 404 for an unknown resource, 401 before either, and api-docs say "Unsupported method" without Allow', async () => {
    sim = await stand.start();
    expect(await ariHttp(sim, 'PUT', '/nosuchthing')).toMatchObject({ status: 404, body: { message: 'Resource not found' } });
    expect(await ariHttp(sim, 'GET', '/channels/x/nosuchthing')).toMatchObject({ status: 404, body: { message: 'Resource not found' } });
    expect(await ariHttp(sim, 'PUT', '/channels', { auth: false })).toMatchObject({ status: 401, body: { message: 'Authentication required' } });
    const docs = await ariHttp(sim, 'POST', '/api-docs/resources.json');
    expect(docs).toMatchObject({ status: 405, body: { message: 'Unsupported method' } });
    expect(docs.headers.get('allow')).toBeNull();
    expect((await ariHttp(sim, 'GET', '/api-docs/resources.json')).status).toBe(200);
  });

  it('answers OPTIONS on a known resource with 204 and Allow over HTTP', async () => {
    sim = await stand.start();
    const answer = await ariHttp(sim, 'OPTIONS', '/channels/x/answer');
    expect(answer.status).toBe(204);
    expect(answer.headers.get('allow')).toBe('OPTIONS,POST');
    expect(answer.body).toBeNull();
  });

  it('resolves the path the same way over the websocket: GET channels/create is 405, not a channel lookup', async () => {
    sim = await stand.start();
    socket = await stand.open(sim.wsUrl());
    const response = await socket.request({ request_id: 'g', method: 'GET', uri: 'channels/create' });
    expect(response).toMatchObject({ status_code: 405, reason_phrase: 'Method Not Allowed', message_body: JSON.stringify({ message: 'Invalid method' }) });
    const events = await socket.request({ request_id: 'e', method: 'POST', uri: 'events' });
    expect(events).toMatchObject({ status_code: 405, reason_phrase: 'Method Not Allowed' });
  });
});
