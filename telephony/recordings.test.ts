import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { call, sessionCookieFor } from '../api/testing/fixtures.ts';
import { serviceOf } from '../platform/deps.ts';
import { silentWav } from './ari-sim/routes/media.ts';
import { expireRecordings } from './recordings/jobs.ts';
import { recordingName, recordingPath } from './recordings/names.ts';
import { fetchJobId, recordingJobs } from './recordings/queue.ts';
import { useTelephonyOverSim } from './test/over-sim.ts';
import { useDesks } from '../test/harness/desks.ts';

// Recordings over the ARI stand-in through the real API, with the controller and the workers in one process:
// every bridge of a call appends to one recording in Asterisk; when the call closes a job fetches it over ARI
// into the recordings directory and links it to the call; playback is allowed to the court's managers and the
// operator who answered, and audited; retention removes old files and keeps the rows.
const recordingsDir = mkdtempSync(join(tmpdir(), 'hotline-recordings-'));
afterAll(() => rmSync(recordingsDir, { recursive: true, force: true }));
const t = await useTelephonyOverSim({
  proxyAri: true,
  env: { HOTLINE_ROLES: 'api,telephony,workers', TELEPHONY_TRANSFER_RING_SECONDS: '1', TELEPHONY_RECORDINGS_DIR: recordingsDir, TELEPHONY_RECORDING_RETENTION_DAYS: '30' },
});
const recordingsRuntime = () => serviceOf(t.hotline.deps, 'telephonyRecordings');

async function addUser(role: 'judge' | 'manager' | 'operator', courtId = t.courtId, extension?: string): Promise<string> {
  const id = randomUUID();
  await t.pgc.query(`insert into platform.users (id, court_id, username, display_name, role, extension) values ($1, $2, $3, $4, $5, $6)`, [id, courtId, `${role}-${id.slice(0, 8)}`, `${role} ${id.slice(0, 4)}`, role, extension ?? null]);
  return id;
}
const judgeAnswers = await addUser('judge', t.courtId, '8201');
const judgeSilent = await addUser('judge', t.courtId, '8202');
t.sim.endpoint('ext-8201').register().answerAfter(50);
t.sim.endpoint('ext-8202').register().noAnswer();
const managerCookie = await sessionCookieFor(t.hotline.deps.db, await addUser('manager'));
const judgeCookie = await sessionCookieFor(t.hotline.deps.db, judgeAnswers);
const otherOperatorCookie = await sessionCookieFor(t.hotline.deps.db, await addUser('operator'));
const otherCourt = randomUUID();
await t.pgc.query(`insert into platform.courts (id, code, name) values ($1, 'T02', '另一法院')`, [otherCourt]);
const otherManagerCookie = await sessionCookieFor(t.hotline.deps.db, await addUser('manager', otherCourt));

const desks = useDesks(t, 'op81');
afterEach(() => t.ariProxy!.resetRequests(false));

/** An operator on a call with a new caller, once the conversation's recording has started. */
async function operatorOnCall(from: string) {
  const desk = await desks.operatorOnCall(from);
  await t.sim.waitFor('RecordingStarted', (e: any) => e.recording?.name === recordingName(desk.callId, 'conversation'), { includePast: true, timeoutMs: 5000 });
  return desk;
}

/** Every recording's takes as the stand-in made them, and its stored length when its last take finished (as Asterisk stores it). */
const takesByName = new Map<string, Array<{ target: string; startedAt: number; finishedAt?: number }>>();
const storedMsByName = new Map<string, number | undefined>();
const ariTime = (ts: string) => Date.parse(ts.replace(/(\d\d)(\d\d)$/, '$1:$2'));
afterAll(
  t.sim.onEvent(({ event }: { event: any }) => {
    const name = event.recording?.name as string | undefined;
    if (!name) return;
    if (event.type === 'RecordingStarted') takesByName.set(name, [...(takesByName.get(name) ?? []), { target: event.recording.target_uri, startedAt: ariTime(event.timestamp) }]);
    if (event.type === 'RecordingFinished') {
      takesByName.get(name)!.at(-1)!.finishedAt = ariTime(event.timestamp);
      storedMsByName.set(name, t.sim.asterisk.storedRecordings.get(name)?.durationMs);
    }
  }),
);
const watchStoredLength = (name: string) => ({ takes: takesByName.get(name) ?? [], storedMs: () => storedMsByName.get(name) });

const recordingRows = async (callId: string) =>
  (await t.pgc.query(`select kind, status, name, path, size_bytes, court_id, call_arrived_at, removed_at from telephony.recordings where call_id = $1 order by kind`, [callId])).rows;
const storedRow = async (callId: string, kind = 'conversation') => {
  await expect.poll(async () => (await recordingRows(callId)).find((r) => r.kind === kind)?.status, { timeout: 15_000, interval: 100 }).toBe('stored');
  return (await recordingRows(callId)).find((r) => r.kind === kind)!;
};
const arrivedAt = async (callId: string) => (await t.pgc.query(`select arrived_at from telephony.calls where id = $1`, [callId])).rows[0].arrived_at as Date;
const filesOf = (callId: string) => (readdirSync(recordingsDir, { recursive: true }) as string[]).filter((f) => f.includes(callId));
const play = (cookie: string, callId: string, query = '', headers: Record<string, string> = {}) => fetch(`${t.url}/api/telephony/calls/${callId}/recording${query}`, { headers: { cookie, ...headers } });
const audits = async (callId: string) => (await t.pgc.query(`select actor_user_id, detail from api.audit_log where action = 'recording.played' and target_id = $1 order by id`, [callId])).rows;

describe('call recordings (录音)', () => {
  let answered: Awaited<ReturnType<typeof operatorOnCall>>;

  it('an answered call makes exactly one file, named by the call, with what Asterisk recorded, linked from the call; Asterisk’s copy is deleted', async () => {
    answered = await operatorOnCall('13700000001');
    const name = recordingName(answered.callId, 'conversation');
    await new Promise((r) => setTimeout(r, 400));
    answered.caller.hangup();
    expect(await t.closedCall(answered.caller.channelId)).toMatchObject({ outcome: 'answered', answered_by: answered.operatorId });

    const row = await storedRow(answered.callId);
    const watch = watchStoredLength(name);
    const path = recordingPath(answered.callId, 'conversation', await arrivedAt(answered.callId));
    expect(path).toMatch(new RegExp(`^\\d{4}/\\d{2}/${answered.callId}\\.wav$`));
    expect(row).toMatchObject({ name, path, court_id: t.courtId });
    expect(watch.takes).toEqual([expect.objectContaining({ target: `bridge:${answered.callId}-br` })]);
    const expected = silentWav(watch.storedMs()!);
    expect(watch.storedMs()).toBeGreaterThan(300);
    const file = readFileSync(join(recordingsDir, path));
    expect(file.equals(expected)).toBe(true);
    expect(Number(row.size_bytes)).toBe(file.length);
    expect(filesOf(answered.callId)).toEqual([path]);
    await expect.poll(() => t.sim.asterisk.storedRecordings.has(name)).toBe(false);
    expect((await recordingRows(answered.callId)).map((r) => r.kind)).toEqual(['conversation']);
  });

  it('plays for the court’s managers and the operator who answered (with ranges), refuses others, and audits each playback', async () => {
    const { callId, cookie } = answered;
    const path = (await recordingRows(callId))[0].path as string;
    const bytes = readFileSync(join(recordingsDir, path));

    const byManager = await play(managerCookie, callId);
    expect(byManager.status).toBe(200);
    expect(byManager.headers.get('content-type')).toBe('audio/wav');
    expect(byManager.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await byManager.arrayBuffer()).equals(bytes)).toBe(true);

    const byOperator = await play(cookie, callId, '?download=1');
    expect(byOperator.status).toBe(200);
    expect(byOperator.headers.get('content-disposition')).toBe(`attachment; filename="${callId}.wav"`);
    expect(Buffer.from(await byOperator.arrayBuffer()).length).toBe(bytes.length);

    const ranged = await play(cookie, callId, '', { range: 'bytes=100-199' });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);

    const refused = async (c: string, id = callId) => {
      const r = await call(t.url, 'GET', `/api/telephony/calls/${id}/recording`, { cookie: c });
      return { status: r.status, code: r.body?.code };
    };
    expect(await refused(otherOperatorCookie)).toEqual({ status: 403, code: 'not_your_call' });
    expect(await refused(judgeCookie)).toEqual({ status: 403, code: 'forbidden' });
    expect(await refused(otherManagerCookie)).toEqual({ status: 404, code: 'call_not_found' });
    expect(await refused(managerCookie, randomUUID())).toEqual({ status: 404, code: 'call_not_found' });
    expect(await refused(managerCookie, 'not-a-call')).toMatchObject({ status: 400 });
    expect((await call(t.url, 'GET', `/api/telephony/calls/${callId}/recording?kind=message`, { cookie: managerCookie })).body.code).toBe('recording_not_found');

    // Two playbacks from the start; the mid-file range a player asks for while seeking is not another one.
    const trail = await audits(callId);
    expect(trail).toHaveLength(2);
    expect(trail.map((a) => a.actor_user_id)).toEqual([expect.any(String), answered.operatorId]);
    expect(trail[1].detail).toEqual({ kind: 'conversation', download: true });
  });

  it('an attended transfer appends the consultation and the talk with the judge to the same recording', async () => {
    const desk = await operatorOnCall('13700000002');
    const name = recordingName(desk.callId, 'conversation');
    await call(t.url, 'POST', `/api/telephony/calls/${desk.callId}/transfer`, { cookie: desk.cookie, body: { mode: 'attended', judgeId: judgeAnswers } });
    await desk.socket.next((m) => m.type === 'call.transfer' && m.data.status === 'answered', 8000);
    await new Promise((r) => setTimeout(r, 200));
    await call(t.url, 'POST', `/api/telephony/calls/${desk.callId}/transfer/complete`, { cookie: desk.cookie });
    await t.sim.waitFor('RecordingStarted', (e: any) => e.recording?.target_uri === `bridge:${desk.callId}-tb1`, { includePast: true, timeoutMs: 5000 });
    await new Promise((r) => setTimeout(r, 200));
    desk.caller.hangup();
    await t.closedCall(desk.caller.channelId);

    const row = await storedRow(desk.callId);
    const watch = watchStoredLength(name);
    expect(watch.takes.map((take) => take.target)).toEqual([`bridge:${desk.callId}-br`, `bridge:${desk.callId}-cb1`, `bridge:${desk.callId}-tb1`]);
    // The stored length is the sum of the three takes (each from its RecordingStarted to its RecordingFinished).
    const takesMs = watch.takes.reduce((sum, take) => sum + (take.finishedAt! - take.startedAt), 0);
    expect(Math.abs(watch.storedMs()! - takesMs)).toBeLessThan(30);
    expect(readFileSync(join(recordingsDir, row.path)).equals(silentWav(watch.storedMs()!))).toBe(true);
    expect(filesOf(desk.callId)).toEqual([row.path]);
  });

  it('a message the caller left after an unanswered transfer is kept beside the conversation, for the court’s operators', async () => {
    const desk = await operatorOnCall('13700000003');
    await call(t.url, 'POST', `/api/telephony/calls/${desk.callId}/transfer`, { cookie: desk.cookie, body: { mode: 'blind', judgeId: judgeSilent } });
    await t.sim.waitFor('RecordingStarted', (e: any) => e.recording?.name === `${desk.callId}-message`, { timeoutMs: 8000 });
    await new Promise((r) => setTimeout(r, 150));
    await desk.caller.pressDigits('#');
    await t.closedCall(desk.caller.channelId);

    const message = await storedRow(desk.callId, 'message');
    await storedRow(desk.callId, 'conversation');
    expect(message.path).toBe(recordingPath(desk.callId, 'message', await arrivedAt(desk.callId)));
    expect(filesOf(desk.callId).sort()).toEqual([message.path, recordingPath(desk.callId, 'conversation', await arrivedAt(desk.callId))].sort());
    expect((await play(otherOperatorCookie, desk.callId, '?kind=message')).status).toBe(200);
    expect((await play(otherOperatorCookie, desk.callId)).status).toBe(403);
  });

  it('a fetch that finds ARI unreachable is retried, and stores the file once ARI answers again', async () => {
    const desk = await operatorOnCall('13700000004');
    t.ariProxy!.resetRequests(/ \/ari\/recordings\//);
    desk.caller.hangup();
    await t.closedCall(desk.caller.channelId);
    const queue = recordingsRuntime().queue;
    const jobId = fetchJobId(desk.callId, 'conversation');
    await expect.poll(async () => (await queue.getJob(jobId))?.attemptsMade ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const failing = (await queue.getJob(jobId))!;
    expect(failing.failedReason).toMatch(/unreachable/);
    expect(await recordingRows(desk.callId)).toEqual([]);
    expect(t.sim.asterisk.storedRecordings.has(recordingName(desk.callId, 'conversation'))).toBe(true);

    t.ariProxy!.resetRequests(false);
    const row = await storedRow(desk.callId);
    expect(existsSync(join(recordingsDir, row.path))).toBe(true);
    expect(filesOf(desk.callId)).toEqual([row.path]);
    await expect.poll(() => t.sim.asterisk.storedRecordings.has(recordingName(desk.callId, 'conversation'))).toBe(false);
  });

  it('the sweep fetches a recording of a closed call that no job was queued for', async () => {
    const callId = randomUUID();
    await t.pgc.query(
      `insert into telephony.calls (id, court_id, channel_id, caller_number, dialled, arrived_at, outcome, hangup_by, ended_at) values ($1, $2, 'lost-1', '13700000005', '12368', now() - interval '1 minute', 'answered', 'caller', now())`,
      [callId, t.courtId],
    );
    t.sim.asterisk.storedRecordings.set(recordingName(callId, 'conversation'), { name: recordingName(callId, 'conversation'), format: 'wav', durationMs: 1500 });
    // A recording of a call still in progress is left alone.
    const openCallId = randomUUID();
    await t.pgc.query(`insert into telephony.calls (id, court_id, channel_id, caller_number, dialled, arrived_at) values ($1, $2, 'open-1', '13700000006', '12368', now())`, [openCallId, t.courtId]);
    t.sim.asterisk.storedRecordings.set(recordingName(openCallId, 'conversation'), { name: recordingName(openCallId, 'conversation'), format: 'wav', durationMs: 500 });

    await recordingsRuntime().queue.add(recordingJobs.sweep, {});
    const row = await storedRow(callId);
    expect(readFileSync(join(recordingsDir, row.path)).equals(silentWav(1500))).toBe(true);
    expect(await recordingRows(openCallId)).toEqual([]);
    expect(t.sim.asterisk.storedRecordings.has(recordingName(openCallId, 'conversation'))).toBe(true);
  });

  it('retention: a daily job removes files older than the retention period and marks them removed; the rows stay', async () => {
    const schedulers = await recordingsRuntime().queue.getJobSchedulers();
    expect(schedulers).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'recordings-expire', every: 24 * 3600_000 })]));

    const old = answered.callId;
    const [oldRow] = await recordingRows(old);
    const recent = (await t.pgc.query(`select call_id, path from telephony.recordings where status = 'stored' and call_id <> $1 limit 1`, [old])).rows[0];
    await t.pgc.query(`update telephony.recordings set call_arrived_at = now() - interval '31 days' where call_id = $1`, [old]);

    expect(await expireRecordings(recordingsRuntime().context)).toBe(1);
    expect(existsSync(join(recordingsDir, oldRow.path))).toBe(false);
    expect(existsSync(join(recordingsDir, recent.path))).toBe(true);
    expect(await recordingRows(old)).toEqual([expect.objectContaining({ status: 'removed', path: oldRow.path, removed_at: expect.any(Date) })]);
    expect((await t.pgc.query(`select outcome from telephony.calls where id = $1`, [old])).rows).toEqual([{ outcome: 'answered' }]);
    expect((await call(t.url, 'GET', `/api/telephony/calls/${old}/recording`, { cookie: managerCookie })).body.code).toBe('recording_removed');
    // Run again: nothing more to remove.
    expect(await expireRecordings(recordingsRuntime().context)).toBe(0);
  });
});
