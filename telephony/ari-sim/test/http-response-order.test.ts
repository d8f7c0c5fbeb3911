import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { loadTrace } from './fidelity/trace.ts';
import { simPerTest } from './sim-per-test.ts';

const TRACES = ['bridge-to-judge-answered', 'channel-variables', 'originate-busy', 'originate-no-answer', 'websocket-drop-and-reconnect'];

const sims = simPerTest();

describe('events against the HTTP response (Asterisk 22.10.1 traces)', () => {
  it('every recorded channels/create is answered before its channel enters Stasis', () => {
    let creates = 0;
    for (const name of TRACES) {
      const lines = loadTrace(name);
      lines.forEach((line, i) => {
        if (line.dir !== 'request' || line.path !== '/ari/channels/create' || line.status !== 200) return;
        creates += 1;
        const id = (line.response as { id: string }).id;
        const entry = lines.findIndex((l) => l.dir === 'event' && l.type === 'StasisStart' && (l.channel as { id: string }).id === id);
        expect(entry, `${name}: StasisStart of ${id}`).toBeGreaterThan(i);
      });
    }
    expect(creates).toBe(TRACES.length);
  });

  it('the stand-in sends a created channel its ChannelDialplan and StasisStart after the 200', async () => {
    const sim = await sims.start({ app: 'hotline12368' });
    const socket = await sims.open(sim.wsUrl());
    // The frames the websocket had when the response's head was parsed (the two connections are read in arrival order).
    const framesAtResponse = await new Promise<number>((resolve, reject) => {
      const url = new URL('/ari/channels/create?endpoint=PJSIP%2Fjudge1&app=hotline12368', sim.url);
      const req = httpRequest(url, { method: 'POST', auth: `${sim.username}:${sim.password}` }, (res) => {
        const count = socket.frames.length;
        res.resume();
        expect(res.statusCode).toBe(200);
        resolve(count);
      });
      req.on('error', reject);
      req.end();
    });
    await socket.waitFor((f) => f.type === 'StasisStart');
    const types = socket.frames.map((f) => f.type);
    expect(types.indexOf('ChannelDialplan')).toBeGreaterThanOrEqual(framesAtResponse);
    expect(types.indexOf('StasisStart')).toBeGreaterThanOrEqual(framesAtResponse);
  });
});
