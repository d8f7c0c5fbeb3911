import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { call, sessionCookieFor } from '../../api/testing/fixtures.ts';
import { realAsteriskMissing, repoConfigDir } from './asterisk-instance.ts';
import { useRealHotline, sipPasswordOf, type RealHotline } from './real-hotline.ts';
import { recordingsDir } from '../../telephony/recordings/register.ts';
import { wavDurationMs } from '../../telephony/prompts/wav-duration.ts';
import { phone, placeCall, register, type Answering, type KeyGroup, type SippRun } from './sipp.ts';

/**
 * Transfers (转接) against a real Asterisk 22: the operator asks over the hotline's HTTP API (api and telephony
 * roles in one process, as telephony/transfer.test.ts does over the stand-in), sipp plays the caller, the
 * operator's phone and the judges' desk phones (ext-<extension>, registered with their generated passwords).
 * Skipped like the rest of test/asterisk/ without asterisk and sipp.
 */
const missing = realAsteriskMissing();
if (missing) console.log(`test/asterisk/transfers.test.ts skipped: ${missing}`);

const operator = 'op3001';
/** Judges and their desk phones' extensions; each test gives a phone the behaviour it needs. */
const desks = { judgeA: '8101', judgeB: '8102', judgeC: '8103', judgeD: '8104' } as const;
const caseNumber = '（2024）豫0811民初1234号';

interface Channel {
  id: string;
  name: string;
  state: string;
  caller: { number: string };
}
interface Bridge {
  id: string;
  channels: string[];
}

describe.skipIf(missing !== undefined)('transfers against a real Asterisk 22', async () => {
  const h = missing
    ? (undefined as unknown as RealHotline)
    : await useRealHotline({
        operators: [operator],
        desks,
        // workers: the recordings are fetched from Asterisk by a job.
        // The hotline's warnings (an ARI command refused, a bridge left unrecorded) go to the test output.
        env: () => ({ HOTLINE_ROLES: 'api,telephony,workers', TELEPHONY_TRANSFER_RING_SECONDS: '5', TELEPHONY_CASE_ENTRY_TIMEOUT_SECONDS: '3', LOG_LEVEL: 'warn' }),
      });
  if (!missing) {
    // A ticket is handed off to a judge of a department (tickets refuse a judge without one).
    const departmentId = randomUUID();
    await h.pgc.query(`insert into platform.departments (id, court_id, name) values ($1, $2, '立案庭')`, [departmentId, h.courtId]);
    await h.pgc.query(`update platform.users set department_id = $1 where role = 'judge'`, [departmentId]);
  }
  // Every ARI event of every channel (subscribeAll), to check what Asterisk reported for the transfer legs.
  const seen: any[] = [];
  if (!missing) {
    const observer = new WebSocket(`${h.asterisk.ariUrl.replace('http', 'ws')}/ari/events?app=observer&api_key=hotline:hotline&subscribeAll=true`);
    observer.on('message', (data) => seen.push(JSON.parse(String(data))));
    await new Promise((ok, fail) => observer.once('open', ok).once('error', fail));
    afterAll(() => observer.close());
  }
  /**
   * The events of one channel as [type, cause or dial status, tech_cause or soft], from its hangup request on;
   * without Dial "" and RINGING, which a 486 at once may follow or precede.
   */
  const endOf = (channelId: string) => {
    const noise = (e: any) => e.type === 'ChannelVarset' || (e.type === 'Dial' && (e.dialstatus === '' || e.dialstatus === 'RINGING'));
    const mine = seen.filter((e) => (e.channel ?? e.peer)?.id === channelId && !noise(e));
    return mine.slice(mine.findIndex((e) => e.type === 'ChannelHangupRequest')).map((e) => [e.type, e.cause ?? e.dialstatus ?? null, e.tech_cause ?? e.soft ?? null]);
  };
  const running: SippRun[] = [];
  afterEach(async () => {
    for (const run of running.splice(0)) run.stop();
    // Nothing of a test's calls is left in Asterisk for the next one (a failed test's are hung up, so that
    // its failure does not spread: a stopped sipp caller sends no BYE).
    try {
      await expect.poll(async () => (await h.ari('/channels')).length, { timeout: 15_000 }).toBe(0);
    } catch (err) {
      console.log(`Asterisk's console, last lines:\n${h.asterisk.output().slice(-4000)}`);
      throw err;
    } finally {
      for (const left of await channels()) await h.ari(`/channels/${left.id}`, { method: 'DELETE' });
    }
  });

  const channels = (): Promise<Channel[]> => h.ari('/channels');
  const named = (list: Channel[], endpoint: string) => list.filter((c) => c.name.startsWith(`PJSIP/${endpoint}-`));

  /** Waits until one bridge holds exactly one Up channel of each endpoint given, and nothing else. */
  async function bridged(...endpoints: string[]): Promise<Channel[]> {
    let members: Channel[] = [];
    await expect
      .poll(
        async () => {
          const [bridges, list]: [Bridge[], Channel[]] = await Promise.all([h.ari('/bridges'), channels()]);
          const byId = new Map(list.map((c) => [c.id, c]));
          return bridges.some((b) => {
            members = b.channels.map((id) => byId.get(id)).filter((c): c is Channel => c !== undefined);
            return members.length === endpoints.length && members.every((c) => c.state === 'Up') && endpoints.every((e) => named(members, e).length === 1);
          });
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe(true);
    return members;
  }

  async function desk(behaviour: Answering, endpoint: string, hangupMs?: number): Promise<void> {
    const uas = await phone(behaviour, { ringMs: 300, ...(hangupMs ? { hangupMs } : {}) });
    running.push(uas);
    await register(h.asterisk, { user: endpoint, password: await sipPasswordOf(h, endpoint), contactPort: uas.port });
  }
  const judgeDesk = (behaviour: Answering, judge: keyof typeof desks, hangupMs?: number) => desk(behaviour, `ext-${desks[judge]}`, hangupMs);

  const rowsOf = async (caller: string) => (await h.pgc.query(`select * from telephony.calls where caller_number = $1`, [caller])).rows;
  const eventsOf = async (callId: string) => (await h.pgc.query<{ kind: string; data: any }>(`select kind, data from telephony.call_events where call_id = $1 order by seq`, [callId])).rows;
  const legsOf = async (callId: string) =>
    (await h.pgc.query(`select seq, mode, outcome, target_user_id, case_number, requested_by, started_at, answered_at, ended_at from telephony.transfer_legs where call_id = $1 order by seq`, [callId])).rows;
  const ticketsOf = async (callId: string) =>
    (await h.pgc.query(`select t.id, t.stage, t.handler_user_id, t.owner_id, t.category, t.details from tickets.tickets t join tickets.ticket_calls c on c.ticket_id = t.id where c.call_id = $1`, [callId])).rows;

  /** The call's row once closed; exactly one row and one hangup event for the caller. */
  async function closedOnce(caller: string) {
    await expect.poll(async () => (await rowsOf(caller))[0]?.outcome ?? null, { timeout: 20_000 }).not.toBeNull();
    const rows = await rowsOf(caller);
    expect(rows).toHaveLength(1);
    expect((await eventsOf(rows[0].id)).filter((e) => e.kind === 'hangup')).toHaveLength(1);
    return rows[0];
  }

  /** The caller's sipp ran to its end without an unexpected message. */
  async function callerDone(caller: SippRun) {
    const result = await caller.done;
    expect(result.code, result.output).toBe(0);
  }

  /** A caller keys 0, the operator's phone answers: the call's id and the operator's session. */
  async function operatorOnCall(number: string, stayMs: number) {
    await desk('answer', operator);
    const cookie = await sessionCookieFor(h.hotline!.deps.db, h.users[operator]!);
    await expect.poll(async () => (await call(h.hotline!.url, 'PUT', '/api/presence/me', { cookie, body: { state: 'ready' } })).status).toBe(200);
    const caller = await placeCall(h.asterisk, { caller: number, digit: '0', beforeDigitMs: 1000, stayMs });
    running.push(caller);
    await bridged('trunk', operator);
    const callId: string = (await rowsOf(number))[0].id;
    await expect.poll(async () => (await eventsOf(callId)).map((e) => e.kind)).toContain('answered');
    const request = (path: string, body?: Record<string, unknown>) => call(h.hotline!.url, 'POST', `/api/telephony/calls/${callId}${path}`, { cookie, ...(body ? { body } : {}) });
    const presence = async () => (await call(h.hotline!.url, 'GET', '/api/presence/me', { cookie })).body.state as string;
    return { callId, caller, request, presence };
  }

  /** A failed check says what the call went through and what Asterisk logged of its caller and its recorders. */
  async function explaining<T>(callId: string, channelName: string, check: () => Promise<T>): Promise<T> {
    try {
      return await check();
    } catch (err) {
      const { rows } = await h.pgc.query<{ kind: string; at: Date }>(`select kind, at from telephony.call_events where call_id = $1 order by seq`, [callId]);
      const steps = rows.map((e) => `${e.kind} +${e.at.getTime() - rows[0]!.at.getTime()} ms`).join(', ');
      const lines = h.asterisk.output().split('\n');
      const from = lines.findIndex((line) => line.includes(channelName));
      const said = lines.slice(Math.max(from, 0)).filter((line) => line.includes(channelName) || line.includes(callId) || /ERROR|WARNING/.test(line));
      (err as Error).message += `\ncall events: ${steps}\nAsterisk on the call:\n${said.slice(-40).join('\n')}`;
      throw err;
    }
  }

  /** What Asterisk played to a channel (its verbose log names every file it streams). */
  const heard = (channelName: string, prompt: string) => h.asterisk.output().includes(`<${channelName}> Playing '${join(repoConfigDir, 'sounds', 'zh')}/${prompt}.`);
  const onHold = (channelName: string) => h.asterisk.output().includes(`Started music on hold, class 'default', on channel '${channelName}'`);

  it('blind, answered: caller and judge in one bridge, the operator gone; the leg answered, the call closed once, the draft ticket handed off to the judge', async () => {
    await judgeDesk('answer', 'judgeA');
    const { callId, caller, request, presence } = await operatorOnCall('13900000001', 15_000);
    expect(await presence()).toBe('on_call');
    expect(await request('/transfer', { mode: 'blind', judgeId: h.users.judgeA })).toMatchObject({ status: 202 });
    const pair = await bridged('trunk', 'ext-8101');
    expect(named(await channels(), operator)).toEqual([]);
    // The operator is free for the next caller at once (wrap-up 0 s here).
    await expect.poll(presence).toBe('ready');
    await callerDone(caller);

    const row = await closedOnce('13900000001');
    expect(row).toMatchObject({ outcome: 'answered', answered_by: h.users[operator], hangup_by: 'caller' });
    const [leg, ...others] = await legsOf(callId);
    expect(others).toEqual([]);
    expect(leg).toMatchObject({ seq: 1, mode: 'blind', outcome: 'answered', target_user_id: h.users.judgeA, requested_by: h.users[operator] });
    expect(leg.started_at.getTime()).toBeLessThanOrEqual(leg.answered_at.getTime());
    expect(leg.answered_at.getTime()).toBeLessThanOrEqual(leg.ended_at.getTime());
    const kinds = (await eventsOf(callId)).map((e) => e.kind);
    expect(kinds.slice(kinds.indexOf('answered'))).toEqual(['answered', 'transfer_started', 'transfer_answered', 'hangup']);
    await expect.poll(() => ticketsOf(callId)).toEqual([expect.objectContaining({ stage: 'handoff', handler_user_id: h.users.judgeA, owner_id: h.users[operator] })]);
    // The caller heard hold music while the judge's phone rang.
    expect(onHold(named(pair, 'trunk')[0]!.name)).toBe(true);
  }, 120_000);

  it('blind, answered, and the judge hangs up first: the caller is hung up, the call closes once by the target', async () => {
    await judgeDesk('answer-hangup', 'judgeA', 3000);
    // The caller would stay 30 s: it is Asterisk's BYE, once the judge hung up, that ends its call.
    const { callId, caller, request } = await operatorOnCall('13900000008', 30_000);
    const started = Date.now();
    await request('/transfer', { mode: 'blind', judgeId: h.users.judgeA });
    await bridged('trunk', 'ext-8101');
    await callerDone(caller);
    expect(Date.now() - started).toBeLessThan(20_000);
    // The desk's BYE carries no Reason header: no cause key on an originated leg (ari-sim does the same).
    expect(endOf(`${callId}-tr1`)).toEqual([
      ['ChannelHangupRequest', null, null],
      ['ChannelLeftBridge', null, null],
      ['ChannelDestroyed', 16, null],
    ]);
    const row = await closedOnce('13900000008');
    expect(row).toMatchObject({ outcome: 'answered', hangup_by: 'target' });
    expect(await legsOf(callId)).toEqual([expect.objectContaining({ mode: 'blind', outcome: 'answered', answered_at: expect.any(Date), ended_at: expect.any(Date) })]);
    const events = await eventsOf(callId);
    expect(events.at(-1)).toMatchObject({ kind: 'hangup', data: { by: 'target' } });
  }, 120_000);

  it.each([
    // The hotline's ring timer (5 s) hangs the leg up before Asterisk's own originate timeout (10 s).
    ['rings out', 'no_answer', 'noanswer', 'judgeB', '13900000002', [['ChannelHangupRequest', 32, true], ['Dial', 'NOANSWER', null], ['ChannelDestroyed', 16, null]]],
    ['is busy', 'busy', 'busy', 'judgeC', '13900000003', [['ChannelHangupRequest', 17, 486], ['Dial', 'BUSY', null], ['ChannelDestroyed', 17, 486]]],
    // Originate to a desk phone with no registered contact: refused, no channel at all.
    ['is not registered', 'failed', undefined, 'judgeD', '13900000007', undefined],
  ] as const)('blind to a judge whose phone %s: the caller hears the message prompt; the leg is %s', async (_what, outcome, behaviour, judge, number, legEvents) => {
    if (behaviour) await judgeDesk(behaviour, judge);
    // Stays through the ring (5 s) and the start of the message prompt (transfer-unanswered 3.7 s + leave-message
    // 18.7 s), with room for an Asterisk slowed by a loaded machine, and leaves before the prompt ends (no message).
    const { callId, caller, request } = await operatorOnCall(number, 22_000);
    const callerChannel = named(await channels(), 'trunk')[0]!.name;
    expect(await request('/transfer', { mode: 'blind', judgeId: h.users[judge] })).toMatchObject({ status: 202 });
    await expect.poll(() => legsOf(callId), { timeout: 20_000 }).toEqual([expect.objectContaining({ mode: 'blind', outcome, answered_at: null, ended_at: expect.any(Date) })]);
    await explaining(callId, callerChannel, async () => {
      await expect.poll(() => heard(callerChannel, 'transfer-unanswered'), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => heard(callerChannel, 'leave-message'), { timeout: 15_000 }).toBe(true);
    });
    expect(named(await channels(), `ext-${desks[judge]}`)).toEqual([]);
    const legId = `${callId}-tr1`;
    if (legEvents) expect(endOf(legId)).toEqual(legEvents);
    else expect(seen.filter((e) => e.channel?.id === legId)).toEqual([]);
    const failed = (await eventsOf(callId)).find((e) => e.kind === 'transfer_failed');
    expect(failed?.data).toMatchObject({ seq: 1, outcome });
    await callerDone(caller);

    const row = await closedOnce(number);
    expect(row).toMatchObject({ outcome: 'answered', hangup_by: 'caller' });
    await expect.poll(() => ticketsOf(callId)).toEqual([expect.objectContaining({ stage: 'handoff', handler_user_id: h.users[judge] })]);
  }, 120_000);

  it('attended: the operator consults the judge (bridged together, the caller on hold), then completes: caller and judge bridged', async () => {
    await judgeDesk('answer', 'judgeA');
    const { callId, caller, request } = await operatorOnCall('13900000004', 18_000);
    const callerChannel = named(await channels(), 'trunk')[0]!;
    await new Promise((r) => setTimeout(r, 2000)); // a first take of the recording worth measuring
    expect(await request('/transfer', { mode: 'attended', judgeId: h.users.judgeA })).toMatchObject({ status: 202 });
    await bridged(operator, 'ext-8101');
    const bridges: Bridge[] = await h.ari('/bridges');
    expect(bridges.filter((b) => b.channels.includes(callerChannel.id))).toEqual([]);
    await expect.poll(() => onHold(callerChannel.name)).toBe(true);
    await new Promise((r) => setTimeout(r, 2000)); // and a consultation

    expect(await request('/transfer/complete')).toMatchObject({ status: 202 });
    await bridged('trunk', 'ext-8101');
    await expect.poll(async () => named(await channels(), operator)).toEqual([]);
    await callerDone(caller);
    expect(await closedOnce('13900000004')).toMatchObject({ outcome: 'answered', hangup_by: 'caller', answered_by: h.users[operator] });
    expect(await legsOf(callId)).toEqual([expect.objectContaining({ mode: 'attended', outcome: 'answered', answered_at: expect.any(Date), ended_at: expect.any(Date) })]);
    const kinds = (await eventsOf(callId)).map((e) => e.kind);
    expect(kinds.slice(kinds.indexOf('answered'))).toEqual(['answered', 'transfer_started', 'transfer_answered', 'transfer_completed', 'hangup']);
    await expect.poll(() => ticketsOf(callId)).toEqual([expect.objectContaining({ stage: 'handoff', handler_user_id: h.users.judgeA })]);

    // One recording of the whole conversation: the operator's bridge, the consultation and the caller with the
    // judge, each take appended to the same wav by Asterisk (ifExists=append) and fetched once the call closed.
    const conversation = async () => (await h.pgc.query(`select status, path from telephony.recordings where call_id = $1 and kind = 'conversation'`, [callId])).rows[0];
    await expect.poll(conversation, { timeout: 20_000 }).toMatchObject({ status: 'stored' });
    const recording = await conversation();
    const ms = wavDurationMs(readFileSync(join(recordingsDir(h.hotline!.deps.config), recording.path)));
    expect(ms, 'the recording is a RIFF/WAVE file with its fmt and data chunks').not.toBeNull();
    const seconds = ms! / 1000;
    const { rows: at } = await h.pgc.query(`select kind, at from telephony.call_events where call_id = $1 order by seq`, [callId]);
    const span = (from: string, to: string) => (at.find((e) => e.kind === to).at - at.find((e) => e.kind === from).at) / 1000;
    // Bridged, so recorded: the operator with the caller, then (once the judge answered) the consultation and
    // the caller with the judge. An overwrite would leave only the last take.
    const inBridges = span('answered', 'transfer_started') + span('transfer_answered', 'hangup');
    await explaining(callId, callerChannel.name, async () => {
      expect(seconds).toBeGreaterThan(span('transfer_completed', 'hangup') + 3);
      expect(seconds).toBeGreaterThan(inBridges - 1.5);
      expect(seconds).toBeLessThanOrEqual(span('answered', 'hangup') + 0.5);
    });
  }, 120_000);

  it('attended, cancelled after consulting: the judge is hung up and the caller is back with the operator; a busy judge next: back with the operator again', async () => {
    await judgeDesk('answer', 'judgeA');
    await judgeDesk('busy', 'judgeC');
    const { callId, caller, request } = await operatorOnCall('13900000005', 18_000);
    await request('/transfer', { mode: 'attended', judgeId: h.users.judgeA });
    await bridged(operator, 'ext-8101');
    expect(await request('/transfer/cancel')).toMatchObject({ status: 202 });
    const back = await bridged('trunk', operator);
    await expect.poll(async () => named(await channels(), 'ext-8101')).toEqual([]);

    expect(await request('/transfer', { mode: 'attended', judgeId: h.users.judgeC })).toMatchObject({ status: 202 });
    await expect.poll(() => legsOf(callId)).toHaveLength(2);
    await expect.poll(async () => (await legsOf(callId))[1].outcome).toBe('busy');
    // The same two channels as before, in a new bridge.
    expect((await bridged('trunk', operator)).map((c) => c.id).sort()).toEqual(back.map((c) => c.id).sort());
    await callerDone(caller);
    expect(await closedOnce('13900000005')).toMatchObject({ outcome: 'answered', hangup_by: 'caller' });
    expect(await legsOf(callId)).toEqual([
      expect.objectContaining({ seq: 1, mode: 'attended', outcome: 'answered', answered_at: expect.any(Date), ended_at: expect.any(Date) }),
      expect.objectContaining({ seq: 2, mode: 'attended', outcome: 'busy', target_user_id: h.users.judgeC, answered_at: null, ended_at: expect.any(Date) }),
    ]);
    const kinds = (await eventsOf(callId)).map((e) => e.kind);
    expect(kinds.slice(kinds.indexOf('answered'))).toEqual(['answered', 'transfer_started', 'transfer_answered', 'transfer_cancelled', 'transfer_started', 'transfer_failed', 'hangup']);
    // Each judge gets the transferred-call ticket: the draft for the first, a new one for the second.
    await expect.poll(async () => (await ticketsOf(callId)).map((t) => [t.stage, t.handler_user_id]).sort()).toEqual(
      [
        ['handoff', h.users.judgeA],
        ['handoff', h.users.judgeC],
      ].sort(),
    );
  }, 120_000);

  it("the voice menu's option 1: the case directory is imported, the caller keys the case number and # and is put through to its judge", async () => {
    const adminId = randomUUID();
    await h.pgc.query(`insert into platform.users (id, court_id, username, display_name, role) values ($1, $2, 'admin-x', '管理员', 'admin')`, [adminId, h.courtId]);
    const admin = await sessionCookieFor(h.hotline!.deps.db, adminId);
    const csv = `案号,承办法官账号,承办部门\n${caseNumber},judgeA,\n（2024）豫0811民初77号,judgeB,\n`;
    expect(await call(h.hotline!.url, 'POST', '/api/telephony/case-directory/import', { cookie: admin, body: { csv } })).toMatchObject({ status: 200, body: { imported: 2 } });
    await judgeDesk('answer', 'judgeA');

    const keys: KeyGroup[] = [
      { afterMs: 1500, digits: '1' },
      { afterMs: 1500, digits: '202408111234#' },
    ];
    const caller = await placeCall(h.asterisk, { caller: '13900000006', keys, stayMs: 8000 });
    running.push(caller);
    const pair = await bridged('trunk', 'ext-8101');
    expect(heard(named(pair, 'trunk')[0]!.name, 'connecting-judge')).toBe(true);
    await callerDone(caller);

    const row = await closedOnce('13900000006');
    expect(row).toMatchObject({ outcome: 'transferred', hangup_by: 'caller', answered_by: null, skill: null });
    const events = await eventsOf(row.id);
    expect(events.map((e) => e.kind)).toEqual(['arrived', 'menu_choice', 'case_number_entered', 'transfer_started', 'transfer_answered', 'hangup']);
    expect(events[2]!.data).toMatchObject({ caseNumber, found: true });
    expect(await legsOf(row.id)).toEqual([expect.objectContaining({ mode: 'menu', outcome: 'answered', case_number: caseNumber, target_user_id: h.users.judgeA, requested_by: null })]);
    await expect.poll(() => ticketsOf(row.id)).toEqual([expect.objectContaining({ stage: 'handoff', handler_user_id: h.users.judgeA, owner_id: null, category: 'contact_judge' })]);
  }, 120_000);
});
