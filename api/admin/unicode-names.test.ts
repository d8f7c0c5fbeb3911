import { beforeAll, describe, expect, it } from 'vitest';
import { call, seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../testing/fixtures.ts';

const api = await useApi();
let court: SeededCourt;
let admin: string;
beforeAll(async () => {
  court = await seedCourt(api.deps.db);
  admin = await sessionCookieFor(api.deps.db, court.users.admin.id);
});

describe('names accept any printable Unicode over HTTP', () => {
  it('a user’s display name and a department’s name with ZWJ-joined emoji are stored as sent', async () => {
    const user = await call(api.url, 'POST', '/api/users', { cookie: admin, body: { username: 'zwj-user', displayName: '李四 👩‍💻', role: 'judge', password: 'a long password' } });
    expect(user.status).toBe(201);
    expect(user.body.displayName).toBe('李四 👩‍💻');
    const renamed = await call(api.url, 'PATCH', `/api/users/${user.body.id}`, { cookie: admin, body: { displayName: '👨‍👩‍👧 王五 🏴󠁧󠁢󠁳󠁣󠁴󠁿' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.displayName).toBe('👨‍👩‍👧 王五 🏴󠁧󠁢󠁳󠁣󠁴󠁿');
    const department = await call(api.url, 'POST', '/api/departments', { cookie: admin, body: { name: '立案庭 👩‍⚖️' } });
    expect(department.status).toBe(201);
    expect(department.body.name).toBe('立案庭 👩‍⚖️');
  });

  it('still refuses a bidi override and a zero-width space in a name', async () => {
    for (const name of ['abc\u202Edcba', 'a\u200Bb']) {
      const res = await call(api.url, 'POST', '/api/departments', { cookie: admin, body: { name } });
      expect(res.status, JSON.stringify(name)).toBe(400);
    }
  });
});
