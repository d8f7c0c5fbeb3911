import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bodyOf, type Frame } from './rest-socket.ts';
import { simPerTest } from './sim-per-test.ts';

// Replays fixtures/rest-over-websocket.jsonl (a real Asterisk 22.10.1: "out" = sent by the client, "in" = received).
const lines = readFileSync(fileURLToPath(new URL('../fixtures/rest-over-websocket.jsonl', import.meta.url)), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Frame & { dir: string });
const strip = ({ dir: _dir, _t, ...frame }: Frame & { dir: string }): Frame => frame;
const sent = lines.filter((l) => l.dir === 'out').map(strip);
const recorded = lines.filter((l) => l.dir === 'in' && l.type === 'RESTResponse').map(strip);

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;

/** Timestamps (format checked), creation times and the Asterisk id as placeholders; key order kept. */
function normalize(value: unknown, key = ''): unknown {
  if (typeof value === 'string' && (key === 'timestamp' || key === 'creationtime')) {
    expect(value, key).toMatch(TIMESTAMP);
    return '<time>';
  }
  if (key === 'asterisk_id') return '<asterisk_id>';
  if (Array.isArray(value)) return value.map((item) => normalize(item));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v, k)]));
}

/** The response with its body parsed, so bodies compare as JSON (in key order, via the JSON text). */
const comparable = (frame: Frame) => JSON.stringify(normalize({ ...frame, message_body: frame.message_body === undefined ? undefined : bodyOf(frame) }));

const sims = simPerTest();

describe('ARI REST over WebSocket against the Asterisk 22.10.1 recording', () => {
  it('answers every recorded request as Asterisk did, in request order', async () => {
    const sim = await sims.start({ app: 'hotline12368', channelvars: ['HOTLINE_CALL_ID', 'COURT_ID'] });
    const socket = await sims.open(sim.wsUrl('hotline12368'));
    // The stand-in has no Local channels: r5 creates the same channel (id c-1, same variables) on the
    // PJSIP endpoint judge1 instead, so its body differs in name, protocol_id and dialplan context only.
    for (const frame of sent) {
      const uri = typeof frame.uri === 'string' ? frame.uri.replace('endpoint=Local%2Fs%40nowhere', 'endpoint=PJSIP%2Fjudge1') : frame.uri;
      socket.send({ ...frame, ...(uri === undefined ? {} : { uri }) });
    }
    const got = await socket.waitForResponses(recorded.length);

    expect(got.map((f) => f.request_id)).toEqual(sent.map((f) => f.request_id));
    expect(got).toHaveLength(recorded.length);
    for (const [i, want] of recorded.entries()) {
      let actual = got[i]!;
      if (want.request_id === 'r5') {
        const body = bodyOf(actual) as Record<string, unknown> & { dialplan: Record<string, unknown> };
        const wantBody = bodyOf(want) as typeof body;
        expect(body.name).toMatch(/^PJSIP\/judge1-[0-9a-f]{8}$/);
        body.name = wantBody.name;
        body.protocol_id = wantBody.protocol_id;
        body.dialplan.context = wantBody.dialplan.context;
        actual = { ...actual, message_body: JSON.stringify(body) };
      }
      if (want.request_id === 'r9') {
        // Asterisk answered 422 because its channel thread had not yet put the just-created c-1 into Stasis
        // (the create's events came after this response): the requests were pipelined. The stand-in enters
        // Stasis at once, so the bridge takes the channel. The 422 itself is checked in rest-over-websocket.test.ts.
        expect(comparable(actual)).toBe(
          comparable({ ...want, status_code: 204, reason_phrase: 'No Content', content_type: undefined, message_body: undefined }),
        );
        continue;
      }
      expect(comparable(actual), `response to ${String(want.request_id)}`).toBe(comparable(want));
    }
  });

  it('orders the events a request causes against its response as recorded (create: all after; hangup: only ChannelHangupRequest before)', async () => {
    const sim = await sims.start({ app: 'hotline12368', channelvars: ['HOTLINE_CALL_ID', 'COURT_ID'] });
    const socket = await sims.open(sim.wsUrl('hotline12368'));
    // The recording pipelined its requests, so a channel thread's events also came after later responses
    // (c-1's StasisStart after r9's, its ChannelDestroyed after r16's): the order that holds is the one against
    // the response of the request that caused them. Replayed one request at a time, r5 then r15.
    const causing = ['r5', 'r15'];
    const label = (f: Frame) =>
      f.type === 'RESTResponse' ? `response ${String(f.request_id)}` : `${String(f.type)}${f.variable === undefined ? '' : ` ${String(f.variable)}`}`;
    const want = lines
      .filter((l) => l.dir === 'in' && (l.type !== 'RESTResponse' || causing.includes(String(l.request_id))))
      .map(label);
    expect(want).toEqual([
      'response r5',
      'ChannelVarset HOTLINE_CALL_ID',
      'ChannelDialplan',
      'ChannelVarset STASISSTATUS',
      'StasisStart',
      'ChannelHangupRequest',
      'response r15',
      'StasisEnd',
      'ChannelVarset STASISSTATUS',
      'ChannelDestroyed',
    ]);
    const create = sent.find((f) => f.request_id === 'r5')!;
    await socket.request({ ...create, request_id: 'r5', uri: String(create.uri).replace('Local%2Fs%40nowhere', 'PJSIP%2Fjudge1') });
    await socket.waitFor((f) => f.type === 'StasisStart');
    await socket.request({ ...sent.find((f) => f.request_id === 'r15')!, request_id: 'r15' });
    await socket.waitFor((f) => f.type === 'ChannelDestroyed');
    expect(socket.frames.map(label)).toEqual(want);
  });
});
