import { randomUUID } from 'node:crypto';
import type { LiveCall } from '../live-call.ts';
import type { CommandOf, ExecutorDeps } from './deps.ts';

/** The call's records, through the journal: appended at once, never waiting for PostgreSQL. */
type RecordDeps = Pick<ExecutorDeps, 'journal'>;

/** One append-only step of the call (call_events). */
export function appendCallEvent(d: RecordDeps, call: LiveCall, c: CommandOf<'log'>): void {
  const s = call.state;
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
}

/** A transfer leg's row: inserted, then updated when answered and when ended (the first outcome wins). */
export function recordLeg(d: RecordDeps, call: LiveCall, c: CommandOf<'recordLeg'>): void {
  const s = call.state;
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
}

/** The call row closed with its outcome. */
export function recordClose(d: RecordDeps, call: LiveCall, c: CommandOf<'close'>): void {
  const s = call.state;
  d.journal.append({
    kind: 'call_closed',
    callId: s.callId,
    arrivedAt: call.arrivedAt,
    endedAt: Date.now(),
    summary: c.summary,
    row: { courtId: s.courtId, channelId: s.channelId, callerNumber: s.callerNumber, dialled: call.dialled },
  });
}
