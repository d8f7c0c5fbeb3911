import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import type { AriSim } from '../index.ts';
import { simPerTest } from './sim-per-test.ts';

// Measured on Asterisk 22.10.1: the events websocket is refused before the upgrade, with ast_http_error's HTML page,
// when the first `app` is missing or empty (400, websocket_attempted_cb in res/ari/ari_websockets.c) or a name
// in its comma-separated list is empty (500, session_register_apps); a GET without Upgrade is 426.

const stand = simPerTest();
let sim: AriSim;

/** The HTTP answer to an upgrade that is refused, or 'open'. */
function upgrade(url: string): Promise<{ status: number; type: string | undefined; body: string } | 'open'> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        // The refused upgrade's socket is ours to end (ws leaves it open once it has handed us the response).
        request.destroy();
        resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'], body });
      });
    });
    ws.once('error', (error) => reject(error));
  });
}

const page = (status: string, text: string) =>
  `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\r\n<html><head>\r\n<title>${status}</title>\r\n</head><body>\r\n` +
  `<h1>${status.replace(/^\d+ /, '')}</h1>\r\n<p>${text}</p>\r\n<hr />\r\n<address>Asterisk/22.10.1</address>\r\n</body></html>\r\n`;

describe('the events websocket upgrade', () => {
  it('is refused with 400 without a first app, and 500 for an empty name in the list', async () => {
    sim = await stand.start();
    const base = sim.wsUrl().replace(/\?.*$/, '');
    const auth = `api_key=${sim.username}:${sim.password}`;
    const missing = { status: 400, type: 'text/html', body: page('400 Bad Request', 'HTTP request is missing param: [app]') };
    expect(await upgrade(`${base}?${auth}`)).toEqual(missing);
    expect(await upgrade(`${base}?${auth}&app=`)).toEqual(missing);
    expect(await upgrade(`${base}?${auth}&app=&app=x`)).toEqual(missing);
    const failed = { status: 500, type: 'text/html', body: page('500 Internal Server Error', 'Stasis app registration failed') };
    expect(await upgrade(`${base}?${auth}&app=a,,b`)).toEqual(failed);
    expect(await upgrade(`${base}?${auth}&app=,`)).toEqual(failed);
    expect(sim.isConnected('a')).toBe(false);
    expect(await upgrade(`${base}?${auth}&app=a+b`)).toBe('open');
  });

  it('answers a GET without Upgrade with 426', async () => {
    sim = await stand.start();
    const response = await fetch(new URL(`/ari/events?app=x&api_key=${sim.username}:${sim.password}`, sim.url));
    expect(response.status).toBe(426);
    expect(await response.text()).toBe(page('426 Upgrade Required', ''));
  });
});
