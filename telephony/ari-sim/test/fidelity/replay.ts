import type { AriSim } from '../../sim.ts';
import type { CallHandle } from '../../script.ts';
import { receiveDtmf } from '../../model/media.ts';
import { Normalizer } from './normalizer.ts';
import { Recorder } from './recorder.ts';
import { eventOf, isSignificant, requestOf, type EventJson, type RecordedRequest, type TraceLine } from './trace.ts';

export interface ReplayOptions {
  /** Rewrites a recorded request's query before sending (e.g. a 5 s dial timeout sent as 1 s to keep tests short). */
  rewriteQuery?: (query: Record<string, string>) => Record<string, string>;
  /** Longest wait for the events that preceded a request in the trace (ms). */
  stepTimeoutMs?: number;
  /** Also keep the trace's pace, scaled (1 = real time); needed where durations are compared. */
  timeScale?: number;
  /** Set-up run where the trace starts a part (a `part` note whose text starts with the key, e.g. "B: …"). */
  atPart?: Record<string, (sim: AriSim) => void>;
}

export interface ReplayResult {
  trace: { events: EventJson[]; requests: RecordedRequest[]; normalizer: Normalizer };
  sim: { events: EventJson[]; requests: RecordedRequest[]; normalizer: Normalizer };
  calls: CallHandle[];
}

type Step = { at: number; kind: 'request'; request: RecordedRequest } | { at: number; kind: 'action'; run: () => Promise<void> | void };

const significantCount = (events: EventJson[]) => events.filter(isSignificant).length;
const channelOf = (event: EventJson) => (event.channel ?? event.peer) as { id: string; name: string } | undefined;

/**
 * Drives the stand-in through a recorded scenario: the caller's and phones' actions are taken where their
 * first effect shows in the trace; each recorded REST request is sent (with this run's ids) once as many
 * stable events have arrived as had arrived in the trace before it was sent.
 */
export async function replay(sim: AriSim, lines: TraceLine[], options: ReplayOptions = {}): Promise<ReplayResult> {
  const traceNormalizer = new Normalizer();
  const simNormalizer = new Normalizer();
  const traceEvents: EventJson[] = [];
  const traceRequests: RecordedRequest[] = [];
  for (const line of lines) {
    if (line.dir === 'event') traceEvents.push(eventOf(line));
    if (line.dir === 'request') traceRequests.push(requestOf(line));
    if (line.dir === 'event') traceNormalizer.learn(eventOf(line));
    if (line.dir === 'request') traceNormalizer.learn(requestOf(line).response);
  }

  const recorder = new Recorder(sim);
  const calls = new Map<string, CallHandle>();
  const simId = (traceId: string) => simNormalizer.valueOf(traceNormalizer.token(traceId)) ?? traceId;
  const steps: Step[] = [];

  lines.forEach((line, index) => {
    if (line.dir === 'request') steps.push({ at: line._t_sent ?? line._t, kind: 'request', request: requestOf(line) });
    if (line.dir === 'ws' && line.state === 'open') steps.push({ at: line._t, kind: 'action', run: () => recorder.connect() });
    if (line.dir === 'note' && line.what === 'ws-drop') steps.push({ at: line._t, kind: 'action', run: () => recorder.terminate() });
    if (line.dir === 'note' && line.what === 'part') {
      const setUp = options.atPart?.[String(line.text).split(':')[0]!];
      if (setUp) steps.push({ at: line._t, kind: 'action', run: () => setUp(sim) });
    }
    if (line.dir === 'note' && line.what === 'second-call') {
      steps.push({ at: line._t, kind: 'action', run: async () => void (await sim.placeCall()) });
    }
    if (line.dir !== 'event') return;
    const event = eventOf(line);
    const channel = channelOf(event);
    if (!channel) return;
    const traceChannelId = channel.id;
    if (event.type === 'StasisStart' && channel.name.startsWith('PJSIP/trunk-')) {
      const caller = (event.channel as { caller: { name: string; number: string } }).caller;
      steps.push({
        at: line._t,
        kind: 'action',
        run: async () => {
          const call = await sim.placeCall({ from: caller.number, fromName: caller.name });
          if (call.channelId) calls.set(traceChannelId, call);
        },
      });
    } else if (event.type === 'ChannelDtmfReceived') {
      steps.push({
        at: line._t,
        kind: 'action',
        run: () => {
          const call = calls.get(traceChannelId);
          if (call) return call.pressDigits(event.digit as string);
          // A phone the app dialled out to (originate): the called person presses the key.
          const dialled = sim.asterisk.channels.get(simId(traceChannelId));
          if (dialled) receiveDtmf(sim.asterisk, dialled, event.digit as string, event.duration_ms as number);
          return undefined;
        },
      });
    } else if (event.type === 'ChannelHold' || event.type === 'ChannelUnhold') {
      steps.push({ at: line._t, kind: 'action', run: () => (event.type === 'ChannelHold' ? calls.get(traceChannelId)?.hold() : calls.get(traceChannelId)?.unhold()) });
    } else if (event.type === 'ChannelHangupRequest' && event.soft === undefined && (event.cause === undefined || event.cause === 16 || event.cause === 127)) {
      // The far end hung up. Its first visible effect is the RTP statistics burst just before, if any.
      let first = index;
      while (first > 0 && lines[first - 1]?.dir === 'event' && String(lines[first - 1]?.variable ?? '').startsWith('RTPAUDIOQOS')) first -= 1;
      const at = lines[first]?._t ?? line._t;
      const endpoint = channel.name.slice('PJSIP/'.length, channel.name.lastIndexOf('-'));
      steps.push({
        at: at - 0.5,
        kind: 'action',
        run: () => {
          if (endpoint === 'trunk') calls.get(traceChannelId)?.hangup();
          else sim.endpoint(endpoint).hangup();
        },
      });
    }
  });
  steps.sort((a, b) => a.at - b.at);

  const stepTimeoutMs = options.stepTimeoutMs ?? 3000;
  const tracedBefore = (at: number, inclusive: boolean) =>
    lines.filter((l) => l.dir === 'event' && (inclusive ? l._t <= at : l._t < at) && isSignificant(eventOf(l))).length;

  const started = Date.now();
  for (const step of steps) {
    if (options.timeScale !== undefined) {
      const due = started + step.at * options.timeScale - Date.now();
      if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
    }
    const waitStart = Date.now();
    // Events in the same millisecond as a request may have preceded it or been caused by it: wait briefly for those.
    await recorder.waitUntil(significantCount, tracedBefore(step.at, false), stepTimeoutMs);
    if (step.kind === 'request') await recorder.waitUntil(significantCount, tracedBefore(step.at, true), 150);
    if (process.env.ARI_SIM_REPLAY_DEBUG && Date.now() - waitStart > 500) {
      console.log('slow step', step.at, step.kind === 'request' ? `${step.request.method} ${step.request.path}` : 'action', significantCount(recorder.events), tracedBefore(step.at, step.kind === 'request'));
    }
    for (const event of recorder.events) simNormalizer.learn(event);
    if (step.kind === 'action') {
      await step.run();
      continue;
    }
    const r = step.request;
    const path = r.path.split('/').map((part) => simId(part)).join('/');
    let query = Object.fromEntries(Object.entries(r.query).map(([k, v]) => [k, k === 'channel' || k === 'caller' ? simId(v) : v]));
    if (options.rewriteQuery) query = options.rewriteQuery(query);
    const sent = await recorder.request(r.method, path, query, r.body, r.auth);
    simNormalizer.learn(sent.response);
  }
  await recorder.waitUntil(significantCount, significantCount(traceEvents), stepTimeoutMs);
  await new Promise((resolve) => setTimeout(resolve, 100));
  recorder.close();
  for (const event of recorder.events) simNormalizer.learn(event);
  return {
    trace: { events: traceEvents, requests: traceRequests, normalizer: traceNormalizer },
    sim: { events: recorder.events, requests: recorder.requests, normalizer: simNormalizer },
    calls: [...calls.values()],
  };
}
