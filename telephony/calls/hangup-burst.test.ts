import { describe, expect, it } from 'vitest';
import { useTelephonyOverSim } from '../test/over-sim.ts';
import type { CallHandle } from '../ari-sim/index.ts';

const t = await useTelephonyOverSim({ env: { TELEPHONY_RING_SECONDS: '1', TELEPHONY_MAX_WAIT_SECONDS: '30', TELEPHONY_POSITION_EVERY_SECONDS: '1' }, promptMs: 40 });

/** A small seeded generator, so a failing burst can be replayed exactly. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Moment = 'at_once' | 'in_menu' | 'queued' | 'operator_ringing' | 'after_answer' | 'random';
const moments: Moment[] = ['at_once', 'in_menu', 'queued', 'operator_ringing', 'after_answer', 'random'];

/** One caller: presses a menu digit when answered (most do), hangs up at the chosen moment (or after 3 s at most). */
async function caller(call: CallHandle, from: string, moment: Moment, random: () => number): Promise<void> {
  const id = call.channelId!;
  const answered = t.sim.waitFor('ChannelStateChange', (e: any) => e.channel?.id === id && e.channel.state === 'Up', { includePast: true, timeoutMs: 3000 }).catch(() => null);
  if (moment === 'at_once') return call.hangup();
  if (moment === 'random') {
    await sleep(random() * 600);
    return call.hangup();
  }
  if (!(await answered) || call.state === 'gone') return call.hangup();
  if (moment === 'in_menu') {
    await sleep(random() * 60);
    return call.hangup();
  }
  await call.pressDigits('0', { durationMs: 1 }).catch(() => undefined);
  if (moment === 'queued') {
    await sleep(random() * 100);
    return call.hangup();
  }
  // The operator's leg carries the caller's number as its caller id.
  const state = moment === 'operator_ringing' ? 'Ringing' : 'Up';
  await t.sim
    .waitFor('ChannelStateChange', (e: any) => e.channel?.name?.startsWith('PJSIP/op') && e.channel.caller?.number === from && e.channel.state === state, { includePast: true, timeoutMs: 3000 })
    .catch(() => null);
  await sleep(random() * 20);
  call.hangup();
}

describe('a burst of callers hanging up at every moment, few operators', () => {
  it('closes every call exactly once with its outcome and leaves no live call, Redis entry or channel behind', async () => {
    const random = seeded(12368);
    const endpoints = ['op5001', 'op5002', 'op5003'];
    const operators: string[] = [];
    for (const e of endpoints) {
      operators.push(await t.addOperator(e));
      t.sim.endpoint(e).answerAfter(30);
    }
    const handles: CallHandle[] = [];
    const done: Promise<void>[] = [];
    for (let i = 0; i < 90; i++) {
      const from = `1390000${String(i).padStart(4, '0')}`;
      const call = await t.sim.placeCall({ from });
      expect(call.accepted).toBe(true);
      handles.push(call);
      done.push(caller(call, from, moments[i % moments.length]!, random));
      if (i % 10 === 9) await sleep(5);
    }
    await Promise.all(done);

    await expect.poll(() => t.rt.controller.activeCalls, { timeout: 10_000 }).toBe(0);
    for (const call of handles) {
      const rows = await t.callRows(call.channelId);
      expect(rows, `call rows of ${call.channelId}`).toHaveLength(1);
    }
    await expect
      .poll(async () => (await t.pgc.query(`select count(*)::int as n from telephony.calls where channel_id = any($1) and outcome is null`, [handles.map((h) => h.channelId)])).rows[0].n, { timeout: 10_000 })
      .toBe(0);
    const { rows: outcomes } = await t.pgc.query(`select outcome, count(*)::int as n from telephony.calls where channel_id = any($1) group by outcome`, [handles.map((h) => h.channelId)]);
    const byOutcome = Object.fromEntries(outcomes.map((r: any) => [r.outcome, r.n]));
    expect(byOutcome.answered ?? 0).toBeGreaterThan(0);
    expect(byOutcome.abandoned_in_menu ?? 0).toBeGreaterThan(0);
    expect(byOutcome.abandoned_in_queue ?? 0).toBeGreaterThan(0);
    // One hangup event per call.
    const { rows: hangups } = await t.pgc.query(
      `select c.channel_id, count(e.*)::int as n from telephony.calls c left join telephony.call_events e on e.call_id = c.id and e.kind = 'hangup' where c.channel_id = any($1) group by c.channel_id`,
      [handles.map((h) => h.channelId)],
    );
    expect(hangups.filter((r: any) => r.n !== 1)).toEqual([]);

    const { redis, config } = t.hotline.deps;
    expect(await redis.hkeys(`${config.redis.prefix}:tel:live-calls`)).toEqual([]);
    expect((await t.rt.service.queueSnapshot(t.courtId)).waiting).toEqual([]);
    await expect.poll(() => t.sim.channels().length, { timeout: 5000 }).toBe(0);
    await expect.poll(() => t.sim.bridges().length, { timeout: 5000 }).toBe(0);
    // Every operator is free again (wrap-up is 0 s): none is left ringing or on a call that ended.
    await expect
      .poll(async () => (await t.rt.service.queueSnapshot(t.courtId)).operators.filter((o) => operators.includes(o.userId) && o.state !== 'ready' && o.state !== 'paused').map((o) => o.state), {
        timeout: 5000,
      })
      .toEqual([]);
    for (const id of operators) await t.rt.service.setPresence(id, 'logged_out');
  });
});
