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

  it('channel variables with ari.conf channelvars', async () => {
    await checkScenario('channel-variables', { channelvars: ['HOTLINE_CALL_ID', 'COURT_ID'] }, {}, (s) => s.endpoint('judge1').answerAfter(30));
  });
});
