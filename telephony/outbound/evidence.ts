import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { calls } from '../telephony.sql.ts';
import { outboundRequests } from './outbound.sql.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The call records the tickets capability checks before a phone delivery counts (tickets/ports.ts PhoneEvidence):
 * read from telephony's own tables, within one court. Null: no such record in that court.
 */
export function callEvidence(db: Db) {
  return {
    /** An inbound call: its caller's number and when an operator answered it (null: never answered). */
    async answeredCall(courtId: string, callId: string): Promise<{ callerNumber: string; answeredAt: Date | null } | null> {
      if (!uuidPattern.test(callId)) return null;
      const rows = await db
        .select({ callerNumber: calls.callerNumber, answeredAt: calls.answeredAt })
        .from(calls)
        .where(and(eq(calls.id, callId), eq(calls.courtId, courtId)))
        .limit(1);
      return rows[0] ?? null;
    },

    /** A callback request: what it was for and how it ended (result `connected`: the caller was bridged to the operator). */
    async relayCall(courtId: string, outboundId: string): Promise<{ ticketId: string | null; purpose: string; mode: string; result: string | null; status: string; requestedAt: Date } | null> {
      if (!uuidPattern.test(outboundId)) return null;
      const [row] = await db
        .select({ ticketId: outboundRequests.ticketId, purpose: outboundRequests.purpose, mode: outboundRequests.mode, result: outboundRequests.result, status: outboundRequests.status, requestedAt: outboundRequests.requestedAt })
        .from(outboundRequests)
        .where(and(eq(outboundRequests.id, outboundId), eq(outboundRequests.courtId, courtId)));
      return row ?? null;
    },
  };
}
