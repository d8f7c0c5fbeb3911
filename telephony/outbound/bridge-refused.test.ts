import { describe, expect, it } from 'vitest';
import { useOutboundOverSim } from './testing/outbound-over-sim.ts';

// A relay by phone whose bridge Asterisk refuses (both tries reset, the channels not in the bridge): operator and
// caller never heard each other, so the reply was not delivered and the ticket stays in 反馈.
const t = await useOutboundOverSim({ ARI_COMMAND_TIMEOUT_MS: '500' }, { proxyAri: true });

const addChannel = /^POST \/ari\/bridges\/ob-[^/ ]+\/addChannel/;

describe('a callback whose bridge Asterisk refuses', () => {
  it('fails: both legs hung up and marked not bridged, the operator ready again, the relay not delivered', async () => {
    const operatorId = await t.addOperator('op8101');
    const cookie = await t.cookieFor(operatorId);
    t.sim.endpoint('op8101').answerAfter(50);
    t.sim.endpoint('trunk').answerAfter(50);
    const ticketId = await t.ticketIn('feedback', t.operatorActor(operatorId), '13800003131');
    t.ariProxy!.resetRequests(addChannel, 2);

    const accepted = await t.requestCallback(cookie, { purpose: 'relay', ticketId });
    expect(accepted.status).toBe(202);
    const id = accepted.body.id as string;
    const view = await t.settled(cookie, id, ['failed']);
    expect(view).toMatchObject({ status: 'failed', result: 'failed', attempts: 1 });
    expect(view.legs.map((l: any) => [l.leg, l.outcome, l.detail])).toEqual([
      ['operator', 'answered', 'not bridged: never found in the bridge together'],
      ['caller', 'answered', 'not bridged: never found in the bridge together'],
    ]);
    expect(t.ariProxy!.faulted(addChannel)).toBe(2);
    await expect.poll(() => t.sim.channels().filter((c) => c.id.startsWith(`ob-${id}`)), { timeout: 5000 }).toEqual([]);
    const presence = await fetch(`${t.url}/api/presence/me`, { headers: { cookie } }).then((r) => r.json());
    expect(presence).toMatchObject({ state: 'ready' });
    // Not delivered: the ticket is still the owner's to relay.
    await new Promise((r) => setTimeout(r, 500));
    expect((await t.ticket(ticketId)).stage).toBe('feedback');
    // The ticket's owner reads why: the caller answered, but the two were never connected.
    await expect
      .poll(async () => (await t.pgc.query(`select status, detail from tickets.deliveries where ticket_id = $1`, [ticketId])).rows, { timeout: 8000 })
      .toEqual([{ status: 'failed', detail: '来电人已接听，但双方未能接通（共 1 次） / the caller answered, but the two were never connected (1 attempt)' }]);
  });
});
