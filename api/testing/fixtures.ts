/** Test support for api tests: a hotline on its own database and Redis prefix, a seeded court, sessions, an HTTP client. */
import { randomBytes } from 'node:crypto';
import { courts } from '../../platform/courts.sql.ts';
import type { Db } from '../../platform/db/client.ts';
import { departments, users } from '../../platform/directory.sql.ts';
import type { UserRole } from '../../platform/user-roles.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import { useHotline } from '../../test/harness/hotline.ts';
import { useRedisPrefix } from '../../test/harness/redis.ts';
import type { Hotline } from '../../hotline.ts';
import { credentials } from '../auth/auth.sql.ts';
import { hashPassword } from '../auth/passwords.ts';
import { SessionStore } from '../auth/session-store.ts';
import { sessionCookie } from '../http/access.ts';

export async function useApi(env: Record<string, string> = {}): Promise<Hotline & { prefix: string }> {
  const databaseUrl = await useTestDatabase();
  const prefix = useRedisPrefix();
  const hotline = await useHotline({ DATABASE_URL: databaseUrl, REDIS_PREFIX: prefix, HOTLINE_ROLES: 'api', ...env });
  return Object.assign(hotline, { prefix });
}

export type SeededUser = { id: string; username: string; role: UserRole; departmentId: string | null };
export interface SeededCourt {
  courtId: string;
  departmentIds: [string, string];
  users: Record<'operator' | 'judge' | 'department_head' | 'manager' | 'admin' | 'otherJudge', SeededUser>;
}

export const testPassword = 'correct horse battery';

/** A court with two departments and one user per role (plus a judge of the other department); all share `testPassword`. */
export async function seedCourt(db: Db, code = `C${randomBytes(3).toString('hex')}`): Promise<SeededCourt> {
  const [court] = await db.insert(courts).values({ code, name: `${code} 人民法院` }).returning();
  const [a, b] = await db
    .insert(departments)
    .values([
      { courtId: court!.id, name: '立案庭', extension: '8001' },
      { courtId: court!.id, name: '执行局', extension: '010-62345678' },
    ])
    .returning();
  const spec: Array<[keyof SeededCourt['users'], UserRole, string | null]> = [
    ['operator', 'operator', null],
    ['judge', 'judge', a!.id],
    ['department_head', 'department_head', a!.id],
    ['manager', 'manager', null],
    ['admin', 'admin', null],
    ['otherJudge', 'judge', b!.id],
  ];
  const rows = await db
    .insert(users)
    .values(
      spec.map(([key, role, departmentId]) => ({
        courtId: court!.id,
        username: `${code.toLowerCase()}-${key}`,
        displayName: `${key} 用户`,
        role,
        departmentId,
        sipEndpoint: role === 'operator' ? `op${code}` : null,
        extension: role === 'judge' ? '13812345678' : null,
      })),
    )
    .returning();
  const passwordHash = await hashPassword(testPassword);
  await db.insert(credentials).values(rows.map((row) => ({ userId: row.id, passwordHash })));
  const byKey = Object.fromEntries(spec.map(([key], i) => [key, { id: rows[i]!.id, username: rows[i]!.username, role: rows[i]!.role, departmentId: rows[i]!.departmentId }]));
  return { courtId: court!.id, departmentIds: [a!.id, b!.id], users: byKey as SeededCourt['users'] };
}

/** A session cookie for a user, created the way sign-in does (without the password round). */
export async function sessionCookieFor(db: Db, userId: string): Promise<string> {
  const { token } = await new SessionStore(db, { ttlMinutes: 60 }).create(userId, '127.0.0.1');
  return `${sessionCookie}=${token}`;
}

export interface CallResult {
  status: number;
  body: any;
  headers: Headers;
}

/** One HTTP request; `body` objects are sent as JSON, strings as they are. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { cookie?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** Signs in over HTTP the way a console does; answers the session cookie (`hotline_session=…`) to send back. */
export async function signIn(baseUrl: string, username: string, password = testPassword): Promise<string> {
  const result = await call(baseUrl, 'POST', '/api/auth/sign-in', { body: { username, password } });
  const cookie = (result.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (result.status !== 200 || !cookie.startsWith(`${sessionCookie}=`)) throw new Error(`sign-in of ${username} failed: ${result.status} ${JSON.stringify(result.body)}`);
  return cookie;
}
