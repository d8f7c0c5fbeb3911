import type { Sums } from './measures.ts';

/** The targets of seed 004 annex 2: both rates at least 95%. */
export const target = 0.95;

export interface Kpis {
  connectionRate: { inbound: number | null; transfer: number | null; combined: number | null; combinedRaw: number | null };
  completionRate: number | null;
  onTimeRate: number | null;
  /** 6 when both rates meet the target, minus 3 for each that does not; null while a rate has no denominator. */
  score: number | null;
  serviceLevel: number | null;
  averageSpeedOfAnswerSeconds: number | null;
  abandonRate: number | null;
  abandonRateRaw: number | null;
  averageHandleTimeSeconds: number | null;
  registrationRate: number | null;
  callbackRate: number | null;
  satisfactionRate: number | null;
  answeredOnSpot: number;
  overdue: number;
  chases: number;
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

/** Every published figure from the additive sums (formulas in docs/kpi.md). */
export function deriveKpis(s: Sums): Kpis {
  const reached = s.answered + s.transfers_connected;
  const attempted = s.offered + s.transfer_attempts;
  const combinedRaw = ratio(reached, attempted);
  const combined = ratio(reached, attempted - s.abandoned_short);
  const completionRate = ratio(s.completed, s.due);
  const score = combined === null || completionRate === null ? null : 6 - (combined < target ? 3 : 0) - (completionRate < target ? 3 : 0);
  return {
    connectionRate: { inbound: ratio(s.answered, s.offered), transfer: ratio(s.transfers_connected, s.transfer_attempts), combined, combinedRaw },
    completionRate,
    onTimeRate: ratio(s.on_time, s.due),
    score,
    serviceLevel: ratio(s.answered_in_sl, s.offered),
    averageSpeedOfAnswerSeconds: s.answered > 0 ? s.answer_wait_ms / s.answered / 1000 : null,
    abandonRate: ratio(s.abandoned - s.abandoned_short, s.offered - s.abandoned_short),
    abandonRateRaw: ratio(s.abandoned, s.offered),
    averageHandleTimeSeconds: s.handled > 0 ? s.handle_ms / s.handled / 1000 : null,
    registrationRate: ratio(s.registered, s.answered),
    callbackRate: ratio(s.callback_done, s.callback_due),
    satisfactionRate: ratio(s.satisfied, s.satisfied + s.unsatisfied),
    answeredOnSpot: s.on_spot,
    overdue: s.overdue,
    chases: s.chases,
  };
}
