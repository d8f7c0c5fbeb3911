import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleSocket } from '../testing/console-socket.ts';
import { seedCourt, sessionCookieFor, useApi, type SeededCourt } from '../testing/fixtures.ts';

const api = await useApi({ HOTLINE_ALLOWED_ORIGINS: 'https://hotline.court.example' });
let court: SeededCourt;
const sockets: ConsoleSocket[] = [];
afterAll(() => sockets.forEach((s) => s.close()));
beforeAll(async () => {
  court = await seedCourt(api.deps.db);
});

const open = async (origin: string | null) => {
  const socket = await ConsoleSocket.open(api.url, await sessionCookieFor(api.deps.db, court.users.operator.id), undefined, origin);
  sockets.push(socket);
  return socket;
};

describe('the realtime websocket checks Origin (cross-site websocket hijacking)', () => {
  it('opens from the console’s own origin and from one configured in HOTLINE_ALLOWED_ORIGINS', async () => {
    await (await open(new URL(api.url).origin)).next((m) => m.type === 'hello');
    await (await open('https://hotline.court.example')).next((m) => m.type === 'hello');
  });

  it('refuses another site’s page, a null origin and a missing one, even with a valid session cookie', async () => {
    await expect(open('https://evil.example')).rejects.toThrow('HTTP 403');
    await expect(open(`http://127.0.0.1:${Number(new URL(api.url).port) + 1}`)).rejects.toThrow('HTTP 403');
    await expect(open('null')).rejects.toThrow('HTTP 403');
    await expect(open(null)).rejects.toThrow('HTTP 403');
  });
});
