import { afterEach, describe, expect, it } from 'vitest';
import { startAriSim, type AriSim, type AriSimOptions } from '../index.ts';
import { eventSequences, peerVariables, requestLines } from './fidelity/compare.ts';
import { replay, type ReplayOptions } from './fidelity/replay.ts';
import { loadTrace } from './fidelity/trace.ts';

const FAST_SOUNDS = { 'hello-world': 40, beep: 20 };
let sim: AriSim | undefined;

afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

/** Replays a recorded Asterisk 22 scenario against the stand-in and compares what the client saw. */
async function checkScenario(name: string, options: AriSimOptions = {}, replayOptions: ReplayOptions = {}, setup?: (s: AriSim) => void) {
  sim = await startAriSim({ app: 'hotline12368', username: 'ceo', password: 'ceo', sounds: FAST_SOUNDS, ...options });
  setup?.(sim);
  const result = await replay(sim, loadTrace(name), replayOptions);
  expect(result.sim.normalizer.badTimestamps).toEqual([]);
  expect(requestLines(result.sim.requests, result.sim.normalizer)).toEqual(requestLines(result.trace.requests, result.trace.normalizer));
  expect(eventSequences(result.sim.events, result.sim.normalizer)).toEqual(eventSequences(result.trace.events, result.trace.normalizer));
  expect(peerVariables(result.sim.events, result.sim.normalizer)).toEqual(peerVariables(result.trace.events, result.trace.normalizer));
  return result;
}

describe('fidelity against recorded Asterisk 22 traffic', () => {
  it('inbound call: answer, playback, DTMF, app hangup', async () => {
    await checkScenario('inbound-answer-playback-dtmf');
  });

  it('caller hangs up before answer (CANCEL) and after answer (BYE)', async () => {
    await checkScenario('caller-hangs-up-before-answer');
  });

  it('bridge to a judge reached with create + dial, judge hangs up', async () => {
    await checkScenario('bridge-to-judge-answered', {}, {}, (s) => s.endpoint('judge1').answerAfter(30));
  });

  it('originate and create + dial to a phone that rings and never answers', async () => {
    await checkScenario('originate-no-answer', {}, { rewriteQuery: (q) => ({ ...q, ...(q.timeout ? { timeout: '1' } : {}) }) }, (s) =>
      s.endpoint('judge2').noAnswer(),
    );
  });

  it('originate and create + dial to a busy phone', async () => {
    await checkScenario('originate-busy', {}, {}, (s) => s.endpoint('judge3').busy());
  });

  it('ring, music on hold, hold, holding bridge and caller-side hold', async () => {
    await checkScenario('hold-moh-and-ringing');
  });

  it('bridge recording with an originated judge', async () => {
    await checkScenario('bridge-recording', {}, { timeScale: 1 }, (s) => s.endpoint('judge1').answerAfter(30));
  });

  it('websocket drop: the app is deactivated, a new call is declined, state survives the reconnect', async () => {
    const result = await checkScenario('websocket-drop-and-reconnect', { emitBridgeDestroyed: false }, {}, (s) => s.endpoint('judge1').answerAfter(30));
    expect(sim?.events().some((e) => !e.delivered)).toBe(false);
    expect(result.calls).toHaveLength(1);
  });

  it('outbound survey: originate answered with a key pressed, rung then busy, rung and never answered', async () => {
    await checkScenario(
      'outbound-survey',
      {},
      {
        // The 10 s ring of part C is sent as 1 s; the called phone changes its behaviour at each part (with
        // shorter rings than the capture's 0.5 s and 2 s: only order and content are compared).
        rewriteQuery: (q) => ({ ...q, ...(q.timeout === '10' ? { timeout: '1' } : {}) }),
        atPart: {
          A: (s) => s.endpoint('caller-out').register().answerAfter(50),
          B: (s) => s.endpoint('caller-out').busy({ ringMs: 200 }),
          C: (s) => s.endpoint('caller-out').noAnswer(),
        },
      },
      // The prompt of the capture: a stored recording of 1 s (media=recording:survey-beep).
      (s) => void s.asterisk.storedRecordings.set('survey-beep', { name: 'survey-beep', format: 'wav', durationMs: 1000 }),
    );
  });

  // The supervision traces: op1 (operator) and sup1 (supervisor) answer after 0.5 s in the capture.
  const supervisionPhones = (s: AriSim) => {
    s.endpoint('op1').register().answerAfter(30);
    s.endpoint('sup1').register().answerAfter(30);
  };

  it('listen: a snoop channel (spy both) on the caller, bridged with the supervisor, then both hung up', async () => {
    const result = await checkScenario('snoop-listen', {}, {}, supervisionPhones);
    const snoop = sim?.events().find((e) => e.event.type === 'StasisStart' && String((e.event.channel as { name: string }).name).startsWith('Snoop/'));
    expect((snoop?.event.channel as { name: string }).name).toMatch(/^Snoop\/\d+\.0-00000000$/);
    expect(result.calls).toHaveLength(1);
  });

  it('whisper: a snoop channel (spy both, whisper out) on the operator, bridged with the supervisor', async () => {
    await checkScenario('snoop-whisper', {}, {}, supervisionPhones);
  });

  it('barge: the supervisor added to the main bridge (three-party), removed, then hung up', async () => {
    await checkScenario('barge', {}, {}, supervisionPhones);
  });

  it('channel variables with ari.conf channelvars', async () => {
    await checkScenario('channel-variables', { channelvars: ['HOTLINE_CALL_ID', 'COURT_ID'] }, {}, (s) => s.endpoint('judge1').answerAfter(30));
  });
});

/** Leaves of a JSON value replaced by their type: the shape to compare where values are host-specific. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shape(value[0])];
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  return typeof value;
}

describe('fidelity of snapshots and errors', () => {
  it('GET snapshots, error responses and authentication match the recording', async () => {
    sim = await startAriSim({ app: 'hotline12368', username: 'ceo', password: 'ceo', sounds: FAST_SOUNDS, channelvars: ['HOTLINE_CALL_ID', 'COURT_ID'] });
    const result = await replay(sim, loadTrace('snapshots'));
    const hostSpecific = (r: { path: string }) => ['/ari/asterisk/info', '/ari/sounds', '/ari/api-docs/resources.json'].includes(r.path);
    const exact = (side: typeof result.sim) => requestLines(side.requests.filter((r) => !hostSpecific(r)), side.normalizer);
    expect(exact(result.sim)).toEqual(exact(result.trace));
    expect(eventSequences(result.sim.events, result.sim.normalizer)).toEqual(eventSequences(result.trace.events, result.trace.normalizer));

    const byPath = (side: typeof result.sim, path: string) => side.requests.find((r) => r.path === path);
    const info = byPath(result.sim, '/ari/asterisk/info');
    expect(shape(info?.response)).toEqual(shape(byPath(result.trace, '/ari/asterisk/info')?.response));
    expect((info?.response as { system: unknown }).system).toEqual({ version: '22.10.1', entity_id: '02:fc:00:00:00:01' });
    const sounds = byPath(result.sim, '/ari/sounds')?.response as unknown[];
    expect(shape(sounds)).toEqual(shape(byPath(result.trace, '/ari/sounds')?.response));
    expect(sounds.length).toBeGreaterThan(3);

    type Listing = { apiVersion: string; swaggerVersion: string; basePath: string; apis: unknown[] };
    const listing = byPath(result.sim, '/ari/api-docs/resources.json')?.response as Listing;
    const recorded = byPath(result.trace, '/ari/api-docs/resources.json')?.response as Listing;
    expect([listing.apiVersion, listing.swaggerVersion, listing.basePath]).toEqual([recorded.apiVersion, recorded.swaggerVersion, sim.url + '/ari']);
    for (const entry of listing.apis) expect(recorded.apis).toContainEqual(entry);
    expect(listing.apis.length).toBe(recorded.apis.length - 2); // deviceStates and mailboxes are not implemented
  });
});
