import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { AriUnavailable, toAriError } from './errors.ts';
import { WsRestChannel, WsRestError } from './ws-rest.ts';

/** A socket pair: what the channel sends arrives at `server`, what `answer` sends comes back to the channel. */
async function socketPair() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const port = (wss.address() as { port: number }).port;
  const accepted = new Promise<WebSocket>((r) => wss.once('connection', r));
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise((r, j) => (client.once('open', r), client.once('error', j)));
  const server = await accepted;
  const received: Array<Record<string, unknown>> = [];
  server.on('message', (m) => received.push(JSON.parse(m.toString()) as Record<string, unknown>));
  closers.push(async () => {
    client.terminate();
    await new Promise((r) => wss.close(r));
  });
  return { client, server, received };
}
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('REST requests over the ARI websocket (ws-rest.ts)', () => {
  it('sends RESTRequest messages and settles each request with its own answer, whatever order answers come in', async () => {
    const { client, server, received } = await socketPair();
    const channel = new WsRestChannel((m) => client.send(m), 5000);
    client.on('message', (m) => channel.handle(m.toString()));
    const first = channel.request('POST', 'channels/c1/answer');
    const second = channel.request('POST', 'channels?endpoint=PJSIP%2Fop1&app=a', { contentType: 'application/json', text: '{"variables":{"A":"1"}}' });
    await expect.poll(() => received.length).toBe(2);
    expect(received[0]).toEqual({ type: 'RESTRequest', request_id: expect.any(String), method: 'POST', uri: 'channels/c1/answer' });
    expect(received[1]).toMatchObject({ method: 'POST', uri: 'channels?endpoint=PJSIP%2Fop1&app=a', content_type: 'application/json', message_body: '{"variables":{"A":"1"}}' });
    // Answered in reverse order, shaped as Asterisk 22 shapes them (ari-sim/fixtures/rest-over-websocket.jsonl).
    server.send(JSON.stringify({ type: 'RESTResponse', transaction_id: '', request_id: received[1]!.request_id, status_code: 200, reason_phrase: 'OK', uri: 'channels', content_type: 'application/json', message_body: '{"id":"x"}' }));
    server.send(JSON.stringify({ type: 'RESTResponse', transaction_id: '', request_id: received[0]!.request_id, status_code: 404, reason_phrase: 'Not Found', uri: 'channels/c1/answer', content_type: 'application/json', message_body: '{"message":"Channel not found"}' }));
    expect(await second).toEqual({ status: 200, contentType: 'application/json', body: '{"id":"x"}' });
    expect(await first).toEqual({ status: 404, contentType: 'application/json', body: '{"message":"Channel not found"}' });
    expect(channel.inFlight).toBe(0);
  });

  it('lets events through and takes only answers off the socket, in any key order', () => {
    const channel = new WsRestChannel(() => undefined, 5000);
    expect(channel.handle('{"type":"StasisStart","channel":{"id":"c1"}}')).toBe(false);
    expect(channel.handle('{"variable":"X","value":"y","type":"ChannelVarset"}')).toBe(false);
    expect(channel.handle('{"request_id":"99","type":"RESTResponse","status_code":204}')).toBe(true);
    // The word inside an event's own payload does not make it an answer.
    expect(channel.handle('{"eventname":"x","userevent":{"type":"RESTResponse"},"type":"ChannelUserevent"}')).toBe(false);
    channel.close();
  });

  it('fails a request with no answer within the timeout, and every request in flight when the socket closes, as AriUnavailable', async () => {
    const channel = new WsRestChannel(() => undefined, 100);
    const late = channel.request('GET', 'asterisk/ping');
    const err = await late.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WsRestError);
    expect((err as WsRestError).code).toBe('ETIMEDOUT');
    expect(toAriError(err, 'ping')).toBeInstanceOf(AriUnavailable);

    const open = new WsRestChannel(() => undefined, 60_000);
    const inFlight = open.request('POST', 'channels/c1/answer');
    open.close();
    const reset = await inFlight.catch((e: unknown) => e);
    expect((reset as WsRestError).code).toBe('ECONNRESET');
    expect(toAriError(reset, 'answer')).toBeInstanceOf(AriUnavailable);
    // After close, nothing is sent and the request fails at once.
    await expect(open.request('GET', 'asterisk/ping')).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('a send that throws fails its request at once and leaves nothing in flight', async () => {
    const channel = new WsRestChannel(() => {
      throw new Error('socket not open');
    }, 60_000);
    await expect(channel.request('GET', 'asterisk/ping')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(channel.inFlight).toBe(0);
    channel.close();
  });
});
