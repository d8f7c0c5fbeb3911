import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../platform/db/client.ts';
import { errorResponses, idParam, type ApiApp } from '../platform/http/schemas.ts';
import { maskPhone } from '../platform/masking.ts';
import { TelephonyError } from './errors.ts';

const person = z.object({ id: z.string(), name: z.string() }).nullable();

export const callDetailSchema = z
  .object({
    id: z.string(),
    /** Masked (138****5678), as in the caller history. */
    callerNumber: z.string().nullable(),
    dialled: z.string(),
    arrivedAt: z.string(),
    endedAt: z.string().nullable(),
    outcome: z.string().nullable(),
    hangupBy: z.string().nullable(),
    inHours: z.boolean().nullable(),
    /** The menu option the caller chose (e.g. litigation_service), null when none was chosen. */
    menuOption: z.string().nullable(),
    /** The queue the call joined (menu choice or fallback). */
    skill: z.string().nullable(),
    queuedAt: z.string().nullable(),
    answeredAt: z.string().nullable(),
    /** Queue wait in seconds: to the answer, or to the hang-up of a caller who gave up; null if never queued. */
    waitSeconds: z.number().nullable(),
    /** Conversation in seconds (answer to end). */
    talkSeconds: z.number().nullable(),
    operator: person,
    events: z.array(z.object({ at: z.string(), kind: z.string(), operator: person, detail: z.record(z.string(), z.unknown()) })),
    transfers: z.array(
      z.object({ seq: z.number(), mode: z.string(), targetKind: z.string(), targetLabel: z.string(), startedAt: z.string(), answeredAt: z.string().nullable(), endedAt: z.string().nullable(), outcome: z.string().nullable() }),
    ),
    recordings: z.array(z.object({ kind: z.string(), status: z.string() })),
    tickets: z.array(z.object({ id: z.string(), number: z.string(), stage: z.string(), category: z.string() })),
  })
  .meta({ id: 'CallDetail' });

const iso = (v: Date | string | null | undefined) => (v === null || v === undefined ? null : new Date(v).toISOString());
const seconds = (a: Date | string | null, b: Date | string | null) => (a && b ? Math.max(0, Math.round((new Date(b).getTime() - new Date(a).getTime()) / 100) / 10) : null);
/** Event details shown to people: menu digits and options, reasons, outcomes; never a typed case number's digits. */
const shownDetail = (data: Record<string, unknown>) => Object.fromEntries(Object.entries(data).filter(([k]) => !/digits|number|caller/i.test(k)));

/**
 * One call as its page shows it (GET /api/telephony/calls/:callId): its course (call events), menu choice, queue
 * wait, operator, transfers, recordings and the tickets it is linked to. Court-scoped; managers and admins see
 * every call of their court, an operator only the calls they answered.
 */
export function registerCallDetailRoutes(app: ApiApp, db: Db): void {
  app.get('/api/telephony/calls/:callId', {
    config: { roles: ['operator', 'manager', 'admin'] },
    schema: { tags: ['telephony'], summary: "One call's course, wait, operator, transfers, recordings and tickets (court-scoped; an operator sees the calls they answered)", params: idParam('callId'), response: { 200: callDetailSchema, ...errorResponses } },
    handler: async (request) => {
      const { actor } = request;
      const { callId } = request.params;
      const { rows: found } = await db.execute<Record<string, Date | string | boolean | null>>(
        sql`select c.id::text as id, c.caller_number, c.dialled, c.arrived_at, c.ended_at, c.outcome::text as outcome, c.hangup_by::text as hangup_by, c.in_hours, c.skill,
                   c.queued_at, c.answered_at, c.answered_by::text as answered_by, u.display_name as operator_name
            from telephony.calls c left join platform.users u on u.id = c.answered_by
            where c.id = ${callId} and c.court_id = ${actor.courtId} limit 1`,
      );
      const call = found[0];
      if (!call) throw new TelephonyError('call_not_found', '来电不存在', 'No such call', 404);
      if (actor.role === 'operator' && call.answered_by !== actor.userId) throw new TelephonyError('not_your_call', '只能查看自己接听的来电', 'Operators may see only the calls they answered', 403);
      const [events, legs, recs, linked] = await Promise.all([
        db.execute<{ at: Date; kind: string; operator_id: string | null; operator_name: string | null; data: Record<string, unknown> }>(
          sql`select e.at, e.kind::text as kind, e.operator_id::text as operator_id, u.display_name as operator_name, e.data
              from telephony.call_events e left join platform.users u on u.id = e.operator_id
              where e.call_id = ${callId} and e.court_id = ${actor.courtId} order by e.at, e.seq`,
        ),
        db.execute<{ seq: number; mode: string; target_kind: string; target_label: string; started_at: Date; answered_at: Date | null; ended_at: Date | null; outcome: string | null }>(
          sql`select seq, mode::text as mode, target_kind, target_label, started_at, answered_at, ended_at, outcome::text as outcome
              from telephony.transfer_legs where call_id = ${callId} and court_id = ${actor.courtId} order by seq`,
        ),
        db.execute<{ kind: string; status: string }>(sql`select kind::text as kind, status::text as status from telephony.recordings where call_id = ${callId} and court_id = ${actor.courtId} order by kind`),
        // The tickets registered from or attached to the call: number, stage and category only (a confidential
        // ticket's content stays behind its own page, which masks it for whoever may not read it).
        db.execute<{ id: string; number: string; stage: string; category: string }>(
          sql`select t.id::text as id, t.number, t.stage::text as stage, t.category from tickets.ticket_calls tc join tickets.tickets t on t.id = tc.ticket_id
              where tc.call_id = ${callId} and t.court_id = ${actor.courtId} order by tc.created_at`,
        ),
      ]);
      const menu = [...events.rows].reverse().find((e) => e.kind === 'menu_choice');
      const answeredAt = call.answered_at as Date | null;
      const queuedAt = call.queued_at as Date | null;
      const endedAt = call.ended_at as Date | null;
      return {
        id: String(call.id),
        callerNumber: maskPhone(call.caller_number as string),
        dialled: String(call.dialled),
        arrivedAt: iso(call.arrived_at as Date)!,
        endedAt: iso(endedAt),
        outcome: (call.outcome as string | null) ?? null,
        hangupBy: (call.hangup_by as string | null) ?? null,
        inHours: (call.in_hours as boolean | null) ?? null,
        menuOption: typeof menu?.data.option === 'string' ? menu.data.option : null,
        skill: (call.skill as string | null) ?? null,
        queuedAt: iso(queuedAt),
        answeredAt: iso(answeredAt),
        waitSeconds: queuedAt ? seconds(queuedAt, answeredAt ?? (call.outcome === 'abandoned_in_queue' ? endedAt : null)) : null,
        talkSeconds: seconds(answeredAt, endedAt),
        operator: call.answered_by ? { id: String(call.answered_by), name: String(call.operator_name ?? '') } : null,
        events: events.rows.map((e) => ({ at: iso(e.at)!, kind: e.kind, operator: e.operator_id ? { id: e.operator_id, name: e.operator_name ?? '' } : null, detail: shownDetail(e.data ?? {}) })),
        transfers: legs.rows.map((l) => ({ seq: Number(l.seq), mode: l.mode, targetKind: l.target_kind, targetLabel: l.target_label, startedAt: iso(l.started_at)!, answeredAt: iso(l.answered_at), endedAt: iso(l.ended_at), outcome: l.outcome })),
        recordings: recs.rows,
        tickets: linked.rows,
      };
    },
  });
}
