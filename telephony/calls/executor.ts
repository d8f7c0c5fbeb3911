import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { EventBus } from '../../platform/events.ts';
import { withTimeout } from '../../platform/timeout.ts';
import type { Dispatcher } from '../acd/dispatcher.ts';
import type { LiveState } from '../acd/live-state.ts';
import type { AriAdapter } from '../ari/adapter.ts';
import { AriEndpointUnavailable, AriGone } from '../ari/errors.ts';
import { channelVars, type AriCommand } from '../ari/types.ts';
import { positionPrompts, type Prompt } from '../menu.ts';
import { missedCallReason } from '../presence/presence-state.ts';
import type { Presence } from '../presence/presence.ts';
import type { CallJournal } from '../records/journal.ts';
import { maskPhone } from '../../platform/masking.ts';
import { publishTelephonyEvent, type CallerHistoryEntry } from '../realtime-events.ts';
import type { EventData } from '../../api/realtime/event-catalogue.ts';
import type { TicketIntake } from '../ticket-intake.ts';
import type { LiveCall } from './live-call.ts';
import type { CallCommand, CallInput, MachineSettings } from './types.ts';
import type { LegKind } from './controller.ts';
import type { CaseLookup } from '../cases/lookup.ts';
import { recordBridge } from '../recordings/bridge-recording.ts';
import { restartedUnder } from './call-lost.ts';
import { tagChannel, type TagDeps } from './tagging.ts';
import type { RecordingHooks } from '../recordings/hooks.ts';

export interface ExecutorDeps {
  ari: AriAdapter;
  live: LiveState;
  dispatcher: Dispatcher;
  presence: Presence;
  journal: CallJournal;
  events: EventBus;
  intake: TicketIntake;
  settings: MachineSettings;
  soundsDir: string;
  callerHistory(callerNumber: string, courtId: string | null): Promise<CallerHistoryEntry[]>;
  /** Feeds an input back into the call's own queue (timers, failed originates). */
  submit(callId: string, input: CallInput): void;
  /** Routes a leg's events (operator or transfer target) to its call. */
  trackLeg(channelId: string, callId: string, kind: LegKind): void;
  /** Menu option 1: the case directory (keyed digits → the handling judge). */
  cases: CaseLookup;
  /** Forgets a finished call. */
  release(call: LiveCall): void;
  /** Recordings: told when a call closes, to fetch its recording from Asterisk. */
  recordings?: RecordingHooks;
  /** Counts caller channels left untagged after every retry (tagging.ts `channelTagFailures`). */
  tagFailures?: TagDeps['tagFailures'];
  /** How a failed channel tag is retried (default: tagging.ts `defaultTagRetry`). */
  tagRetry?: TagDeps['tagRetry'];
}

const redisTimeoutMs = 2000;

/**
 * The one executor: carries out a call's commands. ARI failures are logged and never escape (a gone
 * channel is normal: its hangup event follows); writes go to the journal and never wait for PostgreSQL.
 */
export async function execute(d: ExecutorDeps, call: LiveCall, c: CallCommand): Promise<void> {
  const s = call.state;
  switch (c.kind) {
    case 'answer':
      return ari(d, call, { kind: 'answer', channelId: s.channelId });
    case 'tagChannel':
      // Nothing that follows depends on the tags (a restarted controller reads them later): set in the background,
      // so the menu prompt does not wait for them, and retried there; one that never sticks is logged and counted.
      void tagChannel(d, call, (command, err) => foundGone(d, call, command, err));
      return;
    case 'play':
      return ari(d, call, { kind: 'play', channelId: s.channelId, playbackId: c.playbackId, media: media(d, c.prompts) });
    case 'announcePosition': {
      const ahead = (await redis(call, () => d.live.ahead(s.courtId, s.callId))) ?? 0;
      return ari(d, call, { kind: 'play', channelId: s.channelId, playbackId: c.playbackId, media: media(d, positionPrompts(ahead)) });
    }
    case 'stopPlayback':
      return ari(d, call, { kind: 'stopPlayback', playbackId: c.playbackId });
    case 'startMoh':
    case 'stopMoh':
      return ari(d, call, { kind: c.kind, channelId: s.channelId });
    case 'hangupCaller':
      return ari(d, call, { kind: 'hangup', channelId: s.channelId });
    case 'hangupOperator':
      return ari(d, call, { kind: 'hangup', channelId: c.channelId });
    case 'record':
      return ari(d, call, { kind: 'record', channelId: s.channelId, name: c.name, maxSeconds: d.settings.messageMaxSeconds });
    case 'stopRecording':
      return ari(d, call, { kind: 'stopRecording', name: c.name });
    case 'bridge':
      await ari(d, call, { kind: 'createBridge', bridgeId: c.bridgeId });
      await ari(d, call, { kind: 'addToBridge', bridgeId: c.bridgeId, channelIds: c.channelIds });
      // Every bridge of the call appends to its one recording; not awaited (it may wait for the previous take to close).
      void recordBridge(d.ari, s.callId, c.bridgeId, call.log);
      return;
    case 'destroyBridge':
      return ari(d, call, { kind: 'destroyBridge', bridgeId: c.bridgeId });
    case 'startTimer': {
      clearTimeout(call.timers.get(c.name));
      const timer = setTimeout(() => {
        call.timers.delete(c.name);
        d.submit(s.callId, { type: 'timer', name: c.name, at: Date.now() });
      }, c.ms);
      call.timers.set(c.name, timer);
      return;
    }
    case 'cancelTimer':
      clearTimeout(call.timers.get(c.name));
      call.timers.delete(c.name);
      return;
    case 'log':
      d.journal.append({
        kind: 'call_event',
        id: randomUUID(),
        callId: s.callId,
        courtId: s.courtId,
        at: Date.now(),
        seq: ++call.eventSeq,
        event: c.event,
        operatorId: c.operatorId ?? null,
        data: c.data ?? {},
        ...(call.takenOver ? { takeover: true as const } : {}),
      });
      if (c.event.startsWith('transfer_') && s.transfer?.requestedBy) publishTransfer(d, call, c.event.slice('transfer_'.length) as TransferStatus);
      return;
    case 'enqueue':
      // Not awaited: the hold music starts meanwhile. The queue write, the dispatcher's claim and any dequeue
      // that follows all go over one Redis connection, which runs them in the order sent: the claim, sent in
      // the same tick, already finds the call in the queue (no round trip in between).
      d.dispatcher.add(s.callId, { courtId: s.courtId, skill: c.skill });
      void redis(call, () => d.live.enqueue(s.courtId, s.callId, c.enqueuedAt));
      void d.dispatcher.kick();
      return;
    case 'dequeue':
      d.dispatcher.remove(s.callId);
      await redis(call, () => d.live.dequeue(s.courtId, s.callId));
      return;
    case 'ringOperator': {
      d.trackLeg(c.leg.channelId, s.callId, 'operator');
      const command: AriCommand = {
        kind: 'originate',
        channelId: c.leg.channelId,
        endpoint: `PJSIP/${c.leg.endpoint}`,
        callerId: s.callerNumber,
        // Asterisk's own limit is a backstop: the call's ring timer ends the ring first.
        timeoutSeconds: Math.ceil(d.settings.ringMs / 1000) + 5,
        appArgs: 'operator',
        variables: { [channelVars.callId]: s.callId, ...(s.courtId ? { [channelVars.courtId]: s.courtId } : {}) },
      };
      // The ring goes out first; its record and event (presence: ringing) are bookkeeping that can follow.
      const ringing = d.ari.execute(command);
      d.presence.recordRinging(c.leg.userId, s.courtId, s.callId);
      try {
        await ringing;
      } catch (err) {
        call.log.warn({ err: (err as Error).message, operatorId: c.leg.userId }, 'could not ring the operator');
        // A request that failed in transit (reset, timed out) may still have created the leg: hang it up, or it
        // would ring (and could be answered) for a call that has moved on.
        if (!(err instanceof AriEndpointUnavailable)) await ari(d, call, { kind: 'hangup', channelId: c.leg.channelId });
        d.submit(s.callId, { type: 'operator_gone', channelId: c.leg.channelId, reason: (err as Error).message, at: Date.now() });
      }
      return;
    }
    case 'ringTarget': {
      d.trackLeg(c.leg.channelId, s.callId, 'transfer');
      const command: AriCommand = {
        kind: 'originate',
        channelId: c.leg.channelId,
        endpoint: c.leg.target.dial,
        callerId: s.callerNumber,
        timeoutSeconds: Math.ceil(d.settings.transferRingMs / 1000) + 5,
        appArgs: 'transfer',
        variables: { [channelVars.callId]: s.callId, ...(s.courtId ? { [channelVars.courtId]: s.courtId } : {}) },
      };
      try {
        await d.ari.execute(command);
      } catch (err) {
        call.log.warn({ err: (err as Error).message, target: c.leg.target.label }, 'could not ring the transfer target');
        if (!(err instanceof AriEndpointUnavailable)) await ari(d, call, { kind: 'hangup', channelId: c.leg.channelId });
        d.submit(s.callId, { type: 'transfer_gone', channelId: c.leg.channelId, reason: (err as Error).message, outcome: 'failed', at: Date.now() });
      }
      return;
    }
    case 'hangupLeg':
      return ari(d, call, { kind: 'hangup', channelId: c.channelId });
    case 'recordLeg': {
      const leg = c.leg;
      d.journal.append({
        kind: 'transfer_leg',
        callId: s.callId,
        seq: leg.seq,
        courtId: s.courtId,
        mode: leg.mode,
        targetKind: leg.target.kind,
        targetUserId: leg.target.userId ?? null,
        targetDepartmentId: leg.target.departmentId ?? null,
        targetLabel: leg.target.label,
        dial: leg.target.dial,
        requestedBy: leg.requestedBy ?? null,
        caseNumber: leg.caseNumber ?? null,
        startedAt: leg.startedAt,
        answeredAt: leg.answeredAt ?? null,
        endedAt: c.endedAt ?? null,
        outcome: c.outcome ?? null,
      });
      return;
    }
    case 'lookupCase': {
      const found = await withTimeout(d.cases.lookup(s.courtId, c.digits), 3000).catch((err: Error) => {
        call.log.warn({ err: err.message }, 'case directory unavailable');
        return { found: false as const, reason: 'unknown' as const };
      });
      if (found.found) d.submit(s.callId, { type: 'case_found', target: found.target, caseNumber: found.caseNumber, at: Date.now() });
      else d.submit(s.callId, { type: 'case_not_found', digits: c.digits, reason: found.reason, at: Date.now() });
      return;
    }
    case 'transferTicket': {
      const leg = c.leg;
      const done = d.intake.transferred({
        callId: s.callId,
        courtId: s.courtId,
        callerNumber: s.callerNumber,
        operatorId: leg.requestedBy ?? null,
        target: leg.target,
        mode: leg.mode,
        outcome: leg.outcome ?? 'failed',
        ...(leg.caseNumber ? { caseNumber: leg.caseNumber } : {}),
        ...(c.recordingName ? { recordingName: c.recordingName } : {}),
      });
      void done.catch((err: Error) => call.log.error({ err: err.message }, 'transferred-call ticket failed'));
      return;
    }
    case 'releaseOperator':
      await redis(call, () => d.presence.change(c.userId, 'system:released', 'ready', { callId: s.callId }));
      return;
    case 'operatorMissed':
      await redis(call, () => d.presence.change(c.userId, 'system:missed', 'paused', { reason: missedCallReason, callId: s.callId }));
      return;
    case 'operatorOnCall':
      await redis(call, () => d.presence.change(c.userId, 'system:on_call', 'on_call', { callId: s.callId }));
      return;
    case 'operatorWrapUp':
      await redis(call, () => d.presence.change(c.userId, 'system:wrap_up', 'wrap_up', { callId: s.callId }));
      return;
    case 'screenPop':
      void screenPop(d, call, c.userId);
      return;
    case 'publish':
      if (c.event === 'call.offered') {
        void publishTelephonyEvent(d.events, 'call.offered', s.courtId, {
          callId: s.callId,
          skill: s.skill ?? '',
          callerNumberMasked: maskPhone(s.callerNumber) ?? '',
          queuedAt: new Date(s.enqueuedAt ?? Date.now()).toISOString(),
        });
      } else if (c.event === 'call.ringing') {
        void publishTelephonyEvent(d.events, 'call.ringing', s.courtId, { callId: s.callId, operatorId: c.operatorId!, callerNumber: s.callerNumber }, c.operatorId);
      } else {
        void publishTelephonyEvent(d.events, 'call.answered', s.courtId, { callId: s.callId, operatorId: c.operatorId!, answeredAt: new Date().toISOString() });
      }
      return;
    case 'intake': {
      const base = { callId: s.callId, courtId: s.courtId, callerNumber: s.callerNumber };
      const done =
        c.what === 'callback'
          ? d.intake.callbackRequested(base)
          : d.intake.messageLeft({ ...base, recordingName: c.recordingName ?? '', reason: s.messageReason === 'queue_timeout' ? 'queue_timeout' : 'after_hours' });
      void done.catch((err: Error) => call.log.error({ err: err.message }, 'ticket intake failed'));
      return;
    }
    case 'close':
      d.journal.append({
        kind: 'call_closed',
        callId: s.callId,
        arrivedAt: call.arrivedAt,
        endedAt: Date.now(),
        summary: c.summary,
        row: { courtId: s.courtId, channelId: s.channelId, callerNumber: s.callerNumber, dialled: call.dialled },
      });
      void publishTelephonyEvent(d.events, 'call.ended', s.courtId, { callId: s.callId, outcome: c.summary.outcome, hangupBy: c.summary.hangupBy, endedAt: new Date().toISOString() });
      d.recordings?.callClosed({ callId: s.callId, talked: c.summary.answeredAt !== null || c.summary.outcome === 'transferred', messageName: s.recordingName });
      call.log.info({ outcome: c.summary.outcome, hangupBy: c.summary.hangupBy }, 'call ended');
      d.release(call);
      return;
  }
}

function media(d: ExecutorDeps, prompts: Prompt[]): string[] {
  return prompts.map((p) => `sound:${join(d.soundsDir, 'zh', p)}`);
}

async function ari(d: ExecutorDeps, call: LiveCall, command: AriCommand): Promise<void> {
  try {
    await d.ari.execute(command);
  } catch (err) {
    if (!(err instanceof AriGone)) {
      call.log.warn({ command: command.kind, err: (err as Error).message }, 'ARI command failed');
      return;
    }
    call.log.debug({ command: command.kind, err: err.message }, 'ARI object already gone');
    foundGone(d, call, command, err);
  }
}

/**
 * A command found its object gone. On the caller's own channel: they hung up, even if that event never reaches us
 * (it was lost with a dropped websocket); or Asterisk restarted since the call arrived, and dropped it. Heard while
 * ARI is disconnected (the answer of an Asterisk restarting under us), it is left to the reconcile after the
 * reconnect, which knows which. A second hangup input for the same call is ignored by the machine.
 */
function foundGone(d: ExecutorDeps, call: LiveCall, command: AriCommand, err: AriGone): void {
  if (!('channelId' in command) || command.channelId !== call.state.channelId || !/Channel not (found|in Stasis)/.test(err.message)) return;
  if (!d.ari.connected) return;
  const at = Date.now();
  d.submit(call.state.callId, restartedUnder(call.arrivedAt, d.ari.restartedAt) ? { type: 'caller_lost', reason: 'asterisk_restart', at } : { type: 'caller_hangup', at });
}

async function redis<T>(call: LiveCall, work: () => Promise<T>): Promise<T | null> {
  try {
    return await withTimeout(work(), redisTimeoutMs);
  } catch (err) {
    call.log.warn({ err: (err as Error).message }, 'live state (Redis) unavailable');
    return null;
  }
}

async function screenPop(d: ExecutorDeps, call: LiveCall, operatorId: string): Promise<void> {
  const s = call.state;
  const [history, draftTicketId] = await Promise.all([
    withTimeout(d.callerHistory(s.callerNumber, s.courtId), 2000).catch(() => []),
    d.intake.draftForCall({ callId: s.callId, courtId: s.courtId, callerNumber: s.callerNumber, operatorId }).catch(() => null),
  ]);
  await publishTelephonyEvent(d.events, 'call.screen_pop', s.courtId, { callId: s.callId, operatorId, callerNumber: s.callerNumber, history: history.filter((h) => h.callId !== s.callId), draftTicketId }, operatorId);
}

type TransferStatus = EventData<'call.transfer'>['status'];

/** Tells the operator who asked for a transfer how it goes (their console shows complete/cancel). */
function publishTransfer(d: ExecutorDeps, call: LiveCall, status: TransferStatus): void {
  const s = call.state;
  const leg = s.transfer!;
  void publishTelephonyEvent(
    d.events,
    'call.transfer',
    s.courtId,
    { callId: s.callId, seq: leg.seq, mode: leg.mode, status, target: leg.target.label, ...(leg.outcome ? { outcome: leg.outcome } : {}) },
    leg.requestedBy,
  );
}
