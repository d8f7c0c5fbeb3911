import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call } from '../../api/testing/fixtures.ts';
import { verifyAll } from '../../verify.ts';
import { useDesks } from '../../test/harness/desks.ts';
import { useTelephonyOverSim } from '../test/over-sim.ts';

// Calls through the whole hotline over the ARI stand-in (menu, queue, operator, blind transfers answered, not
// answered and busy, the draft tickets handed off): what the controller's journal and the tickets service write is
// sealed by the hotline's own key, and verify finds nothing to say.
const t = await useTelephonyOverSim({ env: { HOTLINE_ROLES: 'api,telephony', TELEPHONY_TRANSFER_RING_SECONDS: '1' } });
const departmentId = randomUUID();
await t.pgc.query(`insert into platform.departments (id, court_id, name, extension) values ($1, $2, '民一庭', '8100')`, [departmentId, t.courtId]);
async function addJudge(extension: string): Promise<string> {
  const id = randomUUID();
  await t.pgc.query(`insert into platform.users (id, court_id, username, display_name, role, department_id, extension) values ($1, $2, $3, $4, 'judge', $5, $6)`, [
    id, t.courtId, `seal-judge-${extension}`, `法官${extension}`, departmentId, extension,
  ]);
  t.sim.endpoint(`ext-${extension}`).register();
  return id;
}
const answers = await addJudge('8011');
const silent = await addJudge('8012');
const busy = await addJudge('8013');
t.sim.endpoint('ext-8011').answerAfter(50);
t.sim.endpoint('ext-8012').noAnswer();
t.sim.endpoint('ext-8013').busy();
const { operatorOnCall } = useDesks(t, 'op91');

describe('the records of real call flows', () => {
  it('are all sealed, and an untouched database verifies clean', async () => {
    for (const [i, judgeId] of [answers, silent, busy].entries()) {
      const desk = await operatorOnCall(`1360000100${i}`);
      expect(await call(t.url, 'POST', `/api/telephony/calls/${desk.callId}/transfer`, { cookie: desk.cookie, body: { mode: 'blind', judgeId } })).toMatchObject({ status: 202 });
      // The leg has its outcome (answered, no answer, busy): then the call ends.
      await expect.poll(async () => (await t.pgc.query(`select outcome from telephony.transfer_legs where call_id = $1`, [desk.callId])).rows[0]?.outcome ?? null, { timeout: 10_000 }).not.toBeNull();
      if (judgeId === answers) t.sim.endpoint('ext-8011').hangup();
      else await desk.caller.hangup();
      await t.closedCall(desk.caller.channelId);
      // The next caller goes to the next desk.
      await call(t.url, 'PUT', '/api/presence/me', { cookie: desk.cookie, body: { state: 'logged_out' } });
    }
    const menuOnly = await t.sim.placeCall({ from: '13600001009' });
    await menuOnly.hangup();
    await t.closedCall(menuOnly.channelId);

    const seals = t.hotline.deps.seals;
    const db = t.hotline.deps.db;
    // Records still on their way (the journal lingers) land sealed: poll until every call's rows are in.
    await expect.poll(async () => (await t.pgc.query(`select count(*)::int as n from telephony.calls where outcome is null`)).rows[0].n).toBe(0);
    await seals.checkpoint(db, 'test');
    const report = await verifyAll(db, seals.verifier, seals.checkpointFile);
    expect(report.findings.list).toEqual([]);
    const { rows } = await t.pgc.query(`select count(*)::int as n from telephony.record_seals`);
    expect(rows[0].n).toBeGreaterThan(0);
    expect(report.lines.join('\n')).toMatch(/audit chain intact: [1-9]\d* events/);
    expect(report.lines.join('\n')).toMatch(/call records intact: [1-9]\d+ rows/);
  });
});
