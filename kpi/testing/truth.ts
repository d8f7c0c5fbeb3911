import type { Sums } from '../measures.ts';
import { zeroSums } from '../measures.ts';
import type { Traffic } from './traffic.ts';

/**
 * The true sums for [from, to), counted from the generator's own record of what it did (not from the
 * database), with the thresholds given. Tickets fall in the span by deadline, or by creation when none.
 */
export function trueSums(traffic: Traffic, from: number, to: number, slMs = 20_000, shortMs = 0, keep: { operatorId?: string; category?: string } = {}): { sums: Sums; ids: Record<string, Set<string>> } {
  const s = zeroSums();
  const ids: Record<string, Set<string>> = {};
  const add = (name: keyof Sums, id: string, value = 1) => {
    if (value === 0) return;
    s[name] += value;
    (ids[name] ??= new Set()).add(id);
  };
  const ticketById = new Map(traffic.tickets.map((t) => [t.id, t]));
  for (const c of traffic.calls) {
    if (c.arrivedAt < from || c.arrivedAt >= to) continue;
    const ticket = c.ticketId ? ticketById.get(c.ticketId) : undefined;
    if (keep.operatorId && c.operatorId !== keep.operatorId) continue;
    if (keep.category && ticket?.category !== keep.category) continue;
    add('calls', c.id);
    if (c.offered) add('offered', c.id);
    if (c.answered) {
      add('answered', c.id);
      if (c.waitMs! <= slMs) add('answered_in_sl', c.id);
      add('answer_wait_ms', c.id, c.waitMs!);
      add('handled', c.id);
      add('handle_ms', c.id, c.handleMs!);
      if (ticket?.byPerson) add('registered', c.id);
    }
    add('transfer_attempts', c.id, c.transferAttempts);
    add('transfers_connected', c.id, c.transfersConnected);
    if (c.abandoned) {
      add('abandoned', c.id);
      if (c.waitMs! < shortMs) add('abandoned_short', c.id);
    }
  }
  for (const t of traffic.tickets) {
    const periodAt = t.dueAt ?? t.createdAt;
    if (periodAt < from || periodAt >= to) continue;
    if (keep.operatorId && t.operatorId !== keep.operatorId) continue;
    if (keep.category && t.category !== keep.category) continue;
    add('tickets', t.id);
    if (t.onSpot) add('on_spot', t.id);
    const due = !t.onSpot && (t.dueAt !== null || t.voidedAt !== null);
    if (due) {
      add('due', t.id);
      if (t.deliveredAt !== null) add('completed', t.id);
      if (t.deliveredAt !== null && t.dueAt !== null && t.deliveredAt <= t.dueAt) add('on_time', t.id);
      if (t.voidedAt !== null) add('voided', t.id);
      if (t.voidedAt === null && t.dueAt !== null && (t.deliveredAt === null || t.deliveredAt > t.dueAt)) add('overdue', t.id);
    }
    if (!t.onSpot && t.dueAt === null && t.voidedAt === null) add('awaiting_handoff', t.id);
    if (t.callbackDue) add('callback_due', t.id);
    if (t.satisfaction) add('callback_done', t.id);
    if (t.satisfaction === 'satisfied' || t.satisfaction === 'basically_satisfied') add('satisfied', t.id);
    if (t.satisfaction === 'unsatisfied') add('unsatisfied', t.id);
    add('reopened', t.id, t.reopened);
    add('chases', t.id, t.chases);
  }
  return { sums: s, ids };
}
