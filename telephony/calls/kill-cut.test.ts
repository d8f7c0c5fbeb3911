import { describe, expect, it } from 'vitest';
import { useTcpProxy } from '../../test/harness/tcp-proxy.ts';
import type { CallHandle } from '../ari-sim/index.ts';
import type { ControllerProcess } from '../test/controller-process.ts';
import { useKillableHotline } from '../test/killable-controller.ts';

// The controller is a real process whose PostgreSQL goes through a relay the test cuts. With PostgreSQL away,
// calls arrive, are answered, queue and hang up, and the controller is killed with SIGKILL (at a different moment
// each round: right after calls arrive, mid-answer, mid-hangup); PostgreSQL comes back and a new controller starts,
// four times. In the end every call has exactly one row, closed, with every event it went through.
let relay: Awaited<ReturnType<typeof useTcpProxy>> | undefined;
const h = await useKillableHotline({
  courtCode: 'K02',
  controllerDatabaseUrl: async (url) => {
    const u = new URL(url);
    relay = await useTcpProxy(u.hostname, Number(u.port || 5432));
    u.port = String(relay.port);
    return u.toString();
  },
});
const { sim, pgc, courtId, service, addOperators, callers } = h;
const cut = () => relay!.cut();
const restore = () => relay!.restore();
/** A controller that has reconciled with ARI (taken over what the last one left). */
async function startController(): Promise<ControllerProcess> {
  const controller = await h.startController();
  await controller.logged((l) => l.msg === 'reconciled calls with ARI', 60_000);
  return controller;
}

const bridged = (c: CallHandle) => sim.bridges().some((b) => b.channels.includes(c.channelId!) && b.channels.length === 2);

describe('a controller killed again and again while PostgreSQL is cut', () => {
  it('leaves exactly one closed row per call, with every event, once both are back', async () => {
    let controller = await startController();
    // Enough for every caller: a controller that takes over callers in the menu puts them in the queue.
    await addOperators(24);
    const before = await callers(4, '0');
    await expect.poll(() => before.filter(bridged).length, { timeout: 30_000 }).toBe(4);

    const all = [...before];
    const talked = [...before];
    // Each round: PostgreSQL is cut under a running controller, calls happen, and the controller is killed at a
    // different moment; PostgreSQL comes back before the next controller starts (a controller migrates at start).
    const round = async (work: () => Promise<void>) => {
      await cut();
      await work();
      await controller.kill();
      await restore();
      controller = await startController();
    };
    // 1: callers reach an operator with PostgreSQL away; killed at once.
    const r1: CallHandle[] = [];
    await round(async () => {
      r1.push(...(await callers(4, '0')));
      await expect.poll(() => r1.filter(bridged).length, { timeout: 30_000 }).toBe(4);
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
    await expect.poll(() => r3.filter(bridged).length, { timeout: 30_000 }).toBe(4).catch(async (err) => {
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
