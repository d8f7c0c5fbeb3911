import { eq, inArray } from 'drizzle-orm';
import { departments, users } from '../platform/directory.sql.ts';
import type { Actor } from '../platform/user-roles.ts';
import { categories } from './categories.sql.ts';
import type { CallRecords } from './ports.ts';
import type { TicketService } from './service.ts';

/**
 * What the ticket page shows in one answer: the ticket as its reader may see it with the people's names, its
 * whole trail with who acted, and the calls behind it (time, duration, operator, outcome) with their recordings
 * and whether this reader may play each (the rule of GET /api/telephony/calls/:callId/recording).
 */
export async function ticketPage(service: TicketService, callRecords: CallRecords | null, actor: Actor, ticketId: string) {
  const ticket = await service.get(actor, ticketId);
  const events = await service.events(actor, ticketId);
  const calls = callRecords && ticket.callIds.length > 0 ? await callRecords.linkedCalls(actor.courtId, ticket.callIds) : [];
  const db = service.ctx.db;
  const people = [ticket.ownerId, ticket.handlerUserId, ...events.map((e) => e.actorId), ...calls.map((c) => c.answeredBy)].filter((id): id is string => id !== null);
  const [names, department, category] = await Promise.all([
    people.length > 0 ? db.select({ id: users.id, name: users.displayName, courtId: users.courtId }).from(users).where(inArray(users.id, [...new Set(people)])) : [],
    ticket.handlerDepartmentId ? db.select({ name: departments.name }).from(departments).where(eq(departments.id, ticket.handlerDepartmentId)) : [],
    db.select({ name: categories.nameZh }).from(categories).where(eq(categories.code, ticket.category)),
  ]);
  // Only people of the reader's court are named (the system actor and anyone else read as null).
  const nameOf = (id: string | null) => (id ? (names.find((n) => n.id === id && n.courtId === actor.courtId)?.name ?? null) : null);
  return {
    ticket: {
      ...ticket,
      ownerName: nameOf(ticket.ownerId),
      handlerName: nameOf(ticket.handlerUserId),
      departmentName: department[0]?.name ?? null,
      categoryName: category[0]?.name ?? null,
    },
    events: events.map((e) => ({ ...e, actorName: nameOf(e.actorId) })),
    calls: calls.map((c) => ({
      callId: c.callId,
      arrivedAt: c.arrivedAt,
      answeredAt: c.answeredAt,
      endedAt: c.endedAt,
      durationSeconds: c.endedAt ? Math.round((c.endedAt.getTime() - c.arrivedAt.getTime()) / 1000) : null,
      /** Talk time: from the answer to the end. */
      talkSeconds: c.endedAt && c.answeredAt ? Math.round((c.endedAt.getTime() - c.answeredAt.getTime()) / 1000) : null,
      outcome: c.outcome,
      operatorId: c.answeredBy,
      operatorName: nameOf(c.answeredBy),
      recordings: c.recordings.map((r) => ({
        kind: r.kind,
        status: r.status,
        playable: r.status === 'stored' && mayPlay(actor, r.kind, c.answeredBy),
        url: `/api/telephony/calls/${c.callId}/recording?kind=${r.kind}`,
      })),
    })),
  };
}

/** telephony/recording.routes.ts: managers hear every call; an operator the conversations they answered, and every message. */
function mayPlay(actor: Actor, kind: string, answeredBy: string | null): boolean {
  if (actor.role === 'manager') return true;
  if (actor.role !== 'operator') return false;
  return kind === 'message' || answeredBy === actor.userId;
}
