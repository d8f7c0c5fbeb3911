import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, sessionCookieFor } from '../api/testing/fixtures.ts';
import { useTelephonyOverSim } from './test/over-sim.ts';
import { useDesks } from '../test/harness/desks.ts';

// Transfers over the ARI stand-in through the real API (one process, api and telephony roles): the operator
// asks over HTTP, the controller carries it out, the console hears how it goes, rows and tickets follow.
const t = await useTelephonyOverSim({ env: { HOTLINE_ROLES: 'api,telephony', TELEPHONY_TRANSFER_RING_SECONDS: '1', TELEPHONY_CASE_ENTRY_TIMEOUT_SECONDS: '1' } });

const departmentId = randomUUID();
await t.pgc.query(`insert into platform.departments (id, court_id, name, extension) values ($1, $2, '民一庭', '8100')`, [departmentId, t.courtId]);
async function addJudge(extension: string, name: string): Promise<string> {
  const id = randomUUID();
  await t.pgc.query(`insert into platform.users (id, court_id, username, display_name, role, department_id, extension) values ($1, $2, $3, $4, 'judge', $5, $6)`, [
    id,
    t.courtId,
    `judge-${extension}`,
    name,
    departmentId,
    extension,
  ]);
  t.sim.endpoint(`ext-${extension}`).register();
  return id;
}
const judgeAnswers = await addJudge('8001', '张法官');
const judgeSilent = await addJudge('8002', '李法官');
const judgeBusy = await addJudge('8003', '王法官');
t.sim.endpoint('ext-8001').answerAfter(50);
t.sim.endpoint('ext-8002').noAnswer();
t.sim.endpoint('ext-8003').busy();

const { operatorOnCall } = useDesks(t, 'op76');

const transfer = (desk: { cookie: string; callId: string }, body: Record<string, unknown>) => call(t.url, 'POST', `/api/telephony/calls/${desk.callId}/transfer`, { cookie: desk.cookie, body });
const bridgeOf = (channelId: string) => t.sim.bridges().find((b) => b.channels.includes(channelId));
const legRows = async (callId: string) => (await t.pgc.query(`select seq, mode, outcome, target_user_id, answered_at, ended_at from telephony.transfer_legs where call_id = $1 order by seq`, [callId])).rows;
const ticketOf = async (callId: string) =>
  (await t.pgc.query(`select t.id, t.stage, t.handler_user_id, t.handler_department_id, t.owner_id, t.details, t.category from tickets.tickets t join tickets.ticket_calls c on c.ticket_id = t.id where c.call_id = $1`, [callId])).rows;

describe('transfers to judges (转接)', () => {
  it('blind: the operator leaves, the judge answers and talks with the caller; the draft ticket is handed off to the judge', async () => {
    const desk = await operatorOnCall('13600000001');
    expect(await transfer(desk, { mode: 'blind', judgeId: judgeAnswers })).toMatchObject({ status: 202 });
    expect((await desk.socket.next((m) => m.type === 'call.transfer' && m.data.status === 'started')).data).toMatchObject({ callId: desk.callId, mode: 'blind', target: '张法官' });
    await desk.socket.next((m) => m.type === 'call.transfer' && m.data.status === 'answered', 8000);
    await expect.poll(() => bridgeOf(desk.caller.channelId!)?.channels.sort()).toEqual([desk.caller.channelId, `${desk.callId}-tr1`].sort());
    expect(t.sim.endpoint(desk.endpoint).channels()).toEqual([]);
    await expect.poll(async () => (await call(t.url, 'GET', '/api/presence/me', { cookie: desk.cookie })).body.state).toBe('ready');

    t.sim.endpoint('ext-8001').hangup();
    const row = await t.closedCall(desk.caller.channelId);
    expect(row).toMatchObject({ outcome: 'answered', hangup_by: 'target', answered_by: desk.operatorId });
    expect(await legRows(desk.callId)).toEqual([expect.objectContaining({ seq: 1, mode: 'blind', outcome: 'answered', target_user_id: judgeAnswers, answered_at: expect.any(Date), ended_at: expect.any(Date) })]);
    const kinds = (await t.events(desk.callId)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['answered', 'transfer_started', 'transfer_answered', 'hangup']));
    await expect.poll(() => ticketOf(desk.callId)).toEqual([expect.objectContaining({ id: desk.draftTicketId, stage: 'handoff', handler_user_id: judgeAnswers, owner_id: desk.operatorId })]);
  });

  it('blind, not answered: the caller is offered a message, which goes with the ticket handed off to the judge', async () => {
    const desk = await operatorOnCall('13600000002');
    await transfer(desk, { mode: 'blind', judgeId: judgeSilent });
    await t.sim.waitFor('PlaybackStarted', (e: any) => e.playback?.target_uri === `channel:${desk.caller.channelId}` && e.playback.media_uri.includes('transfer-unanswered'), { timeoutMs: 8000 });
    await t.sim.waitFor('RecordingStarted', (e: any) => e.recording?.target_uri === `channel:${desk.caller.channelId}`, { timeoutMs: 8000 });
    await desk.caller.pressDigits('#');
    const row = await t.closedCall(desk.caller.channelId);
    expect(row).toMatchObject({ outcome: 'answered', answered_by: desk.operatorId });
    expect((await legRows(desk.callId))[0]).toMatchObject({ outcome: 'no_answer', answered_at: null });
    expect((await t.events(desk.callId)).map((e) => e.kind)).toEqual(expect.arrayContaining(['transfer_started', 'transfer_failed', 'recording_started', 'message_left']));
    await expect.poll(async () => (await ticketOf(desk.callId))[0]).toMatchObject({ stage: 'handoff', handler_user_id: judgeSilent });
    expect((await ticketOf(desk.callId))[0].details).toContain(`${desk.callId}-message`);
  });

  it('attended: consult the judge, then complete; the operator leaves and the caller talks with the judge', async () => {
    const desk = await operatorOnCall('13600000003');
    await transfer(desk, { mode: 'attended', judgeId: judgeAnswers });
    await desk.socket.next((m) => m.type === 'call.transfer' && m.data.status === 'answered', 8000);
    const operatorLeg = t.sim.endpoint(desk.endpoint).channels()[0]!.id;
    await expect.poll(() => bridgeOf(operatorLeg)?.channels.sort()).toEqual([operatorLeg, `${desk.callId}-tr1`].sort());
    expect(bridgeOf(desk.caller.channelId!)).toBeUndefined();

    expect(await call(t.url, 'POST', `/api/telephony/calls/${desk.callId}/transfer/complete`, { cookie: desk.cookie })).toMatchObject({ status: 202 });
    await desk.socket.next((m) => m.type === 'call.transfer' && m.data.status === 'completed');
    await expect.poll(() => bridgeOf(desk.caller.channelId!)?.channels.sort()).toEqual([desk.caller.channelId, `${desk.callId}-tr1`].sort());
    await expect.poll(() => t.sim.endpoint(desk.endpoint).channels()).toEqual([]);
    desk.caller.hangup();
    expect(await t.closedCall(desk.caller.channelId)).toMatchObject({ outcome: 'answered', hangup_by: 'caller' });
    expect(await legRows(desk.callId)).toEqual([expect.objectContaining({ mode: 'attended', outcome: 'answered' })]);
    await expect.poll(async () => (await ticketOf(desk.callId))[0]?.stage).toBe('handoff');
  });

  it('attended, cancelled after consulting: back with the caller; the leg stays answered and a second transfer is its own leg', async () => {
    const desk = await operatorOnCall('13600000004');
    await transfer(desk, { mode: 'attended', departmentId });
    t.sim.endpoint('ext-8100').register().answerAfter(20);
    await desk.socket.next((m) => m.type === 'call.transfer' && m.data.status === 'answered', 8000);
    await call(t.url, 'POST', `/api/telephony/calls/${desk.callId}/transfer/cancel`, { cookie: desk.cookie });
    await desk.socket.next((m) => m.type === 'call.transfer' && m.data.status === 'cancelled');
    const operatorLeg = t.sim.endpoint(desk.endpoint).channels()[0]!.id;
    await expect.poll(() => bridgeOf(desk.caller.channelId!)?.channels.sort()).toEqual([desk.caller.channelId, operatorLeg].sort());

    // At once: the saved state may still say consulting (it trails the step that bridged the caller back).
    expect(await transfer(desk, { mode: 'attended', judgeId: judgeBusy })).toMatchObject({ status: 202 });
    await desk.socket.next((m) => m.type === 'call.transfer' && m.data.status === 'failed' && m.data.outcome === 'busy', 8000);
    await expect.poll(() => bridgeOf(desk.caller.channelId!)?.channels.sort()).toEqual([desk.caller.channelId, operatorLeg].sort());
    desk.caller.hangup();
    await t.closedCall(desk.caller.channelId);
    await expect.poll(() => legRows(desk.callId)).toEqual([expect.objectContaining({ seq: 1, outcome: 'answered', ended_at: expect.any(Date) }), expect.objectContaining({ seq: 2, outcome: 'busy', answered_at: null })]);
  });

  it('refuses what the operator may not do, and changes nothing', async () => {
    const desk = await operatorOnCall('13600000005');
    const other = await operatorOnCall('13600000006');
    const notYours = await call(t.url, 'POST', `/api/telephony/calls/${desk.callId}/transfer`, { cookie: other.cookie, body: { mode: 'blind', judgeId: judgeAnswers } });
    expect(notYours).toMatchObject({ status: 403, body: { code: 'not_your_call' } });
    expect((await call(t.url, 'POST', `/api/telephony/calls/${desk.callId}/transfer/complete`, { cookie: desk.cookie })).body.code).toBe('transfer_not_allowed');
    expect((await call(t.url, 'POST', `/api/telephony/calls/${randomUUID()}/transfer`, { cookie: desk.cookie, body: { mode: 'blind', number: '8001' } })).status).toBe(404);
    expect((await transfer(desk, { mode: 'blind', judgeId: randomUUID() })).body.code).toBe('transfer_target_invalid');
    expect((await transfer(desk, { mode: 'blind', judgeId: judgeAnswers, number: '8001' })).status).toBe(400);
    expect((await transfer(desk, { mode: 'sideways', judgeId: judgeAnswers })).status).toBe(400);
    expect(await legRows(desk.callId)).toEqual([]);
    expect(bridgeOf(desk.caller.channelId!)?.channels).toHaveLength(2);
    desk.caller.hangup();
    other.caller.hangup();
    await t.closedCall(desk.caller.channelId);
    await t.closedCall(other.caller.channelId);
  });
});

describe("the voice menu's contact-the-judge option", () => {
  it('imports the case directory from CSV, all rows or none', async () => {
    const admin = await sessionAdmin();
    const bad = await call(t.url, 'POST', '/api/telephony/case-directory/import', { cookie: admin, body: { csv: '案号,承办法官账号\n（2024）豫0811民初1234号,judge-8001\n不是案号,judge-8001\n' } });
    expect(bad).toMatchObject({ status: 400, body: { code: 'case_import_invalid' } });
    expect(bad.body.message).toContain('row 3');
    expect((await t.pgc.query('select count(*)::int as n from telephony.case_directory')).rows[0].n).toBe(0);
    const csv = '案号,承办法官账号,承办部门\n(2024)豫0811民初1234号,judge-8001,\n（2024）豫0811民初77号,judge-8002,\n（2025）豫0811执9号,,民一庭\n';
    expect(await call(t.url, 'POST', '/api/telephony/case-directory/import', { cookie: admin, body: { csv } })).toMatchObject({ status: 200, body: { imported: 3 } });
  });

  async function menuCaller(from: string, digits: string) {
    const caller = await t.sim.placeCall({ from });
    await t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === caller.channelId && e.channel.state === 'Up', { includePast: true });
    await caller.pressDigits('1');
    if (digits) await caller.pressDigits(digits, { gapMs: 5 });
    return caller;
  }

  it('keys the case number and is put through to its judge: the call closes as transferred', async () => {
    const caller = await menuCaller('13700000001', '202408111234#');
    await expect.poll(() => bridgeOf(caller.channelId!)?.channels.length, { timeout: 8000 }).toBe(2);
    t.sim.endpoint('ext-8001').hangup();
    const row = await t.closedCall(caller.channelId);
    expect(row).toMatchObject({ outcome: 'transferred', hangup_by: 'target', answered_by: null, skill: null });
    const events = await t.events(row.id);
    expect(events.map((e) => e.kind)).toEqual(['arrived', 'menu_choice', 'case_number_entered', 'transfer_started', 'transfer_answered', 'hangup']);
    expect(events[2]!.data).toMatchObject({ caseNumber: '（2024）豫0811民初1234号', found: true });
    await expect.poll(async () => (await ticketOf(row.id))[0]).toMatchObject({ stage: 'handoff', handler_user_id: judgeAnswers, owner_id: null, category: 'contact_judge' });
  });

  it("the judge does not answer: an operator takes the caller, and the judge still gets the ticket", async () => {
    const caller = await menuCaller('13700000002', '2024081177#');
    await expect.poll(async () => (await t.rt.service.queueSnapshot(t.courtId)).waiting.length, { timeout: 8000 }).toBe(1);
    caller.hangup();
    const row = await t.closedCall(caller.channelId);
    expect(row).toMatchObject({ outcome: 'abandoned_in_queue', skill: 'judge_contact' });
    expect(await legRows(row.id)).toEqual([expect.objectContaining({ mode: 'menu', outcome: 'no_answer' })]);
    await expect.poll(async () => (await ticketOf(row.id))[0]).toMatchObject({ stage: 'handoff', handler_user_id: judgeSilent });
  });

  it('an unknown case number, or none, goes to an operator', async () => {
    const unknown = await menuCaller('13700000003', '99999#');
    await t.sim.waitFor('PlaybackStarted', (e: any) => e.playback?.target_uri === `channel:${unknown.channelId}` && e.playback.media_uri.includes('case-not-found'), { timeoutMs: 8000 });
    await expect.poll(async () => (await t.rt.service.queueSnapshot(t.courtId)).waiting.length, { timeout: 8000 }).toBe(1);
    unknown.hangup();
    const row = await t.closedCall(unknown.channelId);
    expect((await t.events(row.id)).map((e) => e.kind)).toEqual(['arrived', 'menu_choice', 'case_not_found', 'queued', 'hangup']);

    const silent = await menuCaller('13700000004', '');
    await expect.poll(async () => (await t.rt.service.queueSnapshot(t.courtId)).waiting.length, { timeout: 8000 }).toBe(1);
    silent.hangup();
    const second = await t.closedCall(silent.channelId);
    expect((await t.events(second.id)).find((e) => e.kind === 'case_not_found')!.data).toMatchObject({ reason: 'no_input' });
  });

  it('a department-only case rings the department', async () => {
    t.sim.endpoint('ext-8100').register().answerAfter(20);
    const caller = await menuCaller('13700000005', '202508119#');
    await expect.poll(() => bridgeOf(caller.channelId!)?.channels.length, { timeout: 8000 }).toBe(2);
    caller.hangup();
    const row = await t.closedCall(caller.channelId);
    expect(row.outcome).toBe('transferred');
    await expect.poll(async () => (await ticketOf(row.id))[0]).toMatchObject({ handler_department_id: departmentId, handler_user_id: null });
  });
});

async function sessionAdmin(): Promise<string> {
  const id = randomUUID();
  await t.pgc.query(`insert into platform.users (id, court_id, username, display_name, role) values ($1, $2, $3, '管理员', 'admin')`, [id, t.courtId, `admin-${id.slice(0, 6)}`]);
  return sessionCookieFor(t.hotline.deps.db, id);
}
