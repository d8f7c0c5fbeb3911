/**
 * Signed recounts of closed months: a long span's check reads a month's memo only while the month's raw rows are
 * what the memo was counted from and its signature holds; anything else recounts from the raw rows.
 */
import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { SealSigner } from '../platform/seals/keys.ts';
import type { KpiQuery } from './query.ts';
import { monthParts, type MemoCounts } from './recount-memo.ts';
import { recountKpis } from './span-recount.ts';
import { syncIncremental } from './sync.ts';
import { kpiTable } from './table.ts';
import { useKpiFixture, type KpiFixture } from './testing/fixtures.ts';
import { generateMonth } from './testing/traffic.ts';

const june = Date.UTC(2026, 4, 31, 16); // 2026-06-01 00:00 China
const july = Date.UTC(2026, 5, 30, 16);
const august = Date.UTC(2026, 6, 31, 16);
const farFuture = new Date(Date.UTC(2027, 6, 1));
const newSigner = () => new SealSigner(generateKeyPairSync('ed25519').privateKey);

let fx: KpiFixture;
const signer = newSigner();
const db = () => fx.database.db;
const span = (extra: Partial<KpiQuery> = {}): KpiQuery => ({ filter: { courtId: fx.court.courtId }, from: new Date(june), to: new Date(august), grain: 'month', by: 'court', asOf: farFuture, ...extra });

/** The table through memos, checked against a direct recount of the whole span; returns what the memos did. */
async function tableThroughMemos(query: KpiQuery = span(), key = signer): Promise<{ counts: MemoCounts; total: Record<string, number> }> {
  const counts: MemoCounts = { used: 0, made: 0, refused: 0 };
  const table = await kpiTable(db(), query, { signer: key, counts });
  const direct = await recountKpis(db(), query);
  expect(table.rows.map((r) => ({ bucket: r.bucket, key: r.key, sums: r.sums }))).toEqual(direct.filter((r) => Object.values(r.sums).some((v) => v !== 0)));
  return { counts, total: table.total.sums };
}

beforeAll(async () => {
  fx = await useKpiFixture();
  await generateMonth({ db: db(), service: fx.service, setNow: fx.setNow, court: fx.court, monthStart: june, calls: 40, seed: 61 });
  await generateMonth({ db: db(), service: fx.service, setNow: fx.setNow, court: fx.court, monthStart: july, calls: 40, seed: 71 });
  await syncIncremental(db());
}, 120_000);

describe('month parts', () => {
  it('cuts a span at China month boundaries and marks the whole months', () => {
    const parts = monthParts(new Date(june + 3_600_000), new Date(august + 86_400_000));
    expect(parts.map((p) => [p.month, p.whole])).toEqual([
      ['2026-06-01', false],
      ['2026-07-01', true],
      ['2026-08-01', false],
    ]);
    expect(parts[1]!.from.toISOString()).toBe('2026-06-30T16:00:00.000Z');
    expect(parts[1]!.to.toISOString()).toBe('2026-07-31T16:00:00.000Z');
    expect(monthParts(new Date(june), new Date(july)).map((p) => p.whole)).toEqual([true]);
  });
});

describe('recount memos', () => {
  it('signs a memo per closed month, then reads them while the raw rows are unchanged, with the same figures', async () => {
    const first = await tableThroughMemos();
    expect(first.counts).toEqual({ used: 0, made: 2, refused: 0 });
    expect(first.total.calls).toBeGreaterThan(60);
    const second = await tableThroughMemos();
    expect(second.counts).toEqual({ used: 2, made: 0, refused: 0 });
    expect(second.total).toEqual(first.total);
    // Other shapes of query keep memos of their own; a week spanning the month boundary is added up from both.
    expect((await tableThroughMemos(span({ grain: 'week', by: 'category' }))).counts.made).toBe(2);
    expect((await tableThroughMemos(span({ grain: 'week', by: 'category' }))).counts.used).toBe(2);
  });

  it('recounts a month whose raw rows changed (an edited call, a deleted one, a new ticket event), and only that month', async () => {
    await tableThroughMemos();
    const [call] = (await db().execute<{ id: string }>(sql`select id from telephony.calls where court_id = ${fx.court.courtId} and arrived_at >= ${new Date(june).toISOString()}::timestamptz and arrived_at < ${new Date(july).toISOString()}::timestamptz and answered_at is null and outcome = 'abandoned_in_queue' limit 1`)).rows;
    await db().execute(sql`update telephony.calls set answered_at = queued_at + interval '3 seconds', outcome = 'answered' where id = ${call!.id}`);
    const edited = await tableThroughMemos();
    expect(edited.counts).toEqual({ used: 1, made: 1, refused: 0 });

    await db().execute(sql`delete from telephony.call_events where call_id = ${call!.id}`);
    await db().execute(sql`delete from telephony.calls where id = ${call!.id}`);
    const deleted = await tableThroughMemos();
    expect(deleted.counts).toEqual({ used: 1, made: 1, refused: 0 });
    expect(deleted.total.calls).toBe(edited.total.calls! - 1);

    // A late event on a July ticket (its facts are folded from every event, whatever their time).
    const [event] = (await db().execute<Record<string, unknown>>(sql`select * from tickets.ticket_events e where e.court_id = ${fx.court.courtId} and e.action = 'create' and e.at >= ${new Date(july).toISOString()}::timestamptz order by e.id desc limit 1`)).rows;
    await db().execute(sql`update tickets.ticket_events set reason = coalesce(reason, '') || ' ' where id = ${event!.id}`);
    expect((await tableThroughMemos()).counts).toEqual({ used: 1, made: 1, refused: 0 });
  });

  it('never shows an edited memo: its rows or digest changed in the database, or signed with another key, it is recounted', async () => {
    await tableThroughMemos();
    const truth = await tableThroughMemos();
    await db().execute(sql`update kpi.recount_memos set rows = jsonb_set(rows, '{0,sums,answered}', to_jsonb((rows #>> '{0,sums,answered}')::int + 30)) where court_id = ${fx.court.courtId} and month = '2026-06-01'`);
    const padded = await tableThroughMemos();
    expect(padded.counts.refused).toBeGreaterThanOrEqual(1);
    expect(padded.total).toEqual(truth.total);

    // Stale memos put back after the raw rows changed: their digest no longer matches, so they are not read.
    const stale = (await db().execute<Record<string, unknown>>(sql`select * from kpi.recount_memos where court_id = ${fx.court.courtId} and month = '2026-07-01'`)).rows;
    await db().execute(sql`update telephony.calls set ended_at = ended_at + interval '1 minute' where id = (select id from telephony.calls where court_id = ${fx.court.courtId} and arrived_at >= ${new Date(july).toISOString()}::timestamptz and answered_at is not null order by id limit 1)`);
    const changed = await tableThroughMemos();
    for (const m of stale) {
      await db().execute(sql`update kpi.recount_memos set digest = ${m.digest as string}, rows = ${JSON.stringify(m.rows)}::jsonb, signature = ${m.signature as string} where court_id = ${fx.court.courtId} and month = '2026-07-01' and query_key = ${m.query_key as string}`);
    }
    const again = await tableThroughMemos();
    expect(again.counts.used).toBe(1); // June only
    expect(again.total).toEqual(changed.total);

    // Memos made with another key (someone who wrote their own) are refused.
    const other = await tableThroughMemos(span(), newSigner());
    expect(other.counts).toEqual({ used: 0, made: 2, refused: 2 });
    const back = await tableThroughMemos();
    expect(back.counts).toEqual({ used: 0, made: 2, refused: 2 });
    expect(back.total).toEqual(changed.total);
  });

  it('recounts open and partial months every time', async () => {
    const partial = span({ from: new Date(june + 86_400_000), to: new Date(july + 86_400_000) });
    expect((await tableThroughMemos(partial)).counts).toEqual({ used: 0, made: 0, refused: 0 });
    // A month not yet over as of the query is never memoised.
    const open = span({ asOf: new Date(july + 10 * 86_400_000) });
    expect((await tableThroughMemos(open)).counts).toEqual({ used: 1, made: 0, refused: 0 });
  });
});
