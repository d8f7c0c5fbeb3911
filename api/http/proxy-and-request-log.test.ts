import { Writable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHotline, type Hotline } from '../../hotline.ts';
import { loadConfig } from '../../platform/config/load.ts';
import { createLogger } from '../../platform/logger.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import { testRedisUrl, useRedisPrefix } from '../../test/harness/redis.ts';
import { auditLog } from '../audit/audit.sql.ts';
import { call, seedCourt, sessionCookieFor, testPassword, type SeededCourt } from '../testing/fixtures.ts';

/** Two API processes on one database: one behind a trusted proxy (127.0.0.1), one trusting no proxy (the default). */
let trusting: Hotline;
let plain: Hotline;
let court: SeededCourt;
let databaseUrl: string;
const lines: Record<string, unknown>[] = [];

async function start(env: Record<string, string>, databaseUrl: string, log?: Writable): Promise<Hotline> {
  const config = loadConfig({
    env: { HOTLINE_PORT: '0', HOTLINE_ROLES: 'api', REDIS_URL: testRedisUrl, REDIS_AUTOSTART: 'false', DATABASE_URL: databaseUrl, REDIS_PREFIX: useRedisPrefix(), LOG_LEVEL: log ? 'debug' : 'silent', HOTLINE_SIGN_IN_RATE_LIMIT: '2', ...env },
    cwd: process.cwd(),
  });
  return startHotline(config, createLogger(config.log, log));
}

beforeAll(async () => {
  databaseUrl = await useTestDatabase();
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  trusting = await start({ HOTLINE_TRUST_PROXY: '127.0.0.1' }, databaseUrl, capture);
  plain = await start({}, databaseUrl);
  court = await seedCourt(trusting.deps.db);
});
afterAll(async () => {
  await trusting?.stop();
  await plain?.stop();
});

const signInAs = (server: Hotline, username: string, forwardedFor: string) =>
  call(server.url, 'POST', '/api/auth/sign-in', { body: { username, password: 'wrong password' }, headers: { 'x-forwarded-for': forwardedFor } });

describe('HOTLINE_TRUST_PROXY', () => {
  it('behind a trusted proxy, the forwarded client address is the one audited and rate-limited', async () => {
    const user = court.users.judge.username;
    expect((await signInAs(trusting, user, '203.0.113.7')).status).toBe(401);
    expect((await signInAs(trusting, user, '203.0.113.7')).status).toBe(401);
    expect((await signInAs(trusting, user, '203.0.113.7')).status).toBe(429);
    // Another client behind the same proxy has its own allowance.
    expect((await signInAs(trusting, user, '198.51.100.9')).status).toBe(401);
    const audited = await trusting.deps.db.select({ ip: auditLog.ip }).from(auditLog).where(and(eq(auditLog.action, 'sign_in.failed'), eq(auditLog.targetId, court.users.judge.id)));
    expect(new Set(audited.map((a) => a.ip))).toEqual(new Set(['203.0.113.7', '198.51.100.9']));
  });

  it('by default the header is ignored: every client is the socket address, and a forged header dodges nothing', async () => {
    const user = court.users.department_head.username;
    expect((await signInAs(plain, user, '203.0.113.50')).status).toBe(401);
    expect((await signInAs(plain, user, '203.0.113.51')).status).toBe(401);
    expect((await signInAs(plain, user, '203.0.113.52')).status).toBe(429);
    const audited = await plain.deps.db.select({ ip: auditLog.ip }).from(auditLog).where(and(eq(auditLog.action, 'sign_in.failed'), eq(auditLog.targetId, court.users.department_head.id)));
    expect(audited.map((a) => a.ip)).toEqual(['127.0.0.1', '127.0.0.1']);
  });

  it('accepts false, true, hop counts and address lists, and names the fix for a bad entry', () => {
    const parse = (value: string) => loadConfig({ env: { HOTLINE_TRUST_PROXY: value }, cwd: process.cwd() }).http.trustProxy;
    expect(loadConfig({ env: {}, cwd: process.cwd() }).http.trustProxy).toBe(false);
    expect(parse('off')).toBe(false);
    expect(parse('true')).toBe(true);
    expect(parse('2')).toBe(2);
    expect(parse('10.0.0.5, 192.168.0.0/16, ::1, loopback')).toEqual(['10.0.0.5', '192.168.0.0/16', '::1', 'loopback']);
    expect(() => parse('10.0.0.5,proxy.example')).toThrow(/HOTLINE_TRUST_PROXY/);
    expect(() => parse('10.0.0.0/33')).toThrow(/HOTLINE_TRUST_PROXY/);
  });
});

describe('the request log', () => {
  it('masks phone and ID numbers in URLs, on every route', async () => {
    const cookie = await sessionCookieFor(trusting.deps.db, court.users.operator.id);
    const history = await call(trusting.url, 'GET', '/api/telephony/callers/13812345678/history', { cookie });
    expect(history.status).toBe(200);
    await call(trusting.url, 'GET', '/api/no-such-route/110101199003071234?caller=%2B8613912345678&from=0391-2345678', { cookie });
    const logged = () => lines.filter((l) => l.msg === 'request completed').map((l) => String(l.url));
    await new Promise((r) => setTimeout(r, 50));
    expect(logged()).toContain('/api/telephony/callers/138****5678/history');
    expect(logged()).toContain('/api/no-such-route/110101********1234?caller=861****5678&from=039****5678');
    const everything = lines.map((l) => JSON.stringify(l)).join('\n');
    for (const personal of ['13812345678', '110101199003071234', '13912345678', '0391-2345678']) expect(everything).not.toContain(personal);
  });
});

describe('the session cookie behind TLS', () => {
  const signIn = (server: Hotline, forwardedFor: string) =>
    call(server.url, 'POST', '/api/auth/sign-in', {
      body: { username: court.users.manager.username, password: testPassword },
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': forwardedFor },
    });

  it('is Secure when a trusted proxy says the client came over HTTPS', async () => {
    const response = await signIn(trusting, '203.0.113.80');
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('ignores the header from anyone else: a plain-HTTP deployment does not mark its cookie Secure on a client’s say-so', async () => {
    const own = await start({ HOTLINE_SIGN_IN_RATE_LIMIT: '100' }, databaseUrl);
    try {
      const response = await signIn(own, '203.0.113.81');
      expect(response.status).toBe(200);
      expect(response.headers.get('set-cookie')).toMatch(/HttpOnly/);
      expect(response.headers.get('set-cookie')).not.toMatch(/Secure/);
    } finally {
      await own.stop();
    }
  });
});
