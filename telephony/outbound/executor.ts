import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { publishEvent } from '../realtime-events.ts';
import type { EventBus } from '../../platform/events.ts';
import type { Logger } from '../../platform/logger.ts';
import { withTimeout } from '../../platform/timeout.ts';
import type { AriAdapter } from '../ari/adapter.ts';
import { AriEndpointUnavailable } from '../ari/errors.ts';
import { joinBridge } from '../ari/join-bridge.ts';
import { tryCommand } from '../ari/try-command.ts';
import { channelVars, type AriCommand } from '../ari/types.ts';
import { missedCallReason, notBridgedReason } from '../presence/presence-state.ts';
import type { Presence } from '../presence/presence.ts';
import type { CallJournal } from '../records/journal.ts';
import type { OutboundScheduler } from './scheduler.ts';
import { untilQueued } from './until-queued.ts';
import type { AttemptCommand, AttemptInput, AttemptResult, AttemptState, OutboundRequest } from './types.ts';

/** Channel variable that marks an outbound channel with its request id (travels in every ARI event). */
export const outboundVar = 'HOTLINE_OUTBOUND_ID';

export interface LiveAttempt {
  state: AttemptState;
  request: OutboundRequest;
  chain: Promise<void>;
  timers: Map<string, NodeJS.Timeout>;
  log: Logger;
  /** The controller's generation (bumped by detach) it was started or taken over in: older ones write nothing. */
  generation: number;
}

export interface OutboundExecutorDeps {
  ari: AriAdapter;
  presence: Presence;
  journal: CallJournal;
  events: EventBus;
  scheduler: OutboundScheduler;
  /** e.g. `PJSIP/{number}@trunk` */
  trunkDial: string;
  callerId: string;
  soundsDir: string;
  /** Feeds an input back into the attempt's own queue (timers, failed originates). */
  submit(id: string, input: AttemptInput): void;
  /** The outcome of a command of the step in progress (a bridge joined or not): taken before any queued input. */
  followUp(attempt: LiveAttempt, input: AttemptInput): void;
  /** Routes a leg's channel events to its attempt. */
  trackLeg(channelId: string, id: string, leg: 'operator' | 'caller'): void;
  finish(attempt: LiveAttempt, result: AttemptResult): Promise<void>;
}

/** Carries out one attempt's commands. ARI failures are logged and never escape; records go to the journal. */
export async function executeOutbound(d: OutboundExecutorDeps, a: LiveAttempt, c: AttemptCommand): Promise<void> {
  const s = a.state;
  const r = a.request;
  switch (c.kind) {
    case 'originate': {
      d.trackLeg(c.channelId, s.id, c.leg);
      const command: AriCommand = {
        kind: 'originate',
        channelId: c.channelId,
        endpoint: c.leg === 'operator' ? `PJSIP/${r.endpoint}` : d.trunkDial.replaceAll('{number}', r.number),
        // The softphone shows whom it is about to call back; the caller sees the hotline.
        callerId: c.leg === 'operator' ? r.number : d.callerId,
        timeoutSeconds: c.timeoutSeconds,
        appArgs: 'outbound',
        variables: { [outboundVar]: s.id, [channelVars.courtId]: r.courtId },
      };
      try {
        await d.ari.execute(command);
      } catch (err) {
        a.log.warn({ err: (err as Error).message, leg: c.leg }, 'could not originate an outbound leg');
        // A request lost in transit may still have made the channel: hang it up so it cannot ring on its own.
        if (!(err instanceof AriEndpointUnavailable)) await ari(d, a, { kind: 'hangup', channelId: c.channelId });
        d.submit(s.id, { type: 'leg_gone', leg: c.leg, cause: null, reason: (err as Error).message, at: Date.now() });
      }
      return;
    }
    case 'hangup':
      return ari(d, a, { kind: 'hangup', channelId: c.channelId });
    case 'bridge': {
      // The attempt is told how it went: only a bridge found joined makes a connected callback.
      const joined = await joinBridge(d.ari, c.bridgeId, c.channelIds, (command) => tryCommand(d.ari, a.log, command));
      if (joined === 'joined') return d.followUp(a, { type: 'bridged', at: Date.now() });
      const log = { bridgeId: c.bridgeId, channelIds: c.channelIds };
      if (joined === 'gone') a.log.warn(log, 'bridge not joined: a leg or the bridge was gone; the attempt fails');
      else a.log.error(log, 'bridge refused twice and not found joined: the attempt fails');
      return d.followUp(a, { type: 'bridge_failed', at: Date.now() });
    }
    case 'destroyBridge':
      return ari(d, a, { kind: 'destroyBridge', bridgeId: c.bridgeId });
    case 'play':
      return ari(d, a, { kind: 'play', channelId: s.caller!.channelId, playbackId: c.playbackId, media: c.prompts.map((p) => `sound:${join(d.soundsDir, 'zh', p)}`) });
    case 'stopPlayback':
      return ari(d, a, { kind: 'stopPlayback', playbackId: c.playbackId });
    case 'startTimer': {
      clearTimeout(a.timers.get(c.name));
      a.timers.set(
        c.name,
        setTimeout(() => {
          a.timers.delete(c.name);
          d.submit(s.id, { type: 'timer', name: c.name, at: Date.now() });
        }, c.ms),
      );
      return;
    }
    case 'cancelTimer':
      clearTimeout(a.timers.get(c.name));
      a.timers.delete(c.name);
      return;
    case 'presence': {
      const userId = r.requestedBy.userId;
      const opts = { callId: s.id };
      const move = {
        ringing: () => d.presence.change(userId, 'system:outbound', 'ringing', opts),
        on_call: () => d.presence.change(userId, 'system:on_call', 'on_call', opts),
        wrap_up: () => d.presence.change(userId, 'system:wrap_up', 'wrap_up', opts),
        missed: () => d.presence.change(userId, 'system:missed', 'paused', { ...opts, reason: missedCallReason }),
        released: () => d.presence.change(userId, 'system:released', 'ready', opts),
        not_bridged: () => d.presence.change(userId, 'system:not_bridged', 'ready', { ...opts, reason: notBridgedReason }),
      }[c.move];
      await withTimeout(move(), 2000).catch((err: Error) => a.log.warn({ err: err.message }, 'presence (Redis) unavailable'));
      return;
    }
    case 'legEnded': {
      const l = c.summary;
      d.journal.append({
        kind: 'outbound_leg',
        id: randomUUID(),
        outboundId: s.id,
        courtId: r.courtId,
        attempt: s.attempt,
        leg: l.leg,
        channelId: l.channelId,
        operatorId: r.requestedBy.userId,
        outcome: l.outcome,
        startedAt: l.startedAt,
        answeredAt: l.answeredAt,
        endedAt: l.endedAt,
        detail: l.detail,
      });
      a.log.info({ leg: l.leg, outcome: l.outcome, detail: l.detail }, 'outbound leg ended');
      return;
    }
    case 'publish': {
      const base = { outboundId: s.id, attempt: s.attempt, leg: c.leg, operatorId: r.requestedBy.userId };
      const audience = { userIds: [r.requestedBy.userId] };
      const sent =
        c.event === 'outbound.ringing'
          ? publishEvent(d.events, { type: c.event, courtId: r.courtId, audience, data: { ...base, ticketId: r.ticketId, callId: r.callId, callerNumber: r.number } })
          : publishEvent(d.events, { type: c.event, courtId: r.courtId, audience, data: { ...base, answeredAt: new Date().toISOString() } });
      void sent.catch(() => undefined);
      return;
    }
    case 'surveyAnswer':
      // A job, not a direct call: the answer reaches the ticket even if the database is away for a while, and
      // Redis away for a moment only delays it (the attempt's end waits for it, as it did for one try).
      await untilQueued(a.log, 'the survey answer', () => d.scheduler.recordSurvey({ request: r, satisfaction: c.satisfaction, digit: c.digit, answeredSince: Date.now() }));
      return;
    case 'finish':
      return d.finish(a, c.result);
  }
}

async function ari(d: OutboundExecutorDeps, a: LiveAttempt, command: AriCommand): Promise<void> {
  await tryCommand(d.ari, a.log, command);
}
