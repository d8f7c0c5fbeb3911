import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { dialTarget } from '../../telephony/endpoints/dial-target.ts';
import { realAsteriskMissing } from './asterisk-instance.ts';
import { useRealHotline, sipPasswordOf, type RealHotline } from './real-hotline.ts';
import { phone, placeCall, register } from './sipp.ts';

/**
 * The hotline against a real Asterisk 22 (asterisk-config/) with sipp playing the caller, the operators' and the
 * judges' phones. Runs when `asterisk` and `sipp` are on the PATH (README: "Running against a real Asterisk");
 * skipped otherwise, e.g. in CI.
 */
const missing = realAsteriskMissing();
if (missing) console.log(`test/asterisk/real-asterisk.test.ts skipped: ${missing}`);

interface CallRow {
  id: string;
  outcome: string | null;
  hangup_by: string | null;
  skill: string | null;
  answered_by: string | null;
  dialled: string;
  channel_id: string;
}

const rowsOf = async (h: RealHotline, caller: string) => (await h.pgc.query<CallRow>(`select * from telephony.calls where caller_number = $1`, [caller])).rows;
const eventsOf = async (h: RealHotline, callId: string) =>
  (await h.pgc.query<{ kind: string; operator_id: string | null; data: any }>(`select kind, operator_id, data from telephony.call_events where call_id = $1 order by seq`, [callId])).rows;

async function closedRow(h: RealHotline, caller: string): Promise<CallRow> {
  await expect.poll(async () => (await rowsOf(h, caller))[0]?.outcome ?? null, { timeout: 20_000 }).not.toBeNull();
  return (await rowsOf(h, caller))[0]!;
}

/** Both channels of a call up in one bridge, as ARI shows it. */
async function bridgedPair(h: RealHotline, endpoint: string): Promise<{ technology: string; names: string[] }> {
  let found: { technology: string; names: string[] } | undefined;
  await expect
    .poll(
      async () => {
        const [bridges, channels] = await Promise.all([h.ari('/bridges'), h.ari('/channels')]);
        const byId = new Map<string, any>(channels.map((c: any) => [c.id, c]));
        for (const b of bridges) {
          const members = b.channels.map((id: string) => byId.get(id)).filter(Boolean);
          const names = members.map((c: any) => c.name as string);
          if (members.length === 2 && members.every((c: any) => c.state === 'Up') && names.some((n: string) => n.startsWith('PJSIP/trunk-')) && names.some((n: string) => n.startsWith(`PJSIP/${endpoint}-`))) {
            found = { technology: b.technology, names };
            return true;
          }
        }
        return false;
      },
      { timeout: 30_000, interval: 200 },
    )
    .toBe(true);
  return found!;
}

/** The operator ready for calls, once the last call's wrap-up let go of them. */
async function ready(h: RealHotline, endpoint: string): Promise<void> {
  await expect
    .poll(() =>
      h.rt.service
        .setPresence(h.users[endpoint]!, 'ready')
        .then(() => true)
        .catch(() => false),
    )
    .toBe(true);
}

/** A separate Stasis app on the same Asterisk, to ring a desk phone directly (transfers are the controller's). */
async function probeApp(h: RealHotline): Promise<{ events: any[]; close(): void }> {
  const events: any[] = [];
  const ws = new WebSocket(`${h.asterisk.ariUrl.replace('http', 'ws')}/ari/events?app=judge-probe&api_key=hotline:hotline&subscribeAll=false`);
  ws.on('message', (data) => events.push(JSON.parse(String(data))));
  await new Promise((ok, fail) => ws.once('open', ok).once('error', fail));
  return { events, close: () => ws.close() };
}

describe.skipIf(missing !== undefined)('the hotline against a real Asterisk 22', async () => {
  const h = missing ? (undefined as unknown as RealHotline) : await useRealHotline({ operators: ['op1001'], desks: { judge1: '8001', judge2: '8002' } });
  const opPassword = missing ? '' : await sipPasswordOf(h, 'op1001');

  it('writes the endpoints the users table asks for, with the random passwords the console is given', async () => {
    const endpoints: { resource: string }[] = await h.ari('/endpoints/PJSIP');
    expect(endpoints.map((e) => e.resource).sort()).toEqual(['ext-8001', 'ext-8002', 'op1001', 'trunk']);
    const desk = await phone('answer');
    try {
      await register(h.asterisk, { user: 'ext-8001', password: await sipPasswordOf(h, 'ext-8001'), contactPort: desk.port });
      await expect.poll(async () => (await h.ari('/endpoints/PJSIP/ext-8001')).state).toBe('online');
      await expect(register(h.asterisk, { user: 'op1001', password: 'wrong-password', contactPort: desk.port })).rejects.toThrow(/could not register/);
    } finally {
      desk.stop();
    }
  });

  it.each([
    ['answer', 'answers', (e: any[]) => e.some((x) => x.type === 'StasisStart' && x.channel.state === 'Up')],
    ['noanswer', 'rings out (cause 19)', (e: any[]) => e.some((x) => x.type === 'ChannelDestroyed' && x.cause === 19)],
    ['busy', 'is busy (cause 17)', (e: any[]) => e.some((x) => x.type === 'ChannelDestroyed' && x.cause === 17)],
  ] as const)('a judge desk phone registered with its generated credentials %s: the call %s', async (behaviour, _what, seen) => {
    const desk = await phone(behaviour, { ringMs: 200 });
    const probe = await probeApp(h);
    try {
      await register(h.asterisk, { user: 'ext-8002', password: await sipPasswordOf(h, 'ext-8002'), contactPort: desk.port });
      const channel = await h.ari(`/channels?endpoint=${encodeURIComponent(dialTarget('8002')!)}&app=judge-probe&timeout=3`, { method: 'POST' });
      expect(channel.name).toMatch(/^PJSIP\/ext-8002-/);
      await expect.poll(() => seen(probe.events), { timeout: 15_000 }).toBe(true);
      if (behaviour === 'answer') await h.ari(`/channels/${channel.id}`, { method: 'DELETE' });
      await expect.poll(async () => (await h.ari('/channels')).filter((c: any) => c.id === channel.id).length).toBe(0);
    } finally {
      probe.close();
      desk.stop();
    }
  }, 60_000);

  it('a caller chooses from the menu by RFC 4733 digit, the ready operator answers, both legs are bridged, and the call is logged', async () => {
    const op = await phone('answer', { ringMs: 300 });
    try {
      await register(h.asterisk, { user: 'op1001', password: opPassword, contactPort: op.port });
      await ready(h, 'op1001');
      const caller = await placeCall(h.asterisk, { caller: '13800000001', digit: '3', beforeDigitMs: 1500, stayMs: 8000 });
      const bridge = await bridgedPair(h, 'op1001');
      // A two-party bridge, not a holding one; once the call's recording joins it (a Recorder channel) Asterisk
      // mixes it (softmix), before that it is simple_bridge or native_rtp.
      expect(bridge.technology).toMatch(/simple_bridge|native_rtp|softmix/);
      const result = await caller.done;
      expect(result.code, result.output).toBe(0);
      const row = await closedRow(h, '13800000001');
      expect(row).toMatchObject({ outcome: 'answered', answered_by: h.users.op1001, skill: 'complaint', hangup_by: 'caller', dialled: '12368' });
      const kinds = (await eventsOf(h, row.id)).map((e) => e.kind);
      expect(kinds[0]).toBe('arrived');
      expect(kinds).toEqual(expect.arrayContaining(['menu_choice', 'queued', 'answered', 'hangup']));
      expect(kinds.indexOf('menu_choice')).toBeLessThan(kinds.indexOf('answered'));
      const choice = (await eventsOf(h, row.id)).find((e) => e.kind === 'menu_choice');
      expect(choice?.data).toMatchObject({ digit: '3' });
    } finally {
      op.stop();
    }
  }, 90_000);

  it('a bridged call survives a controller restart, and is closed once when the caller hangs up', async () => {
    const op = await phone('answer', { ringMs: 200 });
    try {
      await register(h.asterisk, { user: 'op1001', password: opPassword, contactPort: op.port });
      await ready(h, 'op1001');
      const caller = await placeCall(h.asterisk, { caller: '13800000004', digit: '2', beforeDigitMs: 1000, stayMs: 16_000 });
      const before = await bridgedPair(h, 'op1001');
      await h.stopHotline();
      // The app is deactivated, not destroyed, while it holds the call's channels (ari-sim does the same).
      expect((await h.ari('/applications/hotline12368')).channel_ids).toHaveLength(2);
      await h.startHotline();
      expect((await bridgedPair(h, 'op1001')).names.sort()).toEqual(before.names.sort());
      const result = await caller.done;
      expect(result.code, result.output).toBe(0);
      const row = await closedRow(h, '13800000004');
      expect(row).toMatchObject({ outcome: 'answered', answered_by: h.users.op1001, skill: 'enquiry', hangup_by: 'caller' });
      expect(await rowsOf(h, '13800000004')).toHaveLength(1);
      expect((await eventsOf(h, row.id)).filter((e) => e.kind === 'hangup')).toHaveLength(1);
      // The operator's leg and the bridge went with the caller.
      await expect.poll(async () => (await h.ari('/channels')).length).toBe(0);
      await expect.poll(async () => (await h.ari('/bridges')).length).toBe(0);
    } finally {
      op.stop();
    }
  }, 90_000);

  it('an operator whose phone rings unanswered is passed over, and a caller who gives up is logged abandoned', async () => {
    const op = await phone('noanswer');
    try {
      await register(h.asterisk, { user: 'op1001', password: opPassword, contactPort: op.port });
      await ready(h, 'op1001');
      const caller = await placeCall(h.asterisk, { caller: '13800000002', digit: '0', beforeDigitMs: 1000, stayMs: 9000 });
      // The phone rings (180 seen by Asterisk) and is never picked up.
      await expect.poll(async () => (await h.ari('/channels')).some((c: any) => c.name.startsWith('PJSIP/op1001-') && c.state === 'Ringing'), { timeout: 15_000 }).toBe(true);
      const result = await caller.done;
      expect(result.code, result.output).toBe(0);
      const row = await closedRow(h, '13800000002');
      expect(row).toMatchObject({ outcome: 'abandoned_in_queue', answered_by: null, skill: 'general', hangup_by: 'caller' });
      const events = await eventsOf(h, row.id);
      expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['queued', 'operator_rung', 'operator_missed']));
      expect(events.find((e) => e.kind === 'operator_missed')?.operator_id).toBe(h.users.op1001);
      // Asterisk hung the unanswered leg up: no channel of the operator is left.
      await expect.poll(async () => (await h.ari('/channels')).filter((c: any) => c.name.startsWith('PJSIP/op1001-')).length).toBe(0);
    } finally {
      op.stop();
    }
  }, 90_000);

  it('with the controller stopped the caller reaches the operators ring group at once; the call row appears, once, when it is back', async () => {
    const op = await phone('answer', { ringMs: 300 });
    try {
      await register(h.asterisk, { user: 'op1001', password: opPassword, contactPort: op.port });
      await h.stopHotline();
      // Holding nothing, the app is destroyed with its websocket (ari-sim does the same).
      await expect.poll(() => h.ari('/applications/hotline12368')).toEqual({ message: 'Application not found' });
      expect(await h.ari('/applications')).toEqual([]);
      const started = Date.now();
      const caller = await placeCall(h.asterisk, { caller: '13800000003', digit: '5', beforeDigitMs: 500, stayMs: 15000 });
      // The fallback: caller and operator in Asterisk's own bridge, no Stasis app involved.
      await expect
        .poll(async () => (await h.ari('/channels')).filter((c: any) => c.state === 'Up' && /^PJSIP\/(trunk|op1001)-/.test(c.name)).length, { timeout: 30_000, interval: 200 })
        .toBe(2);
      const result = await caller.done;
      expect(result.code, result.output).toBe(0);
      expect(Date.now() - started).toBeLessThan(40_000);
      // The file also holds the records of earlier calls the controller ran (not marked): wait for this call's last one.
      const cdrText = () => (existsSync(h.asterisk.cdrFile) ? readFileSync(h.asterisk.cdrFile, 'utf8') : '');
      await expect.poll(() => /"hotline":"fallback".*"src":"13800000003".*"hangup_source":"PJSIP\/trunk-/.test(cdrText()), { timeout: 10_000 }).toBe(true);
      expect(await rowsOf(h, '13800000003')).toEqual([]);
      const cdrCopy = `${h.asterisk.cdrFile}.copy`;
      copyFileSync(h.asterisk.cdrFile, cdrCopy);

      await h.startHotline();
      const row = await closedRow(h, '13800000003');
      expect(row).toMatchObject({ outcome: 'answered', answered_by: h.users.op1001, skill: 'general', hangup_by: 'caller', dialled: '12368' });
      // Answered after the 4 s notice and 0.3 s of ringing, not at the caller's own Answer().
      const { rows: [times] } = await h.pgc.query(`select extract(epoch from answered_at - arrived_at) * 1000 as wait_ms, extract(epoch from ended_at - answered_at) * 1000 as talk_ms from telephony.calls where id = $1`, [row.id]);
      expect(Number(times.wait_ms)).toBeGreaterThan(3500);
      expect(Number(times.wait_ms)).toBeLessThan(9000);
      expect(Number(times.talk_ms)).toBeGreaterThan(5000);
      const events = await eventsOf(h, row.id);
      expect(events.map((e) => e.kind)).toEqual(['arrived', 'queued', 'answered', 'hangup']);
      expect(events.every((e) => e.data.via === 'fallback')).toBe(true);
      expect(events.find((e) => e.kind === 'answered')?.operator_id).toBe(h.users.op1001);
      await expect.poll(() => existsSync(h.asterisk.cdrFile)).toBe(false);

      // The same records once more (a run that died between writing and deleting): still one row.
      copyFileSync(cdrCopy, `${h.asterisk.cdrFile}.1.importing`);
      await h.stopHotline();
      await h.startHotline();
      await expect.poll(() => existsSync(`${h.asterisk.cdrFile}.1.importing`)).toBe(false);
      expect(await rowsOf(h, '13800000003')).toHaveLength(1);
      expect(await eventsOf(h, row.id)).toHaveLength(4);
      expect(readFileSync(cdrCopy, 'utf8')).toContain('"hotline":"fallback"');
    } finally {
      op.stop();
    }
  }, 120_000);

  it('a caller who gives up while the fallback ring group rings unanswered is logged abandoned when the controller is back', async () => {
    const op = await phone('noanswer');
    try {
      await register(h.asterisk, { user: 'op1001', password: opPassword, contactPort: op.port });
      await h.stopHotline();
      const caller = await placeCall(h.asterisk, { caller: '13800000005', digit: '5', beforeDigitMs: 500, stayMs: 7000 });
      await expect.poll(async () => (await h.ari('/channels')).some((c: any) => c.name.startsWith('PJSIP/op1001-') && c.state === 'Ringing'), { timeout: 15_000 }).toBe(true);
      const result = await caller.done;
      expect(result.code, result.output).toBe(0);
      await h.startHotline();
      const row = await closedRow(h, '13800000005');
      expect(row).toMatchObject({ outcome: 'abandoned_in_queue', answered_by: null, hangup_by: 'caller', skill: 'general' });
      expect((await eventsOf(h, row.id)).map((e) => e.kind)).toEqual(['arrived', 'queued', 'hangup']);
    } finally {
      op.stop();
    }
  }, 90_000);
});
