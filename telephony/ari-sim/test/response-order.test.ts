import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { AriSim } from '../index.ts';
import type { ResponseOrder } from '../response-order.ts';
import type { Frame } from './rest-socket.ts';
import { simPerTest } from './sim-per-test.ts';

const sims = simPerTest();

/** Keeps HTTP requests holding after their response, as a channels/create whose `finish` is late; the result releases them. */
function holdHttpRequests(order: ResponseOrder): () => void {
  const begin = order.begin.bind(order);
  const held: Array<() => void> = [];
  order.begin = (transport) => {
    const scope = begin(transport);
    return transport === 'http' ? { ...scope, answered: () => void held.push(scope.answered) } : scope;
  };
  return () => {
    order.begin = begin;
    for (const answered of held.splice(0)) answered();
  };
}

/** POSTs over HTTP; resolves with how many frames the socket had when the response's head arrived. */
function post(s: AriSim, path: string, frames: readonly Frame[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(`/ari/${path}`, s.url), { method: 'POST', auth: `${s.username}:${s.password}` }, (res) => {
      const count = frames.length;
      res.resume();
      if (res.statusCode === 200) resolve(count);
      else reject(new Error(`POST ${path}: ${res.statusCode}`));
    });
    req.on('error', reject);
    req.end();
  });
}

const channelId = (f: Frame) => (f.channel as { id?: string } | undefined)?.id;

describe('a request that runs while another holds events', () => {
  it("gets its RESTResponse after its own ChannelHangupRequest, and the holder's events keep their order", async () => {
    const sim = await sims.start();
    const socket = await sims.open(sim.wsUrl());
    const b = socket;
    await b.request({ request_id: 'create-x', method: 'POST', uri: `channels/create?endpoint=PJSIP%2Fjudge1&app=${sim.app}&channelId=x` });
    await b.waitFor((f) => f.type === 'StasisStart' && channelId(f) === 'x');

    // A: an HTTP channels/create holds its channel's Stasis entry; B hangs up x over the websocket meanwhile.
    const release = holdHttpRequests(sim.hub.order);
    const framesAtCreate = await post(sim, `channels/create?endpoint=PJSIP%2Fjudge2&app=${sim.app}&channelId=y`, b.frames);
    b.send({ type: 'RESTRequest', request_id: 'hangup-x', method: 'DELETE', uri: 'channels/x' });
    await sim.hub.waitFor('ChannelDestroyed', (e) => (e as { channel?: { id?: string } }).channel?.id === 'x', { includePast: true });
    release();
    await b.waitFor((f) => f.type === 'ChannelDestroyed' && channelId(f) === 'x');

    const index = (match: (f: Frame) => boolean) => b.frames.findIndex(match);
    const hangupRequest = index((f) => f.type === 'ChannelHangupRequest' && channelId(f) === 'x');
    const response = index((f) => f.type === 'RESTResponse' && f.request_id === 'hangup-x');
    const stasisEnd = index((f) => f.type === 'StasisEnd' && channelId(f) === 'x');
    // B as recorded (fixtures/rest-over-websocket.jsonl): ChannelHangupRequest, RESTResponse, StasisEnd.
    expect(hangupRequest).toBeGreaterThanOrEqual(0);
    expect(response).toBeGreaterThan(hangupRequest);
    expect(stasisEnd).toBeGreaterThan(response);
    // A as every trace shows: its channel enters Stasis after the 200, and before what B's later request caused.
    const dialplan = index((f) => f.type === 'ChannelDialplan' && channelId(f) === 'y');
    const stasisStart = index((f) => f.type === 'StasisStart' && channelId(f) === 'y');
    expect(dialplan).toBeGreaterThanOrEqual(framesAtCreate);
    expect(stasisStart).toBeGreaterThan(dialplan);
    expect(hangupRequest).toBeGreaterThan(stasisStart);
  });
});
