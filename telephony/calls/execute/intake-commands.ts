import { isRefusal } from '../../../platform/errors.ts';
import { retry } from '../../../platform/retry.ts';
import type { LiveCall } from '../live-call.ts';
import type { CommandOf, ExecutorDeps } from './deps.ts';

/** Tickets a call produces, through the ticket intake; not awaited: the call goes on meanwhile. */
type IntakeDeps = Pick<ExecutorDeps, 'intake'>;

/**
 * Waits between tries of a ticket the intake could not make (PostgreSQL away, say): about two minutes in all. The
 * intake is safe to repeat (once per call: tickets/intake.ts), and a caller's message must not be lost to a blip.
 */
export const intakeRetryDelaysMs = [1000, 2000, 4000, 8000, 15_000, 30_000, 60_000];

/** Tries `make` until it succeeds, is refused (a 4xx: trying again would not help) or the tries run out; each failure logged. */
async function untilMade(call: LiveCall, what: string, make: () => Promise<void>): Promise<void> {
  let attempts = 0;
  const counted = () => (attempts++, make());
  await retry(
    counted,
    (failures, err) => (isRefusal(err) ? undefined : intakeRetryDelaysMs[failures - 1]),
    (err, failures, wait) => call.log.warn({ err: (err as Error).message, attempt: failures, retryInMs: wait }, `${what} failed: trying again`),
  ).catch((err: Error) => call.log.error({ err: err.message, attempts }, `${what} failed: no ticket made`));
}

/** A message left or a callback asked for: a ticket waiting for an operator's call back. */
export function messageOrCallback(d: IntakeDeps, call: LiveCall, c: CommandOf<'intake'>): void {
  const s = call.state;
  const base = { callId: s.callId, courtId: s.courtId, callerNumber: s.callerNumber };
  const make = () =>
    c.what === 'callback'
      ? d.intake.callbackRequested(base)
      : d.intake.messageLeft({ ...base, recordingName: c.recordingName ?? '', reason: s.messageReason === 'queue_timeout' ? 'queue_timeout' : 'after_hours' });
  void untilMade(call, 'ticket intake', make);
}

/** The transferred-call ticket, handed off to the transfer's judge or department whatever the outcome. */
export function transferTicket(d: IntakeDeps, call: LiveCall, c: CommandOf<'transferTicket'>): void {
  const s = call.state;
  const leg = c.leg;
  const make = () =>
    d.intake.transferred({
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
  void untilMade(call, 'transferred-call ticket', make);
}
