import type { LiveCall } from '../live-call.ts';
import type { CommandOf, ExecutorDeps } from './deps.ts';

/** Tickets a call produces, through the ticket intake; not awaited: a failure is logged, the call goes on. */
type IntakeDeps = Pick<ExecutorDeps, 'intake'>;

/** A message left or a callback asked for: a ticket waiting for an operator's call back. */
export function messageOrCallback(d: IntakeDeps, call: LiveCall, c: CommandOf<'intake'>): void {
  const s = call.state;
  const base = { callId: s.callId, courtId: s.courtId, callerNumber: s.callerNumber };
  const done =
    c.what === 'callback'
      ? d.intake.callbackRequested(base)
      : d.intake.messageLeft({ ...base, recordingName: c.recordingName ?? '', reason: s.messageReason === 'queue_timeout' ? 'queue_timeout' : 'after_hours' });
  void done.catch((err: Error) => call.log.error({ err: err.message }, 'ticket intake failed'));
}

/** The transferred-call ticket, handed off to the transfer's judge or department whatever the outcome. */
export function transferTicket(d: IntakeDeps, call: LiveCall, c: CommandOf<'transferTicket'>): void {
  const s = call.state;
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
}
