/**
 * The work list's speed: `BENCH_TICKETS=2400000 npx tsx bench/worklist.ts` (needs PostgreSQL; ~10 min at full size).
 * In a throwaway database, with the tickets capability's migrations (its work-list indexes included), generates
 * BENCH_TICKETS tickets over two years for one court (90%) and a second court (10%): 40 operators, 10 departments
 * of 6 judges, the stages a court's history has (mostly closed, some open and overdue), caller and case numbers,
 * Chinese summaries. Then, in the same run, times GET /api/tickets's query (worklistPage: rows, names and the
 * capped count) for the filters people use, against a plain baseline
 * `select * from tickets.tickets where court_id = $1 order by created_at desc limit 50`. Each query BENCH_RUNS
 * times (default 40), interleaved with the baseline; p50 and p95 and the ratio of p95s.
 * Target: p95 ≤ 200 ms for each. Writes its section of docs/performance.md (BENCH_WRITE=0: prints only). BENCH_KEEP=1
 * keeps the database; BENCH_REUSE=1 then times again on it (after any new migration) without generating.
 */
import { sql } from 'drizzle-orm';
import { openDatabase, type Db } from '../platform/db/client.ts';
import { createLogger } from '../platform/logger.ts';
import type { Actor } from '../platform/user-roles.ts';
import { adminQuery, databaseUrl } from '../test/harness/postgres.ts';
import type { TicketContext } from '../tickets/context.ts';
import { defaultChaseSettings } from '../tickets/deadline.ts';
import { seedReferenceData } from '../tickets/seed.ts';
import { worklistPage, worklistTotalCap } from '../tickets/worklist-query.ts';
import { worklistQuerySchema } from '../tickets/worklist-schema.ts';
import { machineLoadNote, quantile, writePerformanceSection } from './write-section.ts';

const count = Number(process.env.BENCH_TICKETS ?? 2_400_000);
const runs = Number(process.env.BENCH_RUNS ?? 40);
const keep = process.env.BENCH_KEEP === '1';
const dbName = `hotline_worklist_bench_${count}`;
const courtId = '0c0c0c0c-0000-4000-8000-000000012368';
const otherCourtId = '0c0c0c0c-0000-4000-8000-000000000002';
/** The data spans two years up to this moment, which the list's clock reads as "now". */
const now = new Date('2026-12-01T10:00:00+08:00');
const logger = createLogger({ level: 'warn', pretty: false });

function generationSql(n: number): string[] {
  const start = `'${now.toISOString()}'::timestamptz - interval '730 days'`;
  return [
    `select setseed(0.2368)`,
    `insert into platform.courts (id, code, name) values ('${courtId}', 'B0811', '基准法院'), ('${otherCourtId}', 'B0802', '另一法院')`,
    `insert into platform.departments (id, court_id, name)
       select ('0d0d0d0d-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, '${courtId}', '部门' || g from generate_series(0, 9) g`,
    // 40 operators (n 0–39), 60 judges (100–159, six a department), 10 heads (200–209), a manager (300).
    `insert into platform.users (id, court_id, username, display_name, role, department_id)
       select ('0e0e0e0e-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, '${courtId}', 'u' || g, '用户' || g,
              (case when g < 40 then 'operator' when g < 200 then 'judge' when g < 300 then 'department_head' else 'manager' end)::platform.user_role,
              case when g between 100 and 159 then ('0d0d0d0d-0000-4000-8000-' || lpad(((g - 100) / 6)::text, 12, '0'))::uuid
                   when g between 200 and 209 then ('0d0d0d0d-0000-4000-8000-' || lpad((g - 200)::text, 12, '0'))::uuid end
       from (select generate_series(0, 39) union all select generate_series(100, 159) union all select generate_series(200, 209) union all select 300) s(g)`,
    // Created evenly over two years; the newest ~1% still open (answer, handoff, chase, feedback, callback), a part of
    // them overdue; 30% answered on the spot; the rest closed (a few voided).
    `create unlogged table bench_w as
       select g, gen_random_uuid() as id, ${start} + (g::float8 / ${n}) * interval '730 days' as created_at,
              random() as r1, random() as r2, (random() * 39)::int as op, (random() * 59)::int as judge, (random() * 9)::int as kind
       from generate_series(1, ${n}) g`,
    `insert into tickets.tickets (id, number, court_id, caller_number, caller_name, case_number, category, summary, details, stage, owner_id,
                                  handler_user_id, handler_department_id, handed_off_at, deadline, delivered_at, answered_on_spot, closed_at, created_at, updated_at)
     select id, 'B0811-' || to_char(created_at at time zone 'Asia/Shanghai', 'YYYYMMDD') || '-' || lpad(g::text, 8, '0'),
       case when g % 10 = 0 then '${otherCourtId}' else '${courtId}' end::uuid,
       '13' || lpad(((g::bigint * 7919) % 200000)::text, 9, '0'), null,
       case when r2 < 0.3 then '（' || (2024 + (g % 3)) || '）豫0811' || (array['民初','执','刑初','行初'])[1 + g % 4] || (g % 5000 + 1) || '号' end,
       (array['enquiry','case_progress','contact_judge','complaint','suggestion','petition','execution_lead','file_reading_appointment','post_judgment_question','other'])[1 + kind],
       (array['询问开庭时间','查询案件进度','联系承办法官','执行款何时到账','申请预约阅卷','对判决有疑问','反映执行线索','投诉工作作风','建议增加窗口','其他事项'])[1 + kind] || ' ' || (g % 997),
       case when r1 < 0.5 then '来电人称' || (array['已多次来电','材料已提交','希望尽快答复','要求法官回电'])[1 + g % 4] else '' end,
       (case when stage_pick < 0.3 then 'closed' when created_at < '${now.toISOString()}'::timestamptz - interval '8 days' then (case when r2 < 0.005 then 'void' else 'closed' end)
             else (array['answer','handoff','chase','feedback','callback'])[1 + (g % 5)] end)::tickets.stage,
       ('0e0e0e0e-0000-4000-8000-' || lpad(op::text, 12, '0'))::uuid,
       case when stage_pick >= 0.3 then ('0e0e0e0e-0000-4000-8000-' || lpad((100 + judge)::text, 12, '0'))::uuid end,
       case when stage_pick >= 0.3 then ('0d0d0d0d-0000-4000-8000-' || lpad((judge / 6)::text, 12, '0'))::uuid end,
       case when stage_pick >= 0.3 then created_at + interval '10 minutes' end,
       case when stage_pick >= 0.3 then created_at + interval '3 days' end,
       case when stage_pick >= 0.3 and created_at < '${now.toISOString()}'::timestamptz - interval '8 days' then created_at + interval '2 days' end,
       stage_pick < 0.3,
       case when created_at < '${now.toISOString()}'::timestamptz - interval '8 days' or stage_pick < 0.3 then created_at + interval '4 days' end,
       created_at, created_at + interval '1 hour' * (r2 * 96)
     from (select *, r1 as stage_pick from bench_w) w`,
    `drop table bench_w`,
  ];
}

/** The rows, with the tickets' indexes dropped first and built after them (as a restore does: many times faster). */
async function generate(db: Db): Promise<void> {
  const indexes = (await db.execute(sql`select indexname, indexdef from pg_indexes where schemaname = 'tickets' and tablename = 'tickets'
      and indexname not in ('tickets_pkey', 'tickets_number_unique')`)).rows as { indexname: string; indexdef: string }[];
  for (const i of indexes) await db.execute(sql.raw(`drop index tickets.${i.indexname}`));
  for (const statement of generationSql(count)) await db.execute(sql.raw(statement));
  for (const i of indexes) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local maintenance_work_mem = '256MB'`);
      await tx.execute(sql.raw(i.indexdef));
    });
  }
}

type Scenario = { name: string; actor: Actor; query: Record<string, string> };

/** BENCH_REUSE=1 (with BENCH_KEEP=1 on the run before): time again on the database a kept run left, after any new migration. */
const reuse = process.env.BENCH_REUSE === '1' && (await adminQuery(`select 1 from pg_database where datname = '${dbName}'`)).rowCount === 1;
if (!reuse) {
  await adminQuery(`drop database if exists ${dbName} with (force)`);
  await adminQuery(`create database ${dbName}`);
}
const database = await openDatabase({ url: databaseUrl(dbName), poolSize: 4, dataDir: '', logger });
try {
  await database.migrate();
  const db = database.db;
  await seedReferenceData(db);
  const t0 = performance.now();
  if (!reuse) await generate(db);
  await db.execute(sql`vacuum analyze tickets.tickets`);
  const generatedIn = (performance.now() - t0) / 1000;
  const indexCount = ((await db.execute(sql`select count(*)::int as n from pg_indexes where schemaname = 'tickets' and tablename = 'tickets'`)).rows[0] as { n: number }).n;
  const user = (n: number) => `0e0e0e0e-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const department = (n: number) => `0d0d0d0d-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const manager: Actor = { userId: user(300), role: 'manager', courtId, departmentId: null };
  const operator: Actor = { userId: user(7), role: 'operator', courtId, departmentId: null };
  const head: Actor = { userId: user(203), role: 'department_head', courtId, departmentId: department(3) };
  const ctx: TicketContext = { db, clock: { now: () => now }, logger, chase: defaultChaseSettings, onCommit: () => undefined };
  const caller = ((await db.execute(sql`select caller_number as caller from tickets.tickets where court_id = ${courtId} limit 1 offset 1000`)).rows as { caller: string }[])[0]!.caller;
  const scenarios: Scenario[] = [
    { name: 'manager: the court, by deadline (the default)', actor: manager, query: {} },
    { name: 'manager: overdue', actor: manager, query: { due: 'overdue' } },
    { name: 'manager: due within a working day', actor: manager, query: { due: 'due_soon' } },
    { name: 'manager: handoff + chase, by deadline', actor: manager, query: { stage: 'handoff,chase' } },
    { name: 'manager: newest first, page 5', actor: manager, query: { sort: 'created', dir: 'desc', page: '5' } },
    { name: 'manager: last updated first', actor: manager, query: { sort: 'updated', dir: 'desc' } },
    { name: 'manager: one month, newest first', actor: manager, query: { createdFrom: '2026-10-01', createdTo: '2026-10-31', sort: 'created', dir: 'desc' } },
    { name: 'manager: a department, complaints', actor: manager, query: { departmentId: department(5), category: 'complaint' } },
    { name: 'manager: text 执行款', actor: manager, query: { q: '执行款' } },
    { name: 'manager: text 要求法官回电, open only', actor: manager, query: { q: '要求法官回电', stage: 'handoff,chase,feedback' } },
    { name: 'manager: a caller number', actor: manager, query: { callerNumber: caller } },
    { name: 'manager: a case number (part)', actor: manager, query: { caseNumber: '民初1234' } },
    { name: 'operator: mine, newest first', actor: operator, query: { scope: 'mine', sort: 'created', dir: 'desc' } },
    { name: 'operator: the court, overdue', actor: operator, query: { due: 'overdue' } },
    { name: 'department head: my department, by deadline', actor: head, query: {} },
    { name: 'department head: my department, overdue', actor: head, query: { due: 'overdue' } },
  ];
  const baselineQuery = sql`select * from tickets.tickets where court_id = ${courtId} order by created_at desc limit 50`;
  const time = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  const note = await machineLoadNote();
  // Warm the cache once for each, as a court's server would be.
  for (const s of scenarios) await worklistPage(ctx, s.actor, worklistQuerySchema.parse(s.query));
  await db.execute(baselineQuery);
  const baseline: number[] = [];
  const results = scenarios.map((s) => ({ ...s, times: [] as number[], total: 0 }));
  for (let i = 0; i < runs; i++) {
    baseline.push(await time(() => db.execute(baselineQuery)));
    for (const r of results) {
      const parsed = worklistQuerySchema.parse(r.query);
      r.times.push(await time(async () => (r.total = (await worklistPage(ctx, r.actor, parsed)).total)));
    }
  }
  const b95 = quantile(baseline, 0.95);
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const lines = results.map((r) => {
    const p95 = quantile(r.times, 0.95);
    return `| ${r.name} | ${r.total >= worklistTotalCap ? `${worklistTotalCap.toLocaleString('en')}+` : r.total.toLocaleString('en')} | ${ms(quantile(r.times, 0.5))} | ${p95 <= 200 ? ms(p95) : `**${ms(p95)}**`} | ${(p95 / b95).toFixed(1)}× |`;
  });
  const worst = Math.max(...results.map((r) => quantile(r.times, 0.95)));
  const body = `### The work list over ${count.toLocaleString('en')} tickets

\`BENCH_TICKETS=${count} npx tsx bench/worklist.ts\`, ${new Date().toISOString().slice(0, 10)}, this machine (${note}); ${reuse ? `the database of an earlier run reused (BENCH_REUSE=1), analysed in ${generatedIn.toFixed(0)} s` : `data generated and indexed (${indexCount} indexes on the tickets, built after the rows) in ${generatedIn.toFixed(0)} s`}.
GET /api/tickets's query as served (worklistPage: a page of 20 rows with names and calls, and the count up to ${worklistTotalCap.toLocaleString('en')}),
${runs} runs of each, interleaved with the baseline \`select * from tickets.tickets where court_id = $1 order by created_at desc limit 50\`
(p50 ${ms(quantile(baseline, 0.5))}, p95 ${ms(b95)}). Target: p95 ≤ 200 ms; worst p95 here ${ms(worst)} (${worst <= 200 ? 'met' : '**not met**'}).

| query | matching | p50 | p95 | p95 / baseline p95 |
|---|---|---|---|---|
${lines.join('\n')}`;
  if (process.env.BENCH_WRITE !== '0') writePerformanceSection(`worklist-${count}`, body);
  console.log(body);
} finally {
  await database.close();
  if (!keep) await adminQuery(`drop database if exists ${dbName} with (force)`);
}
