import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { call, sessionCookieFor } from '../../../api/testing/fixtures.ts';
import { serviceOf } from '../../../platform/deps.ts';
import type { Actor } from '../../../platform/user-roles.ts';
import { deliverByPhone } from '../../../tickets/testing/phone-delivery.ts';
import { receiveDtmf } from '../../ari-sim/model/media.ts';
import { promptSounds, soundsDir, useTelephonyOverSim, type OverSim } from '../../test/over-sim.ts';
import { outboundPrompts } from '../types.ts';

/** The telephony stand-in setup, with the survey prompts known to the stand-in (300 ms each) and short outbound timers. */
export async function useOutboundOverSim(env: Record<string, string> = {}, o: { proxyAri?: boolean } = {}) {
  const sounds = { ...promptSounds(60), ...Object.fromEntries(outboundPrompts.map((p) => [`${soundsDir}/zh/${p}`, 300])) };
  const t = await useTelephonyOverSim({
    env: { HOTLINE_ROLES: 'api,telephony', TELEPHONY_OUTBOUND_RING_SECONDS: '2', TELEPHONY_OUTBOUND_RETRY_SECONDS: '1', TELEPHONY_OUTBOUND_ATTEMPTS: '3', ...env },
    sim: { sounds },
    ...(o.proxyAri ? { proxyAri: true } : {}),
  });
  t.sim.endpoint('trunk').register();
  return Object.assign(t, helpers(t));
}

function helpers(t: OverSim) {
  let judge: Actor | undefined;
  const tickets = () => serviceOf(t.hotline.deps, 'tickets');

  async function judgeActor(): Promise<Actor> {
    if (judge) return judge;
    const departmentId = randomUUID();
    await t.pgc.query(`insert into platform.departments (id, court_id, name) values ($1, $2, '立案庭')`, [departmentId, t.courtId]);
    const userId = randomUUID();
    await t.pgc.query(`insert into platform.users (id, court_id, username, display_name, role, department_id) values ($1, $2, $3, '法官', 'judge', $4)`, [userId, t.courtId, `judge-${userId.slice(0, 6)}`, departmentId]);
    judge = { userId, role: 'judge', courtId: t.courtId, departmentId };
    return judge;
  }

  return {
    operatorActor: (userId: string): Actor => ({ userId, role: 'operator', courtId: t.courtId, departmentId: null }),
    cookieFor: (userId: string) => sessionCookieFor(t.hotline.deps.db, userId),

    /** A ticket handed to a judge and replied to: in feedback (反馈), or with the reply delivered, in callback (回访). */
    async ticketIn(stage: 'feedback' | 'callback', operator: Actor, callerNumber: string): Promise<string> {
      const j = await judgeActor();
      const ticket = await tickets().create(operator, { summary: '回拨测试', callerNumber });
      await tickets().handOff(operator, ticket.id, { handlerUserId: j.userId });
      await tickets().reply(j, ticket.id, { text: '已依法办理' });
      if (stage === 'callback') await deliverByPhone(t.hotline.deps.db, tickets(), operator, ticket.id);
      return ticket.id;
    },

    async ticket(id: string) {
      return (await t.pgc.query(`select stage, satisfaction, callback_resolved from tickets.tickets where id = $1`, [id])).rows[0];
    },

    /** A call row as the inbound controller closes it. */
    async missedCall(callerNumber: string, outcome: string): Promise<string> {
      const id = randomUUID();
      await t.pgc.query(
        `insert into telephony.calls (id, court_id, channel_id, caller_number, dialled, arrived_at, outcome, hangup_by, ended_at, in_hours)
         values ($1, $2, $3, $4, '12368', now() - interval '5 minutes', $5, 'caller', now() - interval '4 minutes', true)`,
        [id, t.courtId, `ch-${id.slice(0, 8)}`, callerNumber, outcome],
      );
      return id;
    },

    async requestCallback(cookie: string, body: Record<string, unknown>) {
      return call(t.url, 'POST', '/api/telephony/outbound', { cookie, body });
    },

    async view(cookie: string, id: string) {
      return (await call(t.url, 'GET', `/api/telephony/outbound/${id}`, { cookie })).body;
    },

    /** Polls the request until its status is one of `statuses`. */
    async settled(cookie: string, id: string, statuses: string[], timeoutMs = 10_000) {
      let view: any;
      await expect
        .poll(
          async () => {
            view = (await call(t.url, 'GET', `/api/telephony/outbound/${id}`, { cookie })).body;
            return statuses.includes(view.status);
          },
          { timeout: timeoutMs, interval: 100 },
        )
        .toBe(true);
      return view;
    },

    /** Waits for a prompt to start on a channel (past events included). */
    prompt(channelId: string, prompt: string, timeoutMs = 8000) {
      return t.sim.waitFor('PlaybackStarted', (e: any) => e.playback?.target_uri === `channel:${channelId}` && String(e.playback?.media_uri ?? '').split(',').some((m: string) => m.endsWith(`/${prompt}`)), { timeoutMs, includePast: true });
    },

    /** The called-back caller presses keys on their phone. */
    press(channelId: string, digit: string): void {
      const channel = t.sim.asterisk.channels.get(channelId);
      if (!channel) throw new Error(`no channel ${channelId}`);
      receiveDtmf(t.sim.asterisk, channel, digit, 100);
    },
  };
}
