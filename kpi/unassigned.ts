import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../platform/db/client.ts';

/**
 * Calls whose dialled number maps to no court (telephony.hotline_numbers, docs/telephony.md "Which court a
 * call belongs to") are kept with court_id null and counted in no court's figures. Counted here for the
 * whole deployment, straight from telephony.calls, so an admin sees them (and which numbers to map).
 */
export const unassignedSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    calls: z.number(),
    offered: z.number(),
    answered: z.number(),
    abandoned: z.number(),
    numbers: z.array(z.object({ dialled: z.string(), calls: z.number(), lastAt: z.string() })),
  })
  .meta({ id: 'KpiUnassigned' });
export type Unassigned = z.infer<typeof unassignedSchema>;

export async function unassignedCalls(db: Db, from: Date, to: Date): Promise<Unassigned> {
  const span = sql`c.court_id is null and c.arrived_at >= ${from.toISOString()}::timestamptz and c.arrived_at < ${to.toISOString()}::timestamptz`;
  const { rows } = await db.execute<{ calls: string; offered: string; answered: string; abandoned: string }>(sql`select count(*) as calls,
      count(*) filter (where c.in_hours is true and c.queued_at is not null) as offered,
      count(*) filter (where c.in_hours is true and c.queued_at is not null and c.answered_at is not null) as answered,
      count(*) filter (where c.in_hours is true and c.queued_at is not null and c.outcome = 'abandoned_in_queue') as abandoned
    from telephony.calls c where ${span}`);
  const { rows: numbers } = await db.execute<{ dialled: string; calls: string; last_at: Date | string }>(
    sql`select c.dialled, count(*) as calls, max(c.arrived_at) as last_at from telephony.calls c where ${span} group by c.dialled order by count(*) desc, c.dialled limit 20`,
  );
  const r = rows[0]!;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    calls: Number(r.calls),
    offered: Number(r.offered),
    answered: Number(r.answered),
    abandoned: Number(r.abandoned),
    numbers: numbers.map((n) => ({ dialled: n.dialled, calls: Number(n.calls), lastAt: new Date(n.last_at).toISOString() })),
  };
}
