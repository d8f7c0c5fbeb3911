/**
 * THE list of additive measures. Each is a per-row SQL expression over a fact row `f` (one call, or one
 * ticket): rollups store sum(expr) per (court, hour, dimensions); queries add rollups up; a drill-down lists
 * the rows whose expr is > 0. One definition serves the rollup, the recount, the drill-down and docs/kpi.md.
 * `s.sl_ms` / `s.short_ms` are the court's KPI settings (service-level and short-abandon thresholds).
 */
export interface Measure {
  name: string;
  source: 'call' | 'ticket';
  /** Per-row value (0/1 for counts, milliseconds for sums). */
  expr: string;
  /** A count of rows (drillable), or a sum of a quantity (drill-down lists the rows it sums over). */
  kind: 'count' | 'sum';
  doc: string;
}

const flag = (cond: string) => `(case when ${cond} then 1 else 0 end)`;

export const measures = [
  // calls (telephony.calls; by arrival hour; operator = the one who answered)
  { name: 'calls', source: 'call', kind: 'count', expr: '1', doc: 'every call row (每电必登), whatever happened to it' },
  { name: 'offered', source: 'call', kind: 'count', expr: flag('f.offered'), doc: 'in business hours and joined the queue for a person (menu choice or fallback): `in_hours and queued_at is not null`' },
  { name: 'answered', source: 'call', kind: 'count', expr: flag('f.answered'), doc: 'offered and bridged with an operator: `answered_at is not null`' },
  { name: 'answered_in_sl', source: 'call', kind: 'count', expr: flag('f.answered and f.wait_ms <= s.sl_ms'), doc: 'answered with `answered_at - queued_at` ≤ the service-level threshold (default 20 s)' },
  { name: 'answer_wait_ms', source: 'call', kind: 'sum', expr: '(case when f.answered then f.wait_ms else 0 end)', doc: 'sum of `answered_at - queued_at` over answered calls' },
  { name: 'abandoned', source: 'call', kind: 'count', expr: flag('f.abandoned'), doc: 'offered, and the caller hung up while queued: `outcome = abandoned_in_queue`' },
  { name: 'abandoned_short', source: 'call', kind: 'count', expr: flag('f.abandoned and f.wait_ms < s.short_ms'), doc: 'abandoned after waiting less than the short-abandon threshold (default 0 s: none)' },
  { name: 'handled', source: 'call', kind: 'count', expr: flag('f.answered and f.handle_ms is not null'), doc: 'answered and ended (handle time known)' },
  { name: 'handle_ms', source: 'call', kind: 'sum', expr: '(case when f.answered and f.handle_ms is not null then f.handle_ms else 0 end)', doc: 'sum of `ended_at - answered_at` over handled calls' },
  { name: 'registered', source: 'call', kind: 'count', expr: flag('f.answered and f.registered'), doc: 'answered and linked to a ticket that a person (not the system) created or worked on' },
  { name: 'transfer_attempts', source: 'call', kind: 'count', expr: 'f.transfer_attempts', doc: 'transfer legs to a judge or department (telephony.transfer_legs), except those the operator cancelled before anyone answered' },
  { name: 'transfers_connected', source: 'call', kind: 'count', expr: 'f.transfers_connected', doc: 'transfer legs a person answered (outcome answered)' },
  // tickets (tickets.ticket_events; by period time = deadline, or creation when there is none)
  { name: 'tickets', source: 'ticket', kind: 'count', expr: '1', doc: 'every ticket (voided ones included)' },
  { name: 'on_spot', source: 'ticket', kind: 'count', expr: flag('f.on_spot'), doc: 'answered on the spot (`answer_on_spot` or `answer_on_spot_with_callback`): shown apart, not in the completion rate' },
  { name: 'due', source: 'ticket', kind: 'count', expr: flag('f.in_due'), doc: 'not answered on the spot, and handed off (deadline = the period time) or voided before hand-off' },
  { name: 'completed', source: 'ticket', kind: 'count', expr: flag('f.in_due and f.delivered_at is not null'), doc: 'due, and the feedback was delivered to the caller (`record_delivery`)' },
  { name: 'on_time', source: 'ticket', kind: 'count', expr: flag('f.in_due and f.delivered_at is not null and f.due_at is not null and f.delivered_at <= f.due_at'), doc: 'completed with the delivery at or before the deadline' },
  { name: 'voided', source: 'ticket', kind: 'count', expr: flag('f.in_due and f.voided_at is not null'), doc: 'due and voided (kept in `due`, never `completed` unless delivered before the void)' },
  { name: 'overdue', source: 'ticket', kind: 'count', expr: flag('f.in_due and f.voided_at is null and f.due_at is not null and (f.delivered_at is null or f.delivered_at > f.due_at)'), doc: 'due, not voided, and not delivered by the deadline (late or still open)' },
  { name: 'awaiting_handoff', source: 'ticket', kind: 'count', expr: flag('not f.on_spot and f.due_at is null and f.voided_at is null'), doc: 'registered, neither answered on the spot, handed off nor voided (by creation time)' },
  { name: 'callback_due', source: 'ticket', kind: 'count', expr: flag('f.callback_due'), doc: 'reached the return visit: feedback delivered, or answered on the spot with a return visit' },
  { name: 'callback_done', source: 'ticket', kind: 'count', expr: flag('f.callback_done'), doc: 'a return visit was recorded (`close_after_callback` or `reopen`)' },
  { name: 'satisfied', source: 'ticket', kind: 'count', expr: flag("f.satisfaction in ('satisfied','basically_satisfied')"), doc: "first return visit said satisfied or basically satisfied" },
  { name: 'unsatisfied', source: 'ticket', kind: 'count', expr: flag("f.satisfaction = 'unsatisfied'"), doc: 'first return visit said unsatisfied' },
  { name: 'reopened', source: 'ticket', kind: 'sum', expr: 'f.reopened', doc: 'number of `reopen` events' },
  { name: 'chases', source: 'ticket', kind: 'sum', expr: 'f.chases', doc: 'number of chase events (`escalate` by the timers, `chase` by a manager)' },
] as const satisfies readonly Measure[];

export type MeasureName = (typeof measures)[number]['name'];
export const measureNames = measures.map((m) => m.name) as MeasureName[];
export const callMeasures = measures.filter((m) => m.source === 'call');
export const ticketMeasures = measures.filter((m) => m.source === 'ticket');
export type Sums = Record<MeasureName, number>;

export function zeroSums(): Sums {
  return Object.fromEntries(measureNames.map((n) => [n, 0])) as Sums;
}
