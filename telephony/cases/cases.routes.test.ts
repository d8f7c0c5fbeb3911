import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../../api/testing/fixtures.ts';
import { afterFile } from '../../test/harness/after-file.ts';
import { caseSourcesQueue } from './register.ts';

/** Issue 21: the case list's dry run and the case system as an HTTP source, over real HTTP both ways. */
const api = await useApi({ HOTLINE_ROLES: 'api,workers', HOTLINE_SIP_PASSWORD_SECRET: 'case-source-test-secret-012' });
const token = 'case-system-token-7f3a9c';
let court: SeededCourt;
let admin: string;
let judge: string;

// The court's case system: JSON behind a bearer token, CSV, an error, bad rows.
let served: { status: number; type: string; body: string } = { status: 200, type: 'application/json', body: '[]' };
const requests: { url: string; authorization: string | undefined }[] = [];
const caseSystem = createServer((req: IncomingMessage, res: ServerResponse) => {
  requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
  if (req.url === '/secure' && req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401).end('no');
  res.writeHead(served.status, { 'content-type': served.type }).end(served.body);
});
await new Promise<void>((resolve) => caseSystem.listen(0, '127.0.0.1', resolve));
const systemUrl = `http://127.0.0.1:${(caseSystem.address() as AddressInfo).port}`;
afterFile(() => new Promise<void>((resolve) => caseSystem.close(() => resolve())));

const cases = async () =>
  (await api.deps.db.execute<{ case_number: string }>(sql`select case_number from telephony.case_directory where court_id = ${court.courtId} order by case_number`)).rows.map((r) => r.case_number);
const source = async () => (await call(api.url, 'GET', '/api/telephony/case-source', { cookie: admin })).body.source;

beforeAll(async () => {
  court = await seedCourt(api.deps.db);
  admin = await sessionCookieFor(api.deps.db, court.users.admin.id);
  judge = court.users.judge.username;
});

describe('case list: CSV dry run', () => {
  it('names every row’s problem with its row, column and both languages, writing nothing', async () => {
    const csv = `案号,承办法官账号,承办部门\n（2024）豫0811民初1234号,${judge},\n不是案号,${judge},\n（2024）豫0811民初77号,nobody,\n（2024）豫0811民初88号,,\n`;
    const res = await call(api.url, 'POST', '/api/telephony/case-directory/preview', { cookie: admin, body: { csv } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 4, created: 0, updated: 0 });
    expect(res.body.problems).toEqual([
      { row: 3, column: 'case_number', messageZh: expect.stringContaining('不是有效的案号'), messageEn: expect.stringContaining('is not a case number') },
      { row: 4, column: 'judge_username', messageZh: '本院没有账号为“nobody”的法官或庭长', messageEn: 'no judge or head with username "nobody" in this court' },
      { row: 5, column: null, messageZh: '须填写承办法官账号或承办部门（或两者）', messageEn: 'name a judge, a department or both' },
    ]);
    expect(await cases()).toEqual([]);
    // The import refuses the same file in both languages, and nothing lands.
    const refused = await call(api.url, 'POST', '/api/telephony/case-directory/import', { cookie: admin, body: { csv } });
    expect(refused).toMatchObject({ status: 400, body: { code: 'case_import_invalid' } });
    expect(refused.body.message_zh).toContain('第 4 行，承办法官账号：本院没有账号为“nobody”的法官或庭长');
    expect(refused.body.message).toContain('row 4, judge_username: no judge');
    expect(await cases()).toEqual([]);
    const header = await call(api.url, 'POST', '/api/telephony/case-directory/preview', { cookie: admin, body: { csv: 'foo,bar\n1,2\n' } });
    expect(header.body.problems).toEqual([{ row: null, column: null, messageZh: '缺少列：案号 或 case_number', messageEn: 'a column named 案号 or case_number is required' }]);
  });

  it('counts new, changed and unchanged cases before the import, and the import writes exactly that', async () => {
    const csv = `案号,承办法官账号,承办部门\n（2024）豫0811民初1234号,${judge},\n（2025）豫0811执9号,,立案庭\n`;
    expect((await call(api.url, 'POST', '/api/telephony/case-directory/preview', { cookie: admin, body: { csv } })).body).toEqual({ total: 2, created: 2, updated: 0, unchanged: 0, problems: [] });
    expect(await cases()).toEqual([]);
    expect((await call(api.url, 'POST', '/api/telephony/case-directory/import', { cookie: admin, body: { csv } })).body).toEqual({ imported: 2, created: 2, updated: 0 });
    const next = `case_number,judge_username,department\n（2024）豫0811民初1234号,,执行局\n（2025）豫0811执9号,,立案庭\n（2026）豫0811民初1号,${judge},\n`;
    expect((await call(api.url, 'POST', '/api/telephony/case-directory/preview', { cookie: admin, body: { csv: next } })).body).toEqual({ total: 3, created: 1, updated: 1, unchanged: 1, problems: [] });
    expect(await cases()).toHaveLength(2);
  });
});

describe('case list: the case system as an HTTP source', () => {
  it('keeps the token sealed and never returns it; syncs JSON now; a failed fetch changes nothing and is shown', async () => {
    expect(await source()).toBeNull();
    const set = await call(api.url, 'PUT', '/api/telephony/case-source', { cookie: admin, body: { url: `${systemUrl}/secure?key=abc`, token, everyMinutes: 30 } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ url: `${systemUrl}/secure?key=abc`, hasToken: true, everyMinutes: 30, lastSyncAt: null });
    expect(JSON.stringify(set.body)).not.toContain(token);
    const stored = (await api.deps.db.execute<{ token_sealed: string }>(sql`select token_sealed from telephony.case_sources where court_id = ${court.courtId}`)).rows[0]!;
    expect(stored.token_sealed).toMatch(/^v1\./);
    expect(stored.token_sealed).not.toContain(token);

    served = { status: 200, type: 'application/json', body: JSON.stringify({ cases: [{ 案号: '（2026）豫0811民初2号', 承办法官账号: judge }, { case_number: '（2026）豫0811民初3号', department: '立案庭' }] }) };
    const synced = await call(api.url, 'POST', '/api/telephony/case-source/sync', { cookie: admin });
    expect(synced.status).toBe(200);
    expect(synced.body).toMatchObject({ result: 'ok', total: 2, created: 2, updated: 0, error: null, source: { lastResult: 'ok', lastTrigger: 'manual', lastTotal: 2, lastCreated: 2 } });
    expect(requests.at(-1)).toEqual({ url: '/secure?key=abc', authorization: `Bearer ${token}` });
    expect(await cases()).toContain('（2026）豫0811民初2号');
    const before = await cases();

    // Bad rows: nothing imported, every problem named.
    served = { status: 200, type: 'application/json', body: JSON.stringify([{ 案号: '（2026）豫0811民初4号', 承办法官账号: judge }, { 案号: 'x', 承办法官账号: judge }]) };
    const bad = await call(api.url, 'POST', '/api/telephony/case-source/sync', { cookie: admin });
    expect(bad.body).toMatchObject({ result: 'failed', source: { lastResult: 'failed', lastTotal: null } });
    expect(bad.body.error).toContain('row 2, case_number');
    expect(bad.body.errorZh).toContain('第 2 行，案号');
    expect(await cases()).toEqual(before);

    // An HTTP error, then the token removed (refused by the system), then nothing answering.
    served = { status: 503, type: 'text/plain', body: 'down' };
    expect((await call(api.url, 'POST', '/api/telephony/case-source/sync', { cookie: admin })).body).toMatchObject({ result: 'failed', error: 'the case system answered HTTP 503', errorZh: '案件系统返回 HTTP 503' });
    await call(api.url, 'PUT', '/api/telephony/case-source', { cookie: admin, body: { url: `${systemUrl}/secure`, token: null } });
    expect((await call(api.url, 'POST', '/api/telephony/case-source/sync', { cookie: admin })).body).toMatchObject({ result: 'failed', error: 'the case system answered HTTP 401' });
    await call(api.url, 'PUT', '/api/telephony/case-source', { cookie: admin, body: { url: 'http://127.0.0.1:9/cases' } });
    const away = await call(api.url, 'POST', '/api/telephony/case-source/sync', { cookie: admin });
    expect(away.body.result).toBe('failed');
    expect(away.body.error).toContain('did not answer');
    expect((await source()).lastError).toContain('did not answer');
    expect(await cases()).toEqual(before);

    const entries = await api.deps.db.execute<{ detail: { change: string; result?: string; url?: string; token?: string } }>(
      sql`select detail from api.audit_log where court_id = ${court.courtId} and detail->>'change' like 'case_source.%' order by id`,
    );
    expect(entries.rows.map((r) => [r.detail.change, r.detail.result ?? r.detail.token])).toEqual([
      ['case_source.set', 'set'],
      ['case_source.synced', 'ok'],
      ['case_source.synced', 'failed'],
      ['case_source.synced', 'failed'],
      ['case_source.set', 'removed'],
      ['case_source.synced', 'failed'],
      ['case_source.set', 'kept'],
      ['case_source.synced', 'failed'],
    ]);
    expect(JSON.stringify(entries.rows)).not.toContain('key=abc');
    expect(JSON.stringify(entries.rows)).not.toContain(token);
  });

  it('a kept token never follows the address to another server, and a hostile body’s values are cut short', async () => {
    const put = (body: object) => call(api.url, 'PUT', '/api/telephony/case-source', { cookie: admin, body });
    expect((await put({ url: `${systemUrl}/secure`, token })).status).toBe(200);
    const before = await source();
    // Another origin with the token left out: refused, nothing changed, nothing fetched.
    const moved = await put({ url: 'http://127.0.0.1:9/steal', everyMinutes: 20 });
    expect(moved).toMatchObject({ status: 409, body: { code: 'token_required', message_zh: expect.stringContaining('令牌') } });
    expect(moved.body.message).toContain('token');
    expect(await source()).toEqual(before);
    // The same origin keeps it; another origin with token: null drops it.
    expect((await put({ url: `${systemUrl}/secure?page=1` })).body).toMatchObject({ hasToken: true, url: `${systemUrl}/secure?page=1` });
    expect((await put({ url: 'http://127.0.0.1:9/cases', token: null })).body).toMatchObject({ hasToken: false, url: 'http://127.0.0.1:9/cases' });

    // A body whose bad value is 5,000 characters: the problem is named, its echo capped.
    await put({ url: `${systemUrl}/long`, token: null });
    served = { status: 200, type: 'application/json', body: JSON.stringify([{ 案号: '（2026）豫0811民初9号', 承办法官账号: 'z'.repeat(5000) }]) };
    const bad = (await call(api.url, 'POST', '/api/telephony/case-source/sync', { cookie: admin })).body;
    expect(bad).toMatchObject({ result: 'failed' });
    expect(bad.error).toContain('row 1, judge_username');
    expect(bad.error.length).toBeLessThan(400);
    expect(bad.errorZh.length).toBeLessThan(400);
  });

  it('two saves at once never leave a new origin with the old token: the origin check and the write are one locked step', async () => {
    const own = await seedCourt(api.deps.db);
    const first = await sessionCookieFor(api.deps.db, own.users.admin.id);
    const second = await sessionCookieFor(api.deps.db, own.users.admin.id);
    const put = (cookie: string, body: object) => call(api.url, 'PUT', '/api/telephony/case-source', { cookie, body });
    const stored = async () =>
      (await api.deps.db.execute<{ url: string; token_sealed: string | null }>(sql`select url, token_sealed from telephony.case_sources where court_id = ${own.courtId}`)).rows[0]!;
    const elsewhere = 'http://127.0.0.1:9/cases';

    // Deterministic: while the row is locked, the first admin's save (same origin, token kept) waits; the second
    // admin's save moves the source to another origin with its own token and commits. The first must then be refused.
    expect((await put(first, { url: `${systemUrl}/secure`, token })).status).toBe(200);
    let waiting!: Promise<Awaited<ReturnType<typeof put>>>;
    await api.deps.db.transaction(async (tx) => {
      await tx.execute(sql`select 1 from telephony.case_sources where court_id = ${own.courtId} for update`);
      waiting = put(first, { url: `${systemUrl}/secure?page=2` });
      await expect
        .poll(async () => (await api.deps.db.execute(sql`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like '%case_sources%'`)).rows.length, { timeout: 5_000 })
        .toBeGreaterThan(0);
      await tx.execute(sql`update telephony.case_sources set url = ${elsewhere}, token_sealed = 'sealed-for-the-other-server' where court_id = ${own.courtId}`);
    });
    expect(await waiting).toMatchObject({ status: 409, body: { code: 'token_required' } });
    expect(await stored()).toEqual({ url: elsewhere, token_sealed: 'sealed-for-the-other-server' });

    // Two real saves at once, again and again (also from no row at all): whatever the order, the other origin ends with
    // its own token; the save that keeps the token on the first origin either ran first or was refused.
    for (let round = 0; round < 8; round++) {
      if (round % 2 === 0) await api.deps.db.execute(sql`delete from telephony.case_sources where court_id = ${own.courtId}`);
      else expect((await put(first, { url: `${systemUrl}/secure`, token })).status).toBe(200);
      const [keep, move] = await Promise.all([put(first, { url: `${systemUrl}/secure?page=${round}` }), put(second, { url: elsewhere, token: `other-token-${round}` })]);
      expect(move.status).toBe(200);
      expect([200, 409]).toContain(keep.status);
      if (keep.status === 409) expect(keep.body.code).toBe('token_required');
      const row = await stored();
      expect(row.url).toBe(elsewhere);
      const view = (await call(api.url, 'GET', '/api/telephony/case-source', { cookie: first })).body.source;
      expect(view).toMatchObject({ url: elsewhere, hasToken: true });
    }
  });

  it('the workers sync a due source on their schedule (CSV this time)', async () => {
    await call(api.url, 'PUT', '/api/telephony/case-source', { cookie: admin, body: { url: `${systemUrl}/cases.csv`, everyMinutes: 15 } });
    await api.deps.db.execute(sql`update telephony.case_sources set last_sync_at = now() - interval '16 minutes' where court_id = ${court.courtId}`);
    served = { status: 200, type: 'text/csv; charset=utf-8', body: `案号,承办法官账号,承办部门\n（2026）豫0811民初5号,${judge},\n` };
    const queue = api.deps.queues.queue(caseSourcesQueue);
    expect(await queue.getJobScheduler('case-sources-sync')).toMatchObject({ every: 300_000 });
    await queue.add('sync-due', {});
    await expect.poll(async () => (await source()).lastTrigger, { timeout: 10_000 }).toBe('schedule');
    expect(await source()).toMatchObject({ lastResult: 'ok', lastCreated: 1 });
    expect(await cases()).toContain('（2026）豫0811民初5号');
    const entries = await api.deps.db.execute<{ actor_user_id: string | null }>(sql`select actor_user_id from api.audit_log where court_id = ${court.courtId} and detail->>'trigger' = 'schedule'`);
    expect(entries.rows).toEqual([{ actor_user_id: null }]);
  });

  it('a court whose import breaks (a database error) is recorded failed, and the other courts still sync', async () => {
    const other = await seedCourt(api.deps.db);
    const otherAdmin = await sessionCookieFor(api.deps.db, other.users.admin.id);
    await call(api.url, 'PUT', '/api/telephony/case-source', { cookie: admin, body: { url: `${systemUrl}/cases.csv`, everyMinutes: 15 } });
    const otherCsv = `案号,承办法官账号,承办部门\n（2026）豫0811民初7号,${other.users.judge.username},\n`;
    await call(api.url, 'PUT', '/api/telephony/case-source', { cookie: otherAdmin, body: { url: `${systemUrl}/other.csv`, everyMinutes: 15 } });
    // This court last synced "ok"; a real PostgreSQL error now breaks its import.
    await api.deps.db.execute(sql`update telephony.case_sources set last_sync_at = now() - interval '16 minutes', last_result = 'ok' where court_id in (${court.courtId}, ${other.courtId})`);
    await api.deps.db.execute(sql.raw(`create function telephony.test_refuse_case() returns trigger language plpgsql as $$ begin raise exception 'disk on fire'; end $$;
      create trigger test_refuse_case before insert on telephony.case_directory for each row when (new.court_id = '${court.courtId}') execute function telephony.test_refuse_case();`));
    try {
      // Each court's own list, by path (the handler stays for the rest of the file: the later test fetches nothing).
      const byUrl = (url: string) => (url === '/other.csv' ? otherCsv : `案号,承办法官账号,承办部门\n（2026）豫0811民初6号,${judge},\n`);
      caseSystem.removeAllListeners('request');
      caseSystem.on('request', (req: IncomingMessage, res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/csv' }).end(byUrl(req.url ?? '')));
      await api.deps.queues.queue(caseSourcesQueue).add('sync-due', {});
      const otherSource = async () => (await call(api.url, 'GET', '/api/telephony/case-source', { cookie: otherAdmin })).body.source;
      await expect.poll(async () => (await source()).lastResult, { timeout: 10_000 }).toBe('failed');
      expect((await source()).lastError).toContain('disk on fire');
      expect((await source()).lastErrorZh).toContain('导入出错');
      await expect.poll(async () => (await otherSource()).lastResult, { timeout: 10_000 }).toBe('ok');
      expect(await otherSource()).toMatchObject({ lastTrigger: 'schedule', lastCreated: 1 });
      expect(await cases()).not.toContain('（2026）豫0811民初6号');
    } finally {
      await api.deps.db.execute(sql.raw('drop trigger test_refuse_case on telephony.case_directory; drop function telephony.test_refuse_case();'));
    }
  });

  it('refuses bad settings and other roles', async () => {
    expect((await call(api.url, 'PUT', '/api/telephony/case-source', { cookie: admin, body: { url: 'ftp://example.org/x' } })).status).toBe(400);
    expect((await call(api.url, 'PUT', '/api/telephony/case-source', { cookie: admin, body: { url: `${systemUrl}/x`, everyMinutes: 5 } })).status).toBe(400);
    const operator = await sessionCookieFor(api.deps.db, court.users.operator.id);
    expect((await call(api.url, 'GET', '/api/telephony/case-source', { cookie: operator })).status).toBe(403);
    expect((await call(api.url, 'POST', '/api/telephony/case-source/sync', { cookie: operator })).status).toBe(403);
    expect((await call(api.url, 'POST', '/api/telephony/case-directory/preview', { cookie: operator, body: { csv: 'a\n1\n' } })).status).toBe(403);
    expect((await call(api.url, 'DELETE', '/api/telephony/case-source', { cookie: admin })).status).toBe(204);
    expect(await source()).toBeNull();
    expect((await call(api.url, 'POST', '/api/telephony/case-source/sync', { cookie: admin })).status).toBe(404);
  });
});
