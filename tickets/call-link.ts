import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import { invalid } from './errors.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How long a call not yet found is looked for again: telephony's journal writes a call's row milliseconds after it arrives. */
const settleMs = [100, 300, 600];

/**
 * A call a person names on a ticket (registering one with a call, attaching another call) must be an
 * existing call of the ticket's court: telephony.calls is read (one row per call, 每电必登). Otherwise a
 * clear 400 and nothing changes — a ticket cannot carry another court's call, or a made-up one, into the
 * figures (docs/kpi.md "Against padding"). Telephony's own entry points (createFromCall, …) pass the call
 * they are handling and are not checked here: its row may still be on the way through the journal.
 */
export async function assertCallOfCourt(db: Db, courtId: string, callId: string | undefined, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<void> {
  if (callId === undefined) return;
  if (!uuidPattern.test(callId)) throw invalid('unknown_call', `No call ${JSON.stringify(callId)}: a ticket can only name a call of the hotline`, '没有这个来电：工单只能关联本热线的来电');
  for (let attempt = 0; ; attempt++) {
    const { rows } = await db.execute<{ court_id: string | null }>(sql`select court_id from telephony.calls where id = ${callId}::uuid limit 1`);
    if (rows[0]) {
      if (rows[0].court_id !== courtId) throw invalid('call_of_another_court', 'The call belongs to another court (or to none): a ticket can only name a call of its own court', '该来电不属于本院：工单只能关联本院的来电');
      return;
    }
    if (attempt >= settleMs.length) break;
    await sleep(settleMs[attempt]!);
  }
  throw invalid('unknown_call', 'No such call: a ticket can only name a call of the hotline', '没有这个来电：工单只能关联本热线的来电');
}

/** Whether the ticket exists in the court (the call check runs only then, so a stranger still gets "not found"). */
export async function ticketOfCourt(db: Db, ticketId: string, courtId: string): Promise<boolean> {
  if (!uuidPattern.test(ticketId)) return false;
  const { rows } = await db.execute(sql`select 1 from tickets.tickets where id = ${ticketId}::uuid and court_id = ${courtId} limit 1`);
  return rows.length > 0;
}
