import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceOf } from '../../platform/deps.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import { useHotline } from '../../test/harness/hotline.ts';
import { useRedisPrefix } from '../../test/harness/redis.ts';
import { useTcpProxy } from '../../test/harness/tcp-proxy.ts';
import { startAriSim, type CallHandle } from '../ari-sim/index.ts';
import { ControllerProcess } from '../test/controller-process.ts';
import { promptSounds, soundsDir, until } from '../test/over-sim.ts';
import '../plugin.ts';

// The controller is a real process whose PostgreSQL goes through a relay the test cuts. With PostgreSQL away,
// calls arrive, are answered, queue and hang up, and the controller is killed with SIGKILL (at a different moment
// each round: right after calls arrive, mid-answer, mid-hangup); PostgreSQL comes back and a new controller starts,
// four times. In the end every call has exactly one row, closed, with every event it went through.
const sim = await startAriSim({ app: 'hotline12368', username: 'hotline', password: 'hotline', channelvars: ['HOTLINE_CALL_ID', 'COURT_ID'], sounds: promptSounds(60_000) });
afterAll(() => sim.stop());
const databaseUrl = await useTestDatabase();
const u = new URL(databaseUrl);
const relay = await useTcpProxy(u.hostname, Number(u.port || 5432));
u.port = String(relay.port);
const prefix = useRedisPrefix();
const dataDir = mkdtempSync(join(tmpdir(), 'hotline-kill-cut-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const pgc = new pg.Client({ connectionString: databaseUrl });
await pgc.connect();
afterAll(() => pgc.end());
const courtId = randomUUID();
await pgc.query(`insert into platform.courts (id, code, name) values ($1, 'K02', '测试法院')`, [courtId]);

// Presence is set through an API process on the direct database (operators' presence lives in Redis).
const api = await useHotline({ HOTLINE_ROLES: 'api', DATABASE_URL: databaseUrl, REDIS_PREFIX: prefix, HOTLINE_DATA_DIR: join(dataDir, 'api'), ARI_URL: sim.url });
const service = serviceOf(api.deps, 'telephony');
const controllerEnv = {
  DATABASE_URL: u.toString(),
  REDIS_PREFIX: prefix,
  HOTLINE_DATA_DIR: join(dataDir, 'controller'),
  ARI_URL: sim.url,
  ARI_USERNAME: 'hotline',
  ARI_PASSWORD: 'hotline',
  TELEPHONY_SOUNDS_DIR: soundsDir,
  TELEPHONY_RING_SECONDS: '5',
  TELEPHONY_MAX_WAIT_SECONDS: '600',
  TELEPHONY_WRAP_UP_SECONDS: '0',
  TELEPHONY_POSITION_FIRST_SECONDS: '600',
  TELEPHONY_MENU_TIMEOUT_SECONDS: '30',
};
const controllers: ControllerProcess[] = [];
afterAll(async () => {
  for (const c of controllers) await c.stop();
});
async function startController(): Promise<ControllerProcess> {
  const controller = await ControllerProcess.start(controllerEnv);
  controllers.push(controller);
  await until(() => sim.isConnected('hotline12368'), 30_000).catch((err: Error) => {
    throw new Error(`${err.message}: the controller logged ${JSON.stringify(controller.lines.slice(-8))}`);
  });
  await controller.logged((l) => l.msg === 'reconciled calls with ARI');
  return controller;
}

let endpointSeq = 0;
async function addOperators(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    const endpoint = `op8${String(++endpointSeq).padStart(3, '0')}`;
    await pgc.query(`insert into platform.users (id, court_id, username, display_name, role, sip_endpoint) values ($1, $2, $3, $4, 'operator', $5)`, [id, courtId, `c-${endpoint}`, `话务员${endpoint}`, endpoint]);
    sim.endpoint(endpoint).register().answerAfter(20);
    await service.setPresence(id, 'ready');
  }
}

const up = (c: CallHandle) => sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === c.channelId && e.channel.state === 'Up', { includePast: true, timeoutMs: 10_000 });
const bridged = (c: CallHandle) => sim.bridges().some((b) => b.channels.includes(c.channelId!) && b.channels.length === 2);
let callerSeq = 0;
async function callers(n: number, digits?: string): Promise<CallHandle[]> {
  const list: CallHandle[] = [];
  for (let i = 0; i < n; i++) list.push(await sim.placeCall({ from: `1370000${String(++callerSeq).padStart(4, '0')}` }));
  for (const c of list) await up(c);
  if (digits) for (const c of list) await c.pressDigits(digits, { gapMs: 5 });
  return list;
}

describe('a controller killed again and again while PostgreSQL is cut', () => {
  it('leaves exactly one closed row per call, with every event, once both are back', async () => {
    let controller = await startController();
    // Enough for every caller: a controller that takes over callers in the menu puts them in the queue.
    await addOperators(24);
    const before = await callers(4, '0');
    await expect.poll(() => before.filter(bridged).length, { timeout: 10_000 }).toBe(4);

    const all = [...before];
    const talked = [...before];
    // Each round: PostgreSQL is cut under a running controller, calls happen, and the controller is killed at a
    // different moment; PostgreSQL comes back before the next controller starts (a controller migrates at start).
    const round = async (work: () => Promise<void>) => {
      await relay.cut();
      await work();
      await controller.kill();
      await relay.restore();
      controller = await startController();
    };
    // 1: callers reach an operator with PostgreSQL away; killed at once.
    const r1: CallHandle[] = [];
    await round(async () => {
      r1.push(...(await callers(4, '0')));
      await expect.poll(() => r1.filter(bridged).length, { timeout: 10_000 }).toBe(4);
    });
    all.push(...r1);
    talked.push(...r1);
    // 2: callers arrive and stay in the menu, two talking callers hang up; killed a few milliseconds after.
    await round(async () => {
      all.push(...(await callers(4)));
      before[0]!.hangup();
      r1[0]!.hangup();
      await new Promise((r) => setTimeout(r, 30));
    });
    // 3: callers queue for operators, killed mid-answer.
    const r3: CallHandle[] = [];
    await round(async () => {
      r3.push(...(await callers(4, '0')));
      await new Promise((r) => setTimeout(r, 10));
    });
    all.push(...r3);
    talked.push(...r3);
    // 4: killed right after calls arrive.
    await round(async () => {
      all.push(...(await callers(3)));
    });
    await expect.poll(() => r3.filter(bridged).length, { timeout: 15_000 }).toBe(4).catch(async (err) => {
      console.log(JSON.stringify(await service.queueSnapshot(courtId)), JSON.stringify(controller.lines.filter((l) => (l.level as number) >= 40 || /operator|ring|adopt|reconcil/.test(String(l.msg))).slice(-30)));
      throw err;
    });
    for (const c of all) if (c.state !== 'gone') c.hangup();

    const rowsOf = async () =>
      (await pgc.query<{ channel_id: string; n: number; open: number }>(`select channel_id, count(*)::int as n, count(*) filter (where outcome is null)::int as open from telephony.calls where court_id = $1 group by channel_id`, [courtId])).rows;
    await expect.poll(async () => (await rowsOf()).filter((r) => r.open === 0).length, { timeout: 30_000, interval: 200 }).toBe(all.length);
    const rows = await rowsOf();
    expect(rows.map((r) => r.channel_id).sort()).toEqual(all.map((c) => c.channelId).sort());
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);

    const events = (await pgc.query<{ channel_id: string; kinds: string[] }>(
      `select c.channel_id, array_agg(e.kind::text order by e.seq) as kinds from telephony.calls c join telephony.call_events e on e.call_id = c.id where c.court_id = $1 group by c.channel_id`,
      [courtId],
    )).rows;
    const kindsOf = new Map(events.map((e) => [e.channel_id, e.kinds]));
    for (const c of all) {
      const kinds = kindsOf.get(c.channelId!) ?? [];
      expect({ channel: c.channelId, arrived: kinds.filter((k) => k === 'arrived').length, hangup: kinds.filter((k) => k === 'hangup').length }).toEqual({ channel: c.channelId, arrived: 1, hangup: 1 });
    }
    for (const c of talked) expect({ channel: c.channelId, kinds: kindsOf.get(c.channelId!) }).toEqual({ channel: c.channelId, kinds: expect.arrayContaining(['queued', 'operator_rung', 'answered']) });
    // Nothing of the earlier runs is left unwritten in the log.
    expect(controller.lines.some((l) => l.msg === 'call rows were missing at their close: re-created from the close')).toBe(false);
  }, 180_000);
});
