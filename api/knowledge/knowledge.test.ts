import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courts } from '../../platform/courts.sql.ts';
import { openDatabase } from '../../platform/db/client.ts';
import { repoRoot } from '../../platform/db/migration-sets.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import { createLogger } from '../../platform/logger.ts';
import type { Actor } from '../../platform/user-roles.ts';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../testing/fixtures.ts';
import { knowledgeEntries } from './knowledge.sql.ts';
import { KnowledgeService } from './knowledge.service.ts';
import { seedEntries } from './seed-entries.ts';

const api = await useApi();
let court: SeededCourt;
let other: SeededCourt;
const cookie: Record<string, string> = {};

beforeAll(async () => {
  court = await seedCourt(api.deps.db);
  other = await seedCourt(api.deps.db);
  for (const key of ['admin', 'manager', 'operator', 'judge'] as const) cookie[key] = await sessionCookieFor(api.deps.db, court.users[key].id);
  cookie.otherAdmin = await sessionCookieFor(api.deps.db, other.users.admin.id);
});

/** The questions operators type, and the seed entry (by a word of its question) that must come first. */
const questions: Array<[string, string]> = [
  ['怎么预约阅卷', '预约阅卷'],
  ['执行线索往哪里交', '执行'],
  ['诉讼费能不能减免', '诉讼费'],
  ['网上能立案吗', '网上立案'],
  ['投诉多久有结果', '投诉'],
  ['找不到法官怎么办', '承办法官'],
];

describe('knowledge base over HTTP', () => {
  it('an admin imports the starter entries; importing again updates them instead of adding copies', async () => {
    const first = await call(api.url, 'POST', '/api/knowledge/import', { cookie: cookie.admin, body: { entries: seedEntries } });
    expect(first).toMatchObject({ status: 200, body: { created: seedEntries.length, updated: 0 } });
    const again = await call(api.url, 'POST', '/api/knowledge/import', { cookie: cookie.admin, body: { entries: seedEntries } });
    expect(again.body).toEqual({ created: 0, updated: seedEntries.length });
    const list = await call(api.url, 'GET', '/api/knowledge', { cookie: cookie.operator });
    expect(list.body).toHaveLength(seedEntries.length);
  });

  it.each(questions)('search "%s" puts the entry about %s first', async (q, expected) => {
    const result = await call(api.url, 'GET', `/api/knowledge/search?q=${encodeURIComponent(q)}`, { cookie: cookie.operator });
    expect(result.status).toBe(200);
    expect(result.body.length).toBeGreaterThan(0);
    expect(result.body[0].question).toContain(expected);
    const scores = result.body.map((h: { score: number }) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('finds nothing for a question about nothing in the base, and treats pattern characters as text', async () => {
    for (const q of ['天气预报', '%', '_', '\\']) {
      const result = await call(api.url, 'GET', `/api/knowledge/search?q=${encodeURIComponent(q)}`, { cookie: cookie.operator });
      expect(result, q).toMatchObject({ status: 200, body: [] });
    }
  });

  it('a manager adds, edits, deactivates and removes an entry; search follows each change', async () => {
    const created = await call(api.url, 'POST', '/api/knowledge', {
      cookie: cookie.manager,
      body: { category: 'enquiry', question: '法院几点上班？', answer: '工作日上午8:30至12:00，下午2:30至5:30。', keywords: ['上班时间', '办公时间', '上班时间'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.keywords).toEqual(['上班时间', '办公时间']);
    const search = async (q: string) => (await call(api.url, 'GET', `/api/knowledge/search?q=${encodeURIComponent(q)}`, { cookie: cookie.judge })).body.map((h: { id: string }) => h.id);
    expect(await search('办公时间')).toEqual([created.body.id]);

    const edited = await call(api.url, 'PATCH', `/api/knowledge/${created.body.id}`, { cookie: cookie.manager, body: { keywords: ['作息时间'] } });
    expect(edited.body.keywords).toEqual(['作息时间']);
    expect(await search('作息时间')).toEqual([created.body.id]);
    expect(await search('办公')).toEqual([]);

    await call(api.url, 'PATCH', `/api/knowledge/${created.body.id}`, { cookie: cookie.manager, body: { active: false } });
    expect(await search('作息时间')).toEqual([]);
    expect((await call(api.url, 'GET', '/api/knowledge?active=false', { cookie: cookie.manager })).body.map((e: { id: string }) => e.id)).toEqual([created.body.id]);

    expect((await call(api.url, 'DELETE', `/api/knowledge/${created.body.id}`, { cookie: cookie.manager })).status).toBe(204);
    expect((await call(api.url, 'GET', `/api/knowledge/${created.body.id}`, { cookie: cookie.manager })).status).toBe(404);
  });

  it('operators and judges read but do not write; another court neither sees nor changes the entries', async () => {
    const [entry] = (await call(api.url, 'GET', '/api/knowledge', { cookie: cookie.operator })).body;
    expect((await call(api.url, 'PATCH', `/api/knowledge/${entry.id}`, { cookie: cookie.operator, body: { active: false } })).status).toBe(403);
    expect((await call(api.url, 'POST', '/api/knowledge', { cookie: cookie.judge, body: { category: 'enquiry', question: 'q', answer: 'a' } })).status).toBe(403);
    expect((await call(api.url, 'GET', '/api/knowledge', { cookie: cookie.otherAdmin })).body).toEqual([]);
    expect((await call(api.url, 'GET', `/api/knowledge/search?q=${encodeURIComponent('预约阅卷')}`, { cookie: cookie.otherAdmin })).body).toEqual([]);
    expect((await call(api.url, 'PATCH', `/api/knowledge/${entry.id}`, { cookie: cookie.otherAdmin, body: { active: false } })).status).toBe(404);
    expect((await call(api.url, 'DELETE', `/api/knowledge/${entry.id}`, { cookie: cookie.otherAdmin })).status).toBe(404);
    expect((await call(api.url, 'GET', `/api/knowledge/${entry.id}`, { cookie: cookie.operator })).body.active).toBe(true);
  });

  it('refuses bad entries with the error shape', async () => {
    for (const body of [{ category: 'enquiry', question: '', answer: 'a' }, { category: '咨询', question: 'q', answer: 'a' }, { category: 'enquiry', question: 'q', answer: 'a', keywords: ['x'.repeat(40)] }, { category: 'enquiry', question: 'q\u0000', answer: 'a' }]) {
      const result = await call(api.url, 'POST', '/api/knowledge', { cookie: cookie.admin, body });
      expect(result.status).toBe(400);
      expect(result.body.code).toBe('invalid_input');
    }
  });
});

describe('knowledge base on the embedded PGlite database', () => {
  it('migrates, imports and searches the same way (no extension needed)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hotline-pglite-knowledge-'));
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
    const database = await openDatabase({ poolSize: 1, dataDir, logger: createLogger({ level: 'silent', pretty: false }) });
    try {
      await database.migrate();
      const [row] = await database.db.insert(courts).values({ code: 'J0811', name: '测试法院' }).returning();
      const service = new KnowledgeService(database.db);
      expect(await service.importEntries(row!.id, null, seedEntries)).toEqual({ created: seedEntries.length, updated: 0 });
      const actor: Actor = { userId: '00000000-0000-0000-0000-000000000000', role: 'operator', courtId: row!.id, departmentId: null };
      for (const [q, expected] of questions) expect((await service.search(actor, q, { limit: 5 }))[0]?.question, q).toContain(expected);
    } finally {
      await database.close();
    }
  }, 60_000);
});

describe('npm run knowledge:import', () => {
  it('loads the starter entries into a court named by its code, then a JSON file; refuses a bad file and an unknown court', async () => {
    const url = await useTestDatabase();
    const database = await openDatabase({ url, poolSize: 1, dataDir: '', logger: createLogger({ level: 'silent', pretty: false }) });
    afterAll(() => database.close());
    const [court] = await database.db.insert(courts).values({ code: 'J0811', name: '测试法院' }).returning();
    const run = (...args: string[]) =>
      promisify(execFile)(join(repoRoot, 'node_modules/.bin/tsx'), ['api/knowledge/import-cli.ts', ...args], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' } }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (err: { code: number; stderr: string }) => ({ code: err.code, out: err.stderr }),
      );

    expect(await run('--court-code', 'J0811')).toEqual({ code: 0, out: expect.stringContaining(`${seedEntries.length} entries added, 0 updated`) });
    expect(await run('--court-code', 'J0811')).toEqual({ code: 0, out: expect.stringContaining(`0 entries added, ${seedEntries.length} updated`) });
    const dir = mkdtempSync(join(tmpdir(), 'hotline-knowledge-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'entries.json');
    writeFileSync(file, JSON.stringify([{ category: 'enquiry', question: '法院地址在哪里？', answer: '请以法院官网公布的地址为准。', keywords: ['地址'] }]));
    expect((await run('--court-code', 'J0811', '--file', file)).code).toBe(0);
    const rows = await database.db.select().from(knowledgeEntries).where(eq(knowledgeEntries.courtId, court!.id));
    expect(rows).toHaveLength(seedEntries.length + 1);

    writeFileSync(file, JSON.stringify([{ category: 'enquiry', question: '', answer: 'x' }]));
    expect(await run('--court-code', 'J0811', '--file', file)).toEqual({ code: 1, out: expect.stringContaining('not valid') });
    expect(await run('--court-code', 'NOPE')).toEqual({ code: 1, out: expect.stringContaining('No court with code NOPE') });
    expect((await run()).code).toBe(2);
  }, 120_000);
});
