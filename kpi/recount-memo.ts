import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import { canonical, sha256 } from '../platform/seals/canonical.ts';
import type { SealSigner } from '../platform/seals/keys.ts';
import type { Logger } from '../platform/logger.ts';
import { timeLit, uuidLit } from './literals.ts';
import { measureNames } from './measures.ts';
import { kpiSql, type KpiQuery, type KpiRow } from './query.ts';
import { linkSkew, rawSource } from './span-recount.ts';

const chinaOffsetMs = 8 * 3600_000; // Asia/Shanghai has had no daylight saving since 1991.

/** One China calendar month's part of a span; `whole` when the span covers the month from its first to its last instant. */
export interface MonthPart {
  from: Date;
  to: Date;
  /** The month's first day, `YYYY-MM-01`. */
  month: string;
  whole: boolean;
}

/** Splits `[from, end)` at China month boundaries. */
export function monthParts(from: Date, end: Date): MonthPart[] {
  const parts: MonthPart[] = [];
  let t = from.getTime();
  while (t < end.getTime()) {
    const local = new Date(t + chinaOffsetMs);
    const start = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - chinaOffsetMs;
    const next = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - chinaOffsetMs;
    const to = Math.min(next, end.getTime());
    parts.push({ from: new Date(t), to: new Date(to), month: new Date(start + chinaOffsetMs).toISOString().slice(0, 10), whole: t === start && to === next });
    t = to;
  }
  return parts;
}

/** A row version's 64-bit hash, from its key and its xmin (the transaction that wrote this version of it). */
const rowHash = (key: string, xmin: string) => `hashtextextended(${key} || ':' || ${xmin}::text, 0)::numeric`;

/**
 * Each month's digest of the raw rows its recount reads, as SQL, for several months in one pass. A row is taken
 * by its key and its xmin: PostgreSQL gives every inserted or updated row version a new transaction id, and no SQL
 * can set it, so any insert, update or delete among them changes the digest, without reading or formatting the
 * rows' values. Per month (i): the calls arrived in it, their transfer legs, the court's KPI settings, and every
 * event of the tickets rawSpanCtes folds for it (span_tickets, or more: every call id a link event names counts,
 * which only adds rows to the digest). Each month's digest is the same whichever span it is asked with.
 */
export function monthDigestsSql(courtId: string, parts: readonly MonthPart[]): string {
  const court = uuidLit(courtId);
  const months = parts.map((p, i) => `(${i}, ${timeLit(p.from)}, ${timeLit(p.to)})`).join(', ');
  const first = timeLit(parts[0]!.from);
  const last = timeLit(parts[parts.length - 1]!.to);
  return `with months (i, a, b) as (values ${months}),
m_calls as materialized (
  select m.i, c.id, c.xmin from months m join telephony.calls c on c.court_id = ${court} and c.arrived_at >= m.a and c.arrived_at < m.b
),
d_calls as (select i, count(*) as n, sum(${rowHash('id::text', 'xmin')}) as s from m_calls group by i),
d_legs as (
  select mc.i, count(*) as n, sum(${rowHash("tl.call_id::text || ':' || tl.seq::text", 'tl.xmin')}) as s
  from m_calls mc join telephony.transfer_legs tl on tl.call_id = mc.id group by mc.i
),
d_settings as (select count(*) as n, coalesce(sum(${rowHash('sc.id::text', 'sc.xmin')}), 0) as s from kpi.settings_changes sc where sc.court_id = ${court}),
deadlines as materialized (
  select e.ticket_id, (e.after->>'deadline')::timestamptz as d from tickets.ticket_events e
  where e.court_id = ${court} and e.action in ('hand_off', 'approve_extension') and e.after ? 'deadline'
),
links as (
  select e.ticket_id, e.at, x.call_id from tickets.ticket_events e cross join lateral (
    select jsonb_array_elements_text(e.after->'callIds') as call_id where jsonb_typeof(e.after->'callIds') = 'array'
    union all select e.after->>'callId' where e.after ? 'callId'
  ) x
  where e.court_id = ${court} and e.action in ('create', 'attach_call') and e.at >= ${first} - ${linkSkew}
),
t_month as materialized (
  select mc.i, l.ticket_id from links l join m_calls mc on mc.id::text = l.call_id join months m on m.i = mc.i and l.at >= m.a - ${linkSkew}
  union
  select m.i, e.ticket_id from tickets.ticket_events e join months m on e.at >= m.a and e.at < m.b
  where e.court_id = ${court} and e.action = 'create' and e.at >= ${first} and e.at < ${last}
  union
  select m.i, dl.ticket_id from deadlines dl join months m on dl.d >= m.a and dl.d < m.b where dl.d >= ${first} and dl.d < ${last}
),
t_hash as (
  select e.ticket_id, count(*) as n, sum(${rowHash('e.id::text', 'e.xmin')}) as s from tickets.ticket_events e
  where e.ticket_id in (select ticket_id from t_month) group by e.ticket_id
),
d_tickets as (select tm.i, count(*) as tickets, sum(th.n) as n, sum(th.s) as s from t_month tm join t_hash th using (ticket_id) group by tm.i)
select m.i, concat_ws('|', coalesce(c.n, 0), coalesce(c.s, 0), coalesce(l.n, 0), coalesce(l.s, 0), coalesce(t.tickets, 0), coalesce(t.n, 0), coalesce(t.s, 0), st.n, st.s) as digest
from months m left join d_calls c using (i) left join d_legs l using (i) left join d_tickets t using (i) cross join d_settings st order by m.i`;
}

/** Each part's digest (kpi/recount-memo.ts monthDigestsSql), by month. */
async function monthDigests(db: Db, courtId: string, parts: readonly MonthPart[]): Promise<Map<string, string>> {
  if (parts.length === 0) return new Map();
  // Without JIT: the planner's row estimates for the link expansion are far too high, and compiling the plan
  // costs more than running it (2 s against 0.9 s for a year of 100,000 calls).
  const rows = await db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return (await tx.execute<{ i: number; digest: string }>(sql.raw(monthDigestsSql(courtId, parts)))).rows;
  });
  return new Map(rows.map((r) => [parts[Number(r.i)]!.month, sha256(r.digest)]));
}

const signedText = (m: { courtId: string; month: string; queryKey: string; digest: string; rows: KpiRow[] }) =>
  canonical({ kind: 'kpi.recount_memo', courtId: m.courtId, month: m.month, queryKey: m.queryKey, digest: m.digest, rows: m.rows });

/** Rows from a memo's JSON, or null when they are not rows of the measures known now. */
function memoRows(value: unknown): KpiRow[] | null {
  if (!Array.isArray(value)) return null;
  for (const r of value as KpiRow[]) {
    if (!r || typeof r !== 'object' || !r.sums || measureNames.some((n) => typeof r.sums[n] !== 'number')) return null;
  }
  return value as KpiRow[];
}

/** What the memos report: used, made, and refused (the signature or the rows did not hold: logged at error). */
export interface MemoCounts {
  used: number;
  made: number;
  refused: number;
}

/**
 * The recount of a query's span, from signed memos where the raw rows have not changed since. Closed whole China
 * months are looked up: the month's raw digest is taken first (before any recount, so a memo can only be older
 * than its digest, never newer), and a memo whose digest and signature hold gives the month's rows; otherwise
 * the month is recounted and a memo signed. Open and partial months are always recounted. The months' rows are
 * added per bucket and key: every measure is a sum.
 */
export async function memoizedRecount(
  db: Db,
  query: KpiQuery,
  signer: SealSigner,
  recount: (db: Db, q: KpiQuery) => Promise<KpiRow[]>,
  log?: Logger,
  counts: MemoCounts = { used: 0, made: 0, refused: 0 },
): Promise<KpiRow[]> {
  const asOf = query.asOf ?? new Date();
  const end = new Date(Math.min(query.to.getTime(), asOf.getTime()));
  const parts = query.from < end ? monthParts(query.from, end) : [];
  const loose = parts.filter((p) => !p.whole);
  const results: KpiRow[][] = [];
  // Loose edges (the first and last month cut by the span, the current month) are recounted as they are.
  for (const p of loose) results.push(await recount(db, { ...query, from: p.from, to: p.to, asOf: p.to }));
  const whole = parts.filter((x) => x.whole);
  // Digests first, then any recount: a memo is then never newer than the digest it is kept with.
  const digests = await monthDigests(db, query.filter.courtId, whole);
  for (const p of whole) {
    const part = { ...query, from: p.from, to: p.to, asOf: p.to };
    const queryKey = sha256(canonical({ grain: query.grain, by: query.by, filter: query.filter, sql: kpiSql(part, { factsOnly: true, ...rawSource(part) }), digestSql: monthDigestsSql(query.filter.courtId, [p]) }));
    const digest = digests.get(p.month)!;
    const { rows: stored } = await db.execute<{ digest: string; rows: unknown; signature: string }>(
      sql`select digest, rows, signature from kpi.recount_memos where court_id = ${query.filter.courtId} and month = ${p.month} and query_key = ${queryKey}`,
    );
    const memo = stored[0];
    if (memo && memo.digest === digest) {
      const rows = memoRows(memo.rows);
      if (rows && signer.verifier.verify(signedText({ courtId: query.filter.courtId, month: p.month, queryKey, digest, rows }), memo.signature)) {
        counts.used++;
        results.push(rows);
        continue;
      }
      counts.refused++;
      log?.error({ courtId: query.filter.courtId, month: p.month }, 'a KPI recount memo does not match its signature: recounted from the raw rows and replaced');
    }
    const rows = await recount(db, part);
    const signature = signer.sign(signedText({ courtId: query.filter.courtId, month: p.month, queryKey, digest, rows }));
    await db.execute(sql`insert into kpi.recount_memos (court_id, month, query_key, digest, rows, key_id, signature, made_at)
      values (${query.filter.courtId}, ${p.month}, ${queryKey}, ${digest}, ${JSON.stringify(rows)}::jsonb, ${signer.keyId}, ${signature}, now())
      on conflict (court_id, month, query_key) do update set digest = excluded.digest, rows = excluded.rows, key_id = excluded.key_id, signature = excluded.signature, made_at = excluded.made_at`);
    counts.made++;
    results.push(rows);
  }
  return addRows(results.flat());
}

/** Rows added up per bucket and key, in the order queryKpis gives (bucket, then key; nulls first). */
export function addRows(rows: KpiRow[]): KpiRow[] {
  const byCell = new Map<string, KpiRow>();
  for (const r of rows) {
    const key = `${r.bucket ?? ''}\0${r.key ?? ''}\0${r.bucket === null ? 0 : 1}${r.key === null ? 0 : 1}`;
    const cell = byCell.get(key);
    if (!cell) {
      byCell.set(key, { bucket: r.bucket, key: r.key, sums: { ...r.sums } });
      continue;
    }
    for (const n of measureNames) cell.sums[n] += r.sums[n];
  }
  const order = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
  return [...byCell.values()].sort((a, b) => order(a.bucket, b.bucket) || order(a.key, b.key));
}
