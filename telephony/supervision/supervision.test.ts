import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { ConsoleSocket } from '../../api/testing/console-socket.ts';
import { call, sessionCookieFor } from '../../api/testing/fixtures.ts';
import type { HotlineEvent } from '../../platform/events.ts';
import { useDesks } from '../../test/harness/desks.ts';
import { CallStore } from '../calls/call-store.ts';
import { useTelephonyOverSim } from '../test/over-sim.ts';
import { SupervisionController } from './controller.ts';
import { SupervisionViews } from './view-store.ts';

// Listen, whisper and barge over the ARI stand-in through the real API (api and telephony roles in one process):
// which channels and bridges Asterisk is asked for, the call's events, the consoles' events, and the refusals.
const t = await useTelephonyOverSim({ env: { HOTLINE_ROLES: 'api,telephony' } });
const { operatorOnCall } = useDesks(t, 'op23');

async function addUser(role: string, o: { sip?: string; extension?: string; courtId?: string } = {}) {
  const id = randomUUID();
  await t.pgc.query(`insert into platform.users (id, court_id, username, display_name, role, sip_endpoint, extension) values ($1, $2, $3, $4, $5, $6, $7)`, [
    id,
    o.courtId ?? t.courtId,
    `${role}-${id.slice(0, 6)}`,
    `${role} ${id.slice(0, 4)}`,
    role,
    o.sip ?? null,
    o.extension ?? null,
  ]);
  return { id, cookie: await sessionCookieFor(t.hotline.deps.db, id) };
}

const otherCourt = randomUUID();
await t.pgc.query(`insert into platform.courts (id, code, name) values ($1, 'T23', '另一法院')`, [otherCourt]);
const manager = await addUser('manager', { sip: 'mgr2301' });
const head = await addUser('department_head', { extension: '8601' });
const secondManager = await addUser('manager', { sip: 'mgr2302' });
const noPhone = await addUser('manager');
const foreign = await addUser('manager', { sip: 'mgr2399', courtId: otherCourt });
for (const endpoint of ['mgr2301', 'mgr2302', 'ext-8601']) t.sim.endpoint(endpoint).register().answerAfter(30);
const managerSocket = await ConsoleSocket.open(t.url, manager.cookie);

const supervise = (who: { cookie: string }, callId: string, mode: string) => call(t.url, 'PUT', `/api/telephony/calls/${callId}/supervision`, { cookie: who.cookie, body: { mode } });
const leave = (who: { cookie: string }, callId: string) => call(t.url, 'DELETE', `/api/telephony/calls/${callId}/supervision`, { cookie: who.cookie });
const channel = (id: string) => t.sim.asterisk.channels.get(id);
const legOf = (callId: string) => [...t.sim.asterisk.channels.values()].find((c) => c.id.startsWith(`${callId}-sv`));
const snoopsOf = (callId: string) => [...t.sim.asterisk.channels.values()].filter((c) => c.id.startsWith(`${callId}-sn`));
const bridgeWith = (channelId: string) => t.sim.bridges().find((b) => b.channels.includes(channelId));
const supervisionEvents = async (callId: string) => (await t.events(callId)).filter((e) => e.kind.startsWith('supervision_'));
const nextSupervision = (socket: ConsoleSocket, callId: string, status: string) =>
  socket.next((m) => m.type === 'call.supervision' && m.data.callId === callId && m.data.status === status && !socket.messages.slice(0, socket.messages.indexOf(m)).includes(m), 8000);

describe('supervision (监听 / 耳语 / 强插)', () => {
  it('listen, switch to whisper, switch to barge, leave: the same supervisor leg throughout, the call untouched', async () => {
    const desk = await operatorOnCall('13700002301');
    const operatorLeg = t.sim.endpoint(desk.endpoint).channels()[0]!.id;
    const mainBridge = bridgeWith(desk.caller.channelId!)!.id;

    expect(await supervise(manager, desk.callId, 'listen')).toMatchObject({ status: 202, body: { mode: 'listen', status: 'requested' } });
    await nextSupervision(managerSocket, desk.callId, 'started');
    const leg = legOf(desk.callId)!;
    expect(leg.endpoint).toBe('mgr2301');
    let [snoop] = snoopsOf(desk.callId);
    expect(snoop!.snoop).toEqual({ targetId: desk.caller.channelId, spy: 'both', whisper: 'none' });
    expect(bridgeWith(leg.id)!.channels.sort()).toEqual([leg.id, snoop!.id].sort());
    expect(bridgeWith(desk.caller.channelId!)!.channels.sort()).toEqual([desk.caller.channelId, operatorLeg].sort());

    expect(await supervise(manager, desk.callId, 'whisper')).toMatchObject({ status: 202 });
    await expect.poll(() => snoopsOf(desk.callId).map((c) => c.snoop)).toEqual([{ targetId: operatorLeg, spy: 'both', whisper: 'out' }]);
    [snoop] = snoopsOf(desk.callId);
    await expect.poll(() => bridgeWith(leg.id)?.channels.sort()).toEqual([leg.id, snoop!.id].sort());
    expect(channel(leg.id)?.ended).toBe(false);

    expect(await supervise(manager, desk.callId, 'barge')).toMatchObject({ status: 202 });
    await expect.poll(() => bridgeWith(desk.caller.channelId!)?.channels.sort()).toEqual([desk.caller.channelId, operatorLeg, leg.id].sort());
    expect(snoopsOf(desk.callId)).toEqual([]);
    expect(await supervise(manager, desk.callId, 'barge')).toMatchObject({ status: 202, body: { status: 'unchanged' } });

    expect(await leave(manager, desk.callId)).toMatchObject({ status: 202 });
    await expect.poll(() => legOf(desk.callId)).toBeUndefined();
    expect(bridgeWith(desk.caller.channelId!)!.id).toBe(mainBridge);
    expect(bridgeWith(desk.caller.channelId!)!.channels.sort()).toEqual([desk.caller.channelId, operatorLeg].sort());
    await expect.poll(async () => (await supervisionEvents(desk.callId)).map((e) => [e.kind, e.data.mode, e.data.from ?? e.data.reason ?? null])).toEqual([
      ['supervision_started', 'listen', null],
      ['supervision_switched', 'whisper', 'listen'],
      ['supervision_switched', 'barge', 'whisper'],
      ['supervision_stopped', 'barge', 'left'],
    ]);
    const events = await supervisionEvents(desk.callId);
    expect(events.every((e) => e.data.supervisorId === manager.id && e.operator_id === desk.operatorId)).toBe(true);

    // The call goes on as if no one had been there.
    desk.caller.hangup();
    expect(await t.closedCall(desk.caller.channelId)).toMatchObject({ outcome: 'answered', answered_by: desk.operatorId });
  });

  it('the call ends while supervised: the supervisor leg and the snoop go too', async () => {
    const desk = await operatorOnCall('13700002302');
    await supervise(head, desk.callId, 'listen');
    await expect.poll(() => snoopsOf(desk.callId).length, { timeout: 8000 }).toBe(1);
    expect(legOf(desk.callId)!.endpoint).toBe('ext-8601');
    desk.caller.hangup();
    await t.closedCall(desk.caller.channelId);
    await expect.poll(() => [legOf(desk.callId), snoopsOf(desk.callId).length]).toEqual([undefined, 0]);
    await expect.poll(() => t.sim.bridges().filter((b) => b.id.startsWith(desk.callId))).toEqual([]);
    await expect.poll(async () => (await supervisionEvents(desk.callId)).map((e) => [e.kind, e.data.reason ?? null])).toEqual([
      ['supervision_started', null],
      ['supervision_stopped', 'call_ended'],
    ]);
  });

  it('the supervisor hangs up their own phone: the supervision ends, the call goes on', async () => {
    const desk = await operatorOnCall('13700002303');
    await supervise(manager, desk.callId, 'barge');
    await expect.poll(() => bridgeWith(desk.caller.channelId!)?.channels.length, { timeout: 8000 }).toBe(3);
    t.sim.endpoint('mgr2301').hangup();
    await expect.poll(() => bridgeWith(desk.caller.channelId!)?.channels.length).toBe(2);
    await expect.poll(async () => (await supervisionEvents(desk.callId)).map((e) => e.data.reason ?? null)).toEqual([null, 'supervisor_hung_up']);
    expect((await call(t.url, 'GET', '/api/telephony/supervision/calls', { cookie: manager.cookie })).body).toContainEqual(expect.objectContaining({ callId: desk.callId, supervision: null }));
    desk.caller.hangup();
    expect(await t.closedCall(desk.caller.channelId)).toMatchObject({ outcome: 'answered' });
  });

  it('only heads and managers of the call’s court, one supervisor at a time, from a phone they have', async () => {
    const desk = await operatorOnCall('13700002304');
    expect(await supervise({ cookie: desk.cookie }, desk.callId, 'listen')).toMatchObject({ status: 403 });
    expect(await supervise(foreign, desk.callId, 'listen')).toMatchObject({ status: 404, body: { code: 'call_not_found' } });
    expect(await supervise(noPhone, desk.callId, 'listen')).toMatchObject({ status: 409, body: { code: 'no_phone' } });
    expect(await supervise(manager, randomUUID(), 'listen')).toMatchObject({ status: 404 });
    expect(await supervise(manager, desk.callId, 'eavesdrop')).toMatchObject({ status: 400 });
    const listed = await call(t.url, 'GET', '/api/telephony/supervision/calls', { cookie: manager.cookie });
    expect(listed.body).toContainEqual(expect.objectContaining({ callId: desk.callId, operatorId: desk.operatorId, callerNumberMasked: '137****2304', supervision: null }));
    expect((await call(t.url, 'GET', '/api/telephony/supervision/calls', { cookie: foreign.cookie })).body).toEqual([]);

    await supervise(manager, desk.callId, 'listen');
    await expect.poll(async () => (await call(t.url, 'GET', '/api/telephony/supervision/calls', { cookie: head.cookie })).body.find((c: any) => c.callId === desk.callId)?.supervision?.status, { timeout: 8000 }).toBe('active');
    expect(await supervise(secondManager, desk.callId, 'barge')).toMatchObject({ status: 409, body: { code: 'already_supervised' } });
    expect(await leave(head, desk.callId)).toMatchObject({ status: 403 });
    expect(await leave(foreign, desk.callId)).toMatchObject({ status: 404 });
    // A manager of the court may end another's supervision.
    expect(await leave(secondManager, desk.callId)).toMatchObject({ status: 202 });
    await expect.poll(() => legOf(desk.callId)).toBeUndefined();
    desk.caller.hangup();
    await t.closedCall(desk.caller.channelId);
    expect(await supervise(manager, desk.callId, 'listen')).toMatchObject({ status: 404 });
  });

  it("tells the operator only when the court's setting says so", async () => {
    expect((await call(t.url, 'GET', '/api/telephony/call-settings', { cookie: manager.cookie })).body).toEqual({ supervisionNotice: false, recordingNotice: false });
    const quiet = await operatorOnCall('13700002305');
    await supervise(manager, quiet.callId, 'listen');
    await nextSupervision(managerSocket, quiet.callId, 'started');
    await leave(manager, quiet.callId);
    await nextSupervision(managerSocket, quiet.callId, 'stopped');
    expect(quiet.socket.messages.filter((m) => m.type === 'call.supervision')).toEqual([]);

    expect(await call(t.url, 'PUT', '/api/telephony/call-settings', { cookie: head.cookie, body: { supervisionNotice: true } })).toMatchObject({ status: 403 });
    expect(await call(t.url, 'PUT', '/api/telephony/call-settings', { cookie: manager.cookie, body: { supervisionNotice: true } })).toMatchObject({ status: 200, body: { supervisionNotice: true, recordingNotice: false } });
    const told = await operatorOnCall('13700002306');
    await supervise(manager, told.callId, 'whisper');
    expect((await nextSupervision(told.socket, told.callId, 'started')).data).toMatchObject({ mode: 'whisper', operatorId: told.operatorId, supervisorId: manager.id });
    await leave(manager, told.callId);
    await nextSupervision(told.socket, told.callId, 'stopped');
    await call(t.url, 'PUT', '/api/telephony/call-settings', { cookie: manager.cookie, body: { supervisionNotice: false } });
    told.caller.hangup();
    quiet.caller.hangup();
  });

  it('a controller restart: the supervision is cleaned up, the call adopted and still bridged', async () => {
    const desk = await operatorOnCall('13700002307');
    const operatorLeg = t.sim.endpoint(desk.endpoint).channels()[0]!.id;
    await supervise(manager, desk.callId, 'listen');
    await expect.poll(() => snoopsOf(desk.callId).length, { timeout: 8000 }).toBe(1);
    await t.stopHotline();
    // A graceful stop ends the supervision; a killed controller would leave it: put the same channels back as it would.
    expect(legOf(desk.callId)).toBeUndefined();
    const stale = `${desk.callId}-sv1`;
    await fetch(`${t.sim.url}/ari/channels/${stale}?endpoint=PJSIP/mgr2301&app=hotline12368&appArgs=supervisor`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from('hotline:hotline').toString('base64')}` } });
    await expect.poll(() => channel(stale)?.inStasis).toBe(true);
    await t.startHotline();
    await expect.poll(() => channel(stale), { timeout: 8000 }).toBeUndefined();
    expect(bridgeWith(desk.caller.channelId!)?.channels.sort()).toEqual([desk.caller.channelId, operatorLeg].sort());
    const kinds = (await t.events(desk.callId)).map((e) => e.kind);
    expect(kinds.filter((k) => k.startsWith('supervision_'))).toEqual(['supervision_started', 'supervision_stopped']);
    expect((await supervisionEvents(desk.callId))[1]?.data.reason).toBe('controller_stopped');
    desk.caller.hangup();
    expect(await t.closedCall(desk.caller.channelId)).toMatchObject({ outcome: 'answered', answered_by: desk.operatorId });
    expect((await t.callRows(desk.caller.channelId)).length).toBe(1);
  });

  it('Asterisk refuses to attach the supervisor: the supervision ends with the error, nothing is left, the console never says listening', async () => {
    const desk = await operatorOnCall('13700002308');
    // The caller's channel vanishes from Asterisk without an event: the snoop on it is refused (404).
    const socket = await ConsoleSocket.open(t.url, manager.cookie);
    await socket.next((m) => m.type === 'hello');
    const callerChannel = channel(desk.caller.channelId!)!;
    t.sim.asterisk.channels.delete(callerChannel.id);
    try {
      expect(await supervise(manager, desk.callId, 'listen')).toMatchObject({ status: 202 });
      const stopped = await nextSupervision(socket, desk.callId, 'stopped');
      expect(stopped.data).toMatchObject({ reason: 'command_refused', error: expect.any(String) });
      expect(socket.messages.some((m) => m.type === 'call.supervision' && m.data.callId === desk.callId && m.data.status === 'started')).toBe(false);
      await expect.poll(() => legOf(desk.callId)).toBeUndefined();
      expect(snoopsOf(desk.callId)).toEqual([]);
      await expect.poll(() => t.sim.bridges().filter((b) => b.id.startsWith(`${desk.callId}-sb`))).toEqual([]);
      await expect.poll(async () => (await call(t.url, 'GET', '/api/telephony/supervision/calls', { cookie: manager.cookie })).body.find((c: any) => c.callId === desk.callId)?.supervision).toBeNull();
      await expect.poll(async () => (await supervisionEvents(desk.callId)).map((e) => [e.kind, e.data.reason ?? null])).toEqual([
        ['supervision_started', null],
        ['supervision_stopped', 'command_refused'],
      ]);
    } finally {
      t.sim.asterisk.channels.set(callerChannel.id, callerChannel);
      socket.close();
    }
    desk.caller.hangup();
    expect(await t.closedCall(desk.caller.channelId)).toMatchObject({ outcome: 'answered' });
  });
  it('a request the controller cannot carry out: the supervisor alone is told why, Asterisk is asked nothing', async () => {
    const published: HotlineEvent[] = [];
    const unsubscribe = await t.hotline.deps.events.subscribe((e) => published.push(e));
    const execute = vi.spyOn(t.rt.ari, 'execute');
    // Its own socket: the one opened at the start went with the restarted hotline.
    const socket = await ConsoleSocket.open(t.url, manager.cookie);
    await socket.next((m) => m.type === 'hello');
    const told = (callId: string) => published.filter((e) => e.type === 'call.supervision' && (e.data as { callId: string }).callId === callId);
    const commandsFor = (text: string) => execute.mock.calls.filter(([command]) => JSON.stringify(command).includes(text));
    try {
      // A call a controller does not drive (one moving between controllers or nodes): the API answered 202 already.
      // A node's own controller (its node's channel, under the lease: the sole receiver) tells the supervisor.
      const elsewhere = randomUUID();
      const deps = t.hotline.deps;
      const sole = new SupervisionController({
        ari: t.rt.ari,
        calls: t.rt.controller,
        store: new CallStore(deps.redis, deps.config.redis.prefix, deps.config.ari.app, deps.logger),
        views: new SupervisionViews(deps.redis, deps.config.redis.prefix),
        events: deps.events,
        showsOperator: async () => false,
        logger: deps.logger,
        ringSeconds: 5,
        soleReceiver: true,
      });
      await sole.request({ action: 'start', callId: elsewhere, supervisorId: manager.id, courtId: t.courtId, dial: 'PJSIP/mgr2301', mode: 'listen' });
      expect((await nextSupervision(socket, elsewhere, 'stopped')).data).toMatchObject({ callId: elsewhere, supervisorId: manager.id, mode: 'listen', reason: 'not_held' });
      await expect.poll(() => told(elsewhere).length).toBe(1);
      expect(told(elsewhere)[0]).toMatchObject({ courtId: t.courtId, audience: { userIds: [manager.id] } });
      expect(commandsFor(elsewhere)).toEqual([]);
      // On the one shared channel (one Asterisk, maybe several controllers each with its own ARI app) another
      // controller may drive it: this one stays silent (checked below, once a later refusal has come through).
      const sharedElsewhere = randomUUID();
      await t.rt.supervision.request({ action: 'start', callId: sharedElsewhere, supervisorId: manager.id, courtId: t.courtId, dial: 'PJSIP/mgr2301', mode: 'listen' });

      // A call this controller drives that is not between caller and operator (the caller waits, no one is ready),
      // asked by an older API process (no court in the request: the call's saved state gives it).
      const caller = await t.sim.placeCall({ from: '13700002309' });
      await t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === caller.channelId && e.channel.state === 'Up', { includePast: true });
      await caller.pressDigits('0');
      let callId = '';
      await expect.poll(async () => (callId = (await t.pgc.query(`select id from telephony.calls where channel_id = $1`, [caller.channelId])).rows[0]?.id ?? ''), { timeout: 8000 }).not.toBe('');
      await expect.poll(() => t.rt.controller.holdsCall(callId)).toBe(true);
      await t.rt.supervision.request({ action: 'start', callId, supervisorId: head.id, dial: 'PJSIP/ext-8601', mode: 'barge' });
      await expect.poll(() => told(callId).map((e) => [e.courtId, e.audience, (e.data as { reason?: string }).reason])).toEqual([[t.courtId, { userIds: [head.id] }, 'call_not_connected']]);
      expect(told(callId)[0]!.data).toMatchObject({ supervisorId: head.id, mode: 'barge', status: 'stopped' });
      expect(commandsFor(`${callId}-sv`)).toEqual([]);
      expect(t.rt.supervision.session(callId)).toBeUndefined();
      // Published after the silent one would have been: nothing was said about it.
      expect(told(sharedElsewhere)).toEqual([]);
      expect(commandsFor(sharedElsewhere)).toEqual([]);
      caller.hangup();
      await t.closedCall(caller.channelId);
    } finally {
      execute.mockRestore();
      unsubscribe();
      socket.close();
    }
  });
});
