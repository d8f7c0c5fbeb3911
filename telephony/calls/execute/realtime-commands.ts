import { maskPhone } from '../../../platform/masking.ts';
import { withTimeout } from '../../../platform/timeout.ts';
import { publishTelephonyEvent, type TelephonyEventData } from '../../realtime-events.ts';
import type { LiveCall } from '../live-call.ts';
import type { CommandOf, ExecutorDeps } from './deps.ts';

/** Realtime events for the consoles; never awaited by the call (an event is a courtesy, never a reason to fail it). */
type RealtimeDeps = Pick<ExecutorDeps, 'events'>;

const callerHistoryTimeoutMs = 2000;

export function publishCallEvent(d: RealtimeDeps, call: LiveCall, c: CommandOf<'publish'>): void {
  const s = call.state;
  if (c.event === 'call.offered') {
    void publishTelephonyEvent(d.events, 'call.offered', s.courtId, {
      callId: s.callId,
      skill: s.skill ?? '',
      callerNumberMasked: maskPhone(s.callerNumber) ?? '',
      queuedAt: new Date(s.enqueuedAt ?? Date.now()).toISOString(),
    });
  } else if (c.event === 'call.not_connected') {
    // Their desk closes the screen pop: the caller is back in the queue, for whoever answers next.
    void publishTelephonyEvent(d.events, 'call.not_connected', s.courtId, { callId: s.callId, operatorId: c.operatorId! }, c.operatorId);
  } else if (c.event === 'call.ringing') {
    void publishTelephonyEvent(d.events, 'call.ringing', s.courtId, { callId: s.callId, operatorId: c.operatorId!, callerNumber: s.callerNumber }, c.operatorId);
  } else {
    void publishTelephonyEvent(d.events, 'call.answered', s.courtId, { callId: s.callId, operatorId: c.operatorId!, answeredAt: new Date().toISOString() });
  }
}

type TransferStatus = TelephonyEventData<'call.transfer'>['status'];

/** A transfer step logged: the operator who asked for the transfer sees how it goes (their console shows complete/cancel). */
export function publishTransferStep(d: RealtimeDeps, call: LiveCall, c: CommandOf<'log'>): void {
  const s = call.state;
  const leg = s.transfer;
  if (!c.event.startsWith('transfer_') || !leg?.requestedBy) return;
  const status = c.event.slice('transfer_'.length) as TransferStatus;
  void publishTelephonyEvent(
    d.events,
    'call.transfer',
    s.courtId,
    { callId: s.callId, seq: leg.seq, mode: leg.mode, status, target: leg.target.label, ...(leg.outcome ? { outcome: leg.outcome } : {}) },
    leg.requestedBy,
  );
}

export function publishCallEnded(d: RealtimeDeps, call: LiveCall, c: CommandOf<'close'>): void {
  const s = call.state;
  void publishTelephonyEvent(d.events, 'call.ended', s.courtId, { callId: s.callId, outcome: c.summary.outcome, hangupBy: c.summary.hangupBy, endedAt: new Date().toISOString() });
}

/** The answering operator's screen pop: the caller's history and the draft ticket made for this call. */
export function screenPop(d: RealtimeDeps & Pick<ExecutorDeps, 'callerHistory' | 'intake'>, call: LiveCall, c: CommandOf<'screenPop'>): void {
  void sendScreenPop(d, call, c.userId);
}

async function sendScreenPop(d: RealtimeDeps & Pick<ExecutorDeps, 'callerHistory' | 'intake'>, call: LiveCall, operatorId: string): Promise<void> {
  const s = call.state;
  const [history, draftTicketId] = await Promise.all([
    withTimeout(d.callerHistory(s.callerNumber, s.courtId), callerHistoryTimeoutMs).catch((err: Error) => {
      call.log.warn({ err: err.message }, 'screen pop without the caller history: it could not be read');
      return [];
    }),
    // Without its draft the operator's form files a new ticket for this call (it carries the call id).
    d.intake.draftForCall({ callId: s.callId, courtId: s.courtId, callerNumber: s.callerNumber, operatorId }).catch((err: Error) => {
      call.log.error({ err: err.message }, 'draft ticket for the answered call not made');
      return null;
    }),
  ]);
  await publishTelephonyEvent(d.events, 'call.screen_pop', s.courtId, { callId: s.callId, operatorId, callerNumber: s.callerNumber, history: history.filter((h) => h.callId !== s.callId), draftTicketId }, operatorId);
}
