/**
 * Test helper only: a ticket's reply delivered by phone the way production records it, on a recorded call. The
 * relay call is written into telephony's table as the controller leaves a connected one (purpose relay, result
 * connected), then the delivery is recorded naming it. For tests that need a ticket past feedback (回访) without
 * running a call; the service must have telephony's call records (TicketContext.phoneEvidence).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { Actor } from '../../platform/user-roles.ts';
import type { TicketService } from '../service.ts';

/** A connected relay call of the ticket, as telephony.outbound_requests keeps it; its id. */
export async function connectedRelayCall(db: Db, ticket: { id: string; courtId: string }, operatorId: string, at: Date = new Date()): Promise<string> {
  const id = randomUUID();
  const iso = at.toISOString();
  await db.execute(sql`
    insert into telephony.outbound_requests (id, court_id, purpose, mode, ticket_id, number, requested_by, requested_at, status, attempts, result, finished_at, updated_at)
    values (${id}, ${ticket.courtId}, 'relay', 'operator', ${ticket.id}, '0', ${operatorId}, ${iso}::timestamptz, 'completed', 1, 'connected', ${iso}::timestamptz, ${iso}::timestamptz)`);
  return id;
}

/** Records the reply of `ticketId` delivered by phone, on a connected relay call made for it (at `at`, or when the reply came). */
export async function deliverByPhone(db: Db, service: TicketService, operator: Actor, ticketId: string, at?: Date) {
  const when = at ?? (await service.get(operator, ticketId)).repliedAt ?? new Date();
  const outboundId = await connectedRelayCall(db, { id: ticketId, courtId: operator.courtId }, operator.userId, new Date(when));
  return service.recordDelivery(operator, ticketId, { channel: 'phone', delivered: true, outboundId });
}
