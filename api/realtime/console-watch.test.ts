import { describe, expect, it } from 'vitest';
import { LiveState } from '../../telephony/acd/live-state.ts';
import '../../telephony/plugin.ts';
import { ConsoleSocket } from '../testing/console-socket.ts';
import { call, seedCourt, signIn, useApi } from '../testing/fixtures.ts';

// A console that loses its websocket longer than HOTLINE_CONSOLE_PAUSE_AFTER_SECONDS goes paused (issue 19, item 7).
const api = await useApi({ HOTLINE_CONSOLE_PAUSE_AFTER_SECONDS: '1' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readyOperatorWithConsole() {
  const court = await seedCourt(api.deps.db);
  const cookie = await signIn(api.url, court.users.operator.username);
  expect((await call(api.url, 'PUT', '/api/presence/me', { cookie, body: { state: 'ready' } })).status).toBe(200);
  const socket = await ConsoleSocket.open(api.url, cookie);
  await socket.next((m) => m.type === 'hello');
  return { court, cookie, socket, userId: court.users.operator.id };
}

const presenceOf = async (cookie: string) => (await call(api.url, 'GET', '/api/presence/me', { cookie })).body;

describe('a console that loses its websocket', () => {
  it('is paused once the websocket has been gone longer than the setting', async () => {
    const { cookie, socket } = await readyOperatorWithConsole();
    socket.close();
    await socket.closed();
    await sleep(400);
    expect((await presenceOf(cookie)).state).toBe('ready');
    await sleep(1600);
    expect(await presenceOf(cookie)).toMatchObject({ state: 'paused', reason: 'console_lost' });
  });

  it('is left as it was when it reconnects within the setting', async () => {
    const { cookie, socket } = await readyOperatorWithConsole();
    socket.close();
    await socket.closed();
    await sleep(300);
    const again = await ConsoleSocket.open(api.url, cookie);
    await again.next((m) => m.type === 'hello');
    await sleep(2000);
    expect((await presenceOf(cookie)).state).toBe('ready');
    again.close();
  });

  it('keeps the operator ready while a second console of theirs stays connected', async () => {
    const { cookie, socket } = await readyOperatorWithConsole();
    const second = await ConsoleSocket.open(api.url, cookie);
    await second.next((m) => m.type === 'hello');
    socket.close();
    await sleep(2000);
    expect((await presenceOf(cookie)).state).toBe('ready');
    second.close();
  });

  it('leaves a call in hand alone, and pauses after it if the console is still gone', async () => {
    const { court, cookie, socket, userId } = await readyOperatorWithConsole();
    const live = new LiveState(api.deps.redis, api.prefix);
    expect(await live.claim(court.courtId, 'general', 'call-in-hand', Date.now(), Date.now() + 60_000)).toMatchObject({ userId });
    socket.close();
    await sleep(2000);
    expect((await presenceOf(cookie)).state).toBe('ringing');
    // The call ends (released back to ready): the watch, still waiting, pauses them.
    await live.transition(userId, ['ringing'], 'ready', { now: Date.now() });
    await sleep(1500);
    expect(await presenceOf(cookie)).toMatchObject({ state: 'paused', reason: 'console_lost' });
  });
});
