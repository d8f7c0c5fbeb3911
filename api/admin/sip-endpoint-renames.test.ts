import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../platform/directory.sql.ts';
import { sipEndpointRenames } from '../../platform/sip-endpoint-renames.sql.ts';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../testing/fixtures.ts';
import { reportSipEndpointRenames } from './sip-endpoint-renames.ts';

/** Issue 19: endpoints shared before they were unique are renamed by the migration; this says which users to fix. */
const api = await useApi({ HOTLINE_SIGN_IN_RATE_LIMIT: '1000' });
let a: SeededCourt;
let b: SeededCourt;

beforeAll(async () => {
  a = await seedCourt(api.deps.db);
  b = await seedCourt(api.deps.db);
  const [op] = await api.deps.db.select().from(users).where(eq(users.id, a.users.operator.id));
  // As the migration leaves it: the user renamed, the rename listed.
  await api.deps.db.update(users).set({ sipEndpoint: `${op!.sipEndpoint}-abcdef01` }).where(eq(users.id, op!.id));
  await api.deps.db.insert(sipEndpointRenames).values({ userId: op!.id, courtId: a.courtId, fromEndpoint: 'op1001', toEndpoint: `${op!.sipEndpoint}-abcdef01` });
});

describe('softphone endpoints renamed by the upgrade', () => {
  it('the start-up check logs each unconfirmed rename at error, naming the user', async () => {
    const lines: Array<{ level: number; username: string; from: string; msg: string }> = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
    expect(await reportSipEndpointRenames(api.deps.db, logger)).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, username: a.users.operator.username, from: 'op1001' });
    expect(lines[0]!.msg).toContain('PATCH /api/users');
  });

  it('shows them to their court’s admin only, until an admin sets the endpoint', async () => {
    const adminA = await sessionCookieFor(api.deps.db, a.users.admin.id);
    const adminB = await sessionCookieFor(api.deps.db, b.users.admin.id);
    const listed = await call(api.url, 'GET', '/api/users/sip-endpoint-renames', { cookie: adminA });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([expect.objectContaining({ userId: a.users.operator.id, username: a.users.operator.username, fromEndpoint: 'op1001' })]);
    expect((await call(api.url, 'GET', '/api/users/sip-endpoint-renames', { cookie: adminB })).body).toEqual([]);
    const keep = listed.body[0].toEndpoint as string;
    expect((await call(api.url, 'PATCH', `/api/users/${a.users.operator.id}`, { cookie: adminA, body: { sipEndpoint: keep } })).status).toBe(200);
    expect((await call(api.url, 'GET', '/api/users/sip-endpoint-renames', { cookie: adminA })).body).toEqual([]);
    expect(await reportSipEndpointRenames(api.deps.db, pino({ level: 'silent' }))).toBe(0);
  });
});
