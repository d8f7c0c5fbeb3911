import { describe, expect, it } from 'vitest';
import { realAsteriskMissing } from './asterisk-instance.ts';
import { useKillRig, type KillRig } from './kill-rig.ts';

/**
 * The controller as a process of its own, SIGKILLed at several points while PostgreSQL is cut (through a relay),
 * on a real Asterisk 22 with sipp callers and operators' phones carrying audio. Calls are bridged, queued and in
 * the menu; while PostgreSQL is away calls arrive, are answered and hang up, and what the controller recorded is
 * only in its write-ahead log when it is killed; the next one (same data dir) starts once PostgreSQL is back.
 * Each call (by its channel) ends with exactly one row, closed, with its events; bridged calls keep their bridges
 * and their audio across every kill. Skipped like the rest of test/asterisk/ without asterisk and sipp.
 */
const missing = realAsteriskMissing();
if (missing) console.log(`test/asterisk/kill-pg-cut.test.ts skipped: ${missing}`);

describe.skipIf(missing !== undefined)('a controller process killed while PostgreSQL is cut, on a real Asterisk 22', async () => {
  const rig = missing ? (undefined as unknown as KillRig) : await useKillRig(['op6001', 'op6002', 'op6003', 'op6004', 'op6005', 'op6006']);
  /** Bridged: as many calls as operators, and `waiting` callers in the queue. */
  const settled = (waiting: number) => expect.poll(async () => ({ bridged: (await rig.pairs()).length, waiting: await rig.waiting() }), { timeout: 20_000 }).toEqual({ bridged: 6, waiting });

  it('kills at four points of an outage, restarting once PostgreSQL is back: one closed row per call with its events, bridges and audio kept', async () => {
    let controller = await rig.start();
    // PostgreSQL up: six callers bridged with the six operators, three waiting, two in the menu.
    const talking = await rig.place(6, '0');
    await settled(0);
    const queued = await rig.place(3, '0');
    await settled(3);
    const inMenu = await rig.place(2);

    // Kill 1. PostgreSQL cut: two more callers queue, one stays in the menu; two talking callers hang up and two
    // waiting callers are answered in their place. Killed right after; with no controller a talking caller hangs up.
    await rig.relay.cut();
    const queuedLater = await rig.place(2, '0');
    const inMenuLater = await rig.place(1);
    await settled(5);
    await rig.hangUp(talking[0]!);
    await rig.hangUp(talking[1]!);
    await settled(3);
    controller = await rig.killAndRestart(controller, async () => {
      await rig.hangUp(talking[2]!);
      await rig.relay.restore();
    });
    // The operator that hang-up freed takes the next caller; the callers that were in the menu are taken over into
    // the queue, behind those who were waiting.
    await settled(5);

    // Kill 2: right after a waiting caller gave up and a talking one hung up, their records just in the log.
    await rig.relay.cut();
    await rig.hangUp(queuedLater[1]!);
    await rig.hangUp(talking[3]!);
    controller = await rig.killAndRestart(controller, () => rig.relay.restore());
    await settled(3);

    // Kill 3: a new caller arrives and keys 0 (every operator is busy): killed as soon as it waits.
    await rig.relay.cut();
    const waitingLast = await rig.place(1, '0');
    await settled(4);
    controller = await rig.killAndRestart(controller, () => rig.relay.restore());

    // Kill 4: PostgreSQL goes again just as this controller has taken the calls over, and it is killed at once.
    await rig.relay.cut();
    controller = await rig.killAndRestart(controller, () => rig.relay.restore());
    await settled(4);

    // Audio still flows both ways on every bridged call.
    await expect.poll(() => rig.audioFaults(), { timeout: 15_000, interval: 500 }).toEqual([]);
    await rig.hangUpAllAndCheck([...talking, ...queued, queuedLater[0]!]);
    expect([...inMenu, ...inMenuLater, queuedLater[1]!, ...waitingLast].every((c) => !c.bridged)).toBe(true);
  }, 175_000);
});
