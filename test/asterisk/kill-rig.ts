import { join } from 'node:path';
import { expect } from 'vitest';
import { serviceOf } from '../../platform/deps.ts';
import { ControllerProcess } from '../../telephony/test/controller-process.ts';
import { afterFile } from '../harness/after-file.ts';
import { useHotline } from '../harness/hotline.ts';
import { useTcpProxy, type TcpProxy } from '../harness/tcp-proxy.ts';
import { audioFaults, bridgedPairs, type BridgedPair } from './media-calls.ts';
import { useRealCourt, sipPasswordOf, type RealCourt } from './real-hotline.ts';
import { pace, RtpPeer } from './rtp-peer.ts';
import { mediaContact, mediaPhones, placeMediaCalls, register, type SippRun } from './sipp.ts';

/**
 * For kill tests on a real Asterisk: the controller as a process of its own (the compiled server, SIGKILLed by
 * the test), its PostgreSQL behind a relay the test cuts, one data dir (its write-ahead log) for every controller
 * started; sipp callers and operators' phones whose audio is the test's RTP peers; and the checks at the end.
 */
export interface Call {
  number: string;
  peer: RtpPeer;
  /** The caller's channel: the call's key in telephony.calls. */
  channelId: string;
  /** Seen bridged with an operator. */
  bridged: boolean;
  /** Keyed 0 for an operator (otherwise it stays in the menu). */
  keyed: boolean;
  /** Hung up by the test. */
  ended: boolean;
}

export interface KillRig {
  court: RealCourt;
  /** The relay in front of the controllers' PostgreSQL. */
  relay: TcpProxy;
  calls: Map<string, Call>;
  /** Registers the operators' phones and starts their audio; the first controller; every operator ready. */
  start(): Promise<ControllerProcess>;
  /** Places `n` callers (one sipp) keying `key` once answered, or staying in the menu; resolves once all are answered. */
  place(n: number, key?: string): Promise<Call[]>;
  /** The caller's carrier ends the call (the test's ARI request: Asterisk's BYE to the caller). */
  hangUp(call: Call): Promise<void>;
  /** Bridged callers and operators now (and marks those callers bridged). */
  pairs(): Promise<BridgedPair[]>;
  /** Callers waiting in the court's queue. */
  waiting(): Promise<number>;
  startController(): Promise<ControllerProcess>;
  /** Why a controller cannot start while PostgreSQL is cut (undefined: it can); PostgreSQL is back after. */
  whyNoStartWhileCut(): Promise<string | undefined>;
  /**
   * SIGKILLs the controller, runs `meanwhile` with none, starts another; every bridge of before whose caller is
   * still there is there after, with the same two channels.
   */
  killAndRestart(controller: ControllerProcess, meanwhile?: () => Promise<void>): Promise<ControllerProcess>;
  /** What is wrong with the audio of the calls bridged now (media-calls.ts). */
  audioFaults(): Promise<string[]>;
  /** Hangs every caller up, then checks one closed row per call with its events; `bridged` are the calls that were. */
  hangUpAllAndCheck(bridged: Call[]): Promise<void>;
}

export async function useKillRig(operators: string[]): Promise<KillRig> {
  const court = await useRealCourt({
    operators,
    desks: {},
    operatorMedia: 'rtp',
    // Callers wait in the queue for as long as the test runs.
    env: () => ({ TELEPHONY_MAX_WAIT_SECONDS: '600', TELEPHONY_MENU_TIMEOUT_SECONDS: '30', TELEPHONY_POSITION_FIRST_SECONDS: '600', LOG_LEVEL: 'info' }),
  });
  const relay = await useTcpProxy('127.0.0.1', Number(new URL(court.databaseUrl).port || 5432));
  const controllerEnv = { ...court.hotlineEnv, DATABASE_URL: Object.assign(new URL(court.databaseUrl), { port: String(relay.port) }).toString() };
  // Presence through an API process on the database directly, as an operator's console sets it.
  const api = await useHotline({
    HOTLINE_ROLES: 'api',
    DATABASE_URL: court.databaseUrl,
    REDIS_PREFIX: court.hotlineEnv.REDIS_PREFIX!,
    HOTLINE_DATA_DIR: join(court.hotlineEnv.HOTLINE_DATA_DIR!, 'api'),
    ARI_URL: court.asterisk.ariUrl,
  });
  const telephony = serviceOf(api.deps, 'telephony');

  const peers: RtpPeer[] = [];
  const running: SippRun[] = [];
  const controllers: ControllerProcess[] = [];
  /** When each controller was killed, for a failure's message. */
  const timeline: string[] = [];
  let pacing: { stop(): void } | undefined;
  afterFile(async () => {
    for (const c of controllers) await c.stop();
    pacing?.stop();
    for (const run of running) run.stop();
    for (const peer of peers) peer.close();
  });

  const calls = new Map<string, Call>();
  const operatorPeers = new Map<string, RtpPeer>();
  const pairs = async (): Promise<BridgedPair[]> => {
    const found = await bridgedPairs(court.ari);
    for (const p of found) calls.get(p.callerNumber)!.bridged = true;
    return found;
  };

  async function startController(): Promise<ControllerProcess> {
    const controller = await ControllerProcess.start(controllerEnv);
    controllers.push(controller);
    const line = await controller.logged((l) => l.msg === 'reconciled calls with ARI' || String(l.stderr ?? '').includes('could not start'), 30_000).catch((err: Error) => {
      throw new Error(`${err.message}\nthe controller logged: ${JSON.stringify(controller.lines.slice(-10))}`);
    });
    if (line.stderr) throw new Error(`the controller exited: ${String(line.stderr).trim()}`);
    return controller;
  }

  /** Every call's row, with its events in order. */
  const rowsOf = async () =>
    (
      await court.pgc.query<{ channel_id: string; outcome: string | null; ended_at: Date | null; events: Array<{ kind: string; at: string; operator: string | null; data: unknown }> }>(
        `select c.channel_id, c.outcome, c.ended_at,
                coalesce((select json_agg(json_build_object('kind', e.kind, 'at', e.at, 'operator', e.operator_id, 'data', e.data) order by e.seq)
                            from telephony.call_events e where e.call_id = c.id), '[]') as events
           from telephony.calls c`,
      )
    ).rows.map((r) => ({ ...r, kinds: r.events.map((e) => e.kind) }));

  const rig: KillRig = {
    court,
    relay,
    calls,
    async start() {
      const phones = await mediaPhones({ ringMs: 300 });
      running.push(phones);
      for (const [i, op] of operators.entries()) {
        const peer = await RtpPeer.open(2000 + 25 * i);
        peers.push(peer);
        operatorPeers.set(op, peer);
        await register(court.asterisk, { user: op, password: await sipPasswordOf(court, op), contactPort: phones.port, contactUser: mediaContact(op, peer.port) });
      }
      pacing = pace(() => peers);
      const controller = await startController();
      for (const op of operators) await telephony.setPresence(court.users[op]!, 'ready');
      return controller;
    },
    async place(n, key) {
      const batch: Call[] = [];
      for (let i = 0; i < n; i++) {
        const seq = calls.size + 1;
        const peer = await RtpPeer.open(500 + 25 * seq);
        peers.push(peer);
        if (key) peer.pressOnAnswer(key, 1500);
        const call: Call = { number: `136${String(seq).padStart(8, '0')}`, peer, channelId: '', bridged: false, keyed: key !== undefined, ended: false };
        calls.set(call.number, call);
        batch.push(call);
      }
      running.push(await placeMediaCalls(court.asterisk, batch.map((c) => ({ caller: c.number, mediaPort: c.peer.port })), { stayMs: 170_000, ratePerSecond: 10 }));
      const unanswered = async () => {
        for (const ch of (await court.ari('/channels')) as Array<{ id: string; name: string; caller: { number: string } }>) {
          const call = calls.get(ch.caller.number);
          if (call && ch.name.startsWith('PJSIP/trunk-')) call.channelId = ch.id;
        }
        return batch.filter((c) => !c.channelId || !c.peer.firstReceivedAt).map((c) => c.number);
      };
      await expect.poll(unanswered, { timeout: 20_000, interval: 200 }).toEqual([]);
      return batch;
    },
    async hangUp(call) {
      call.ended = true;
      await court.ari(`/channels/${call.channelId}`, { method: 'DELETE' });
    },
    pairs,
    waiting: async () => (await telephony.queueSnapshot(court.courtId)).waiting.length,
    startController,
    async whyNoStartWhileCut() {
      await relay.cut();
      try {
        const probe = await ControllerProcess.start(controllerEnv);
        controllers.push(probe);
        const line = await probe.logged((l) => l.msg === 'reconciled calls with ARI' || String(l.stderr ?? '').includes('could not start'), 30_000);
        await probe.kill();
        return line.msg === 'reconciled calls with ARI' ? undefined : String(line.stderr).trim();
      } finally {
        await relay.restore();
      }
    },
    async killAndRestart(controller, meanwhile) {
      const before = await pairs();
      timeline.push(`${new Date().toISOString()} controller ${controllers.indexOf(controller) + 1} killed`);
      await controller.kill();
      await meanwhile?.();
      const next = await startController();
      const after = await pairs();
      const lost = before.filter((p) => !calls.get(p.callerNumber)!.ended && !after.some((q) => JSON.stringify(q) === JSON.stringify(p)));
      const reconciled = next.lines.find((l) => l.msg === 'reconciled calls with ARI');
      if (lost.length > 0) await explaining(async () => expect(lost, `bridges not there after the restart (${JSON.stringify(reconciled)}); now: ${JSON.stringify(after)}; bridges: ${JSON.stringify(await court.ari('/bridges'))}; channels: ${JSON.stringify((await court.ari('/channels')).map((c: any) => [c.id, c.name, c.state]))}`).toEqual([]));
      return next;
    },
    async audioFaults() {
      const candidates = [440, ...[...calls.values()].map((c) => c.peer.toneHz), ...[...operatorPeers.values()].map((p) => p.toneHz)];
      return audioFaults(await pairs(), { caller: (n) => calls.get(n)!.peer, operator: (e) => operatorPeers.get(e)! }, candidates);
    },
    hangUpAllAndCheck: (bridged) => explaining(() => checkAll(bridged)),
  };

  /** A failure says what the controllers warned of (their warnings and errors, the latest last). */
  async function explaining<T>(check: () => Promise<T>): Promise<T> {
    try {
      return await check();
    } catch (err) {
      const trouble = controllers.flatMap((c, i) => c.lines.filter((l) => Number(l.level) >= 40 || l.stderr).map((l) => `controller ${i + 1}: ${JSON.stringify(l)}`));
      (err as Error).message += `\n${timeline.join('\n')}\nthe controllers warned:\n${trouble.slice(-20).join('\n').slice(-8000)}`;
      throw err;
    }
  }

  async function checkAll(bridged: Call[]): Promise<void> {
    const all = [...calls.values()];
    // Every call's row is there (from the log) before the last hang-ups.
    await expect.poll(async () => (await rowsOf()).length, { timeout: 30_000 }).toBe(all.length);
    for (const call of all.filter((c) => !c.ended)) await rig.hangUp(call);
    await expect.poll(async () => (await court.ari('/channels')).length, { timeout: 30_000 }).toBe(0);
    await expect.poll(async () => (await rowsOf()).filter((r) => r.outcome === null || r.ended_at === null).map((r) => r.channel_id), { timeout: 30_000 }).toEqual([]);

    const rows = await rowsOf();
    expect(rows.map((r) => r.channel_id).sort()).toEqual(all.map((c) => c.channelId).sort());
    // Every call's faults at once (a failure names them all, with each call's events).
    const faults: string[] = [];
    const count = (kinds: string[], kind: string) => kinds.filter((k) => k === kind).length;
    for (const call of all) {
      const { kinds, events } = rows.find((r) => r.channel_id === call.channelId)!;
      const each = (kind: string) => JSON.stringify(events.filter((e) => e.kind === kind).map(({ at, operator, data }) => ({ at, operator, data })));
      const wrong = [
        kinds[0] !== 'arrived' && 'does not start with arrived',
        count(kinds, 'arrived') !== 1 && `${count(kinds, 'arrived')} arrived`,
        count(kinds, 'hangup') !== 1 && `${count(kinds, 'hangup')} hangup: ${each('hangup')}`,
        kinds.at(-1) !== 'hangup' && 'does not end with hangup',
        count(kinds, 'answered') !== (call.bridged ? 1 : 0) && `${count(kinds, 'answered')} answered (bridged: ${call.bridged}): ${each('answered')}`,
        call.keyed && !(kinds.includes('menu_choice') && kinds.includes('queued')) && 'keyed 0, but no menu_choice and queued',
        call.bridged && !kinds.includes('operator_rung') && 'bridged, but no operator_rung',
      ].filter((x) => x !== false);
      if (wrong.length > 0) faults.push(`${call.number} (${wrong.join('; ')}): ${kinds.join(', ')}`);
    }
    expect(faults).toEqual([]);
    // The calls bridged were those the test's steps expected; the others never were.
    expect(all.filter((c) => c.bridged).map((c) => c.number).sort()).toEqual(bridged.map((c) => c.number).sort());
    const { rows: orphans } = await court.pgc.query(`select e.call_id, e.kind from telephony.call_events e where not exists (select 1 from telephony.calls c where c.id = e.call_id)`);
    expect(orphans).toEqual([]);
  }
  return rig;
}
