import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db/client.ts';
import { deliverFeedback } from '../jobs.ts';
import { deliveries } from '../outbox.sql.ts';
import { chinaTime, eventually, seedCourt, silentLogger, useTicketsDatabase, useTicketsRuntime, type Court, type TicketsHarness } from '../testing/harness.ts';
import { testSmsc, type TestSmsc } from '../testing/smsc.ts';
import { Writable } from 'node:stream';
import { createLogger } from '../../platform/logger.ts';
import { SmsNotSent } from '../ports.ts';
import { smppSender } from './smpp-sender.ts';
import { changeCourtSmsSettings } from './settings.ts';

/**
 * The SMPP 3.4 gateway against a real message centre (the `smpp` package's server, started here): submit_sm,
 * receipts that say delivered or undeliverable, no receipt (the timeout fails it), the centre down (retried,
 * then sent once), and a restart between the send and its commit (never sent twice).
 */
let database: Database;
let court: Court;
let smsc: TestSmsc;
let h: TicketsHarness;
const sender = () => smppSender({ url: smsc.url, systemId: 'hotline', password: 'secret1', sourceAddr: '12368', connectTimeoutMs: 1000, reconnectMs: 300 }, silentLogger);

beforeAll(async () => {
  database = await useTicketsDatabase();
  court = await seedCourt(database);
  smsc = await testSmsc();
  h = await useTicketsRuntime(database, { sms: sender(), smsReceiptTimeoutMs: 2500 });
  h.clock.set(chinaTime('2026-03-02T10:00:00'));
});

afterAll(async () => {
  await h.runtime.close(); // unbinds before the message centre goes
  await smsc.stop();
});

const deliveryRow = async (id: string) => (await database.db.select().from(deliveries).where(eq(deliveries.id, id)))[0]!;
const stageOf = async (ticketId: string) => (await h.runtime.service.get(court.manager, ticketId)).stage;
const settledStatus = (id: string) => eventually(async () => {
  const row = await deliveryRow(id);
  return ['delivered', 'failed'].includes(row.status) ? row : undefined;
}, 10_000, `delivery ${id} settled`);

/** A ticket whose handler has replied, ready to relay; the caller's number decides the test SMSC's receipt. */
async function repliedTicket(callerNumber: string) {
  const ticket = await h.runtime.service.create(court.operator, { summary: '询问开庭时间', callerNumber });
  await h.runtime.service.handOff(court.operator, ticket.id, { handlerUserId: court.judge.userId });
  await h.runtime.service.reply(court.judge, ticket.id, { text: '3月5日上午9时开庭' });
  return ticket;
}

describe('SMS relay through an SMPP message centre', () => {
  it('tells the caller at hand-off: ticket number, handler and deadline, through the same sender (not a feedback delivery)', async () => {
    const ticket = await h.runtime.service.create(court.operator, { summary: '执行款查询', callerNumber: '13900000001' });
    const handed = await h.runtime.service.handOff(court.operator, ticket.id, { handlerUserId: court.judge.userId });
    const [notice] = await database.db.select().from(deliveries).where(eq(deliveries.ticketId, ticket.id));
    expect(notice).toMatchObject({ purpose: 'handoff_notice', channel: 'sms' });
    const settled = await settledStatus(notice!.id);
    expect(settled.status).toBe('delivered');
    const sms = smsc.submitted.find((m) => m.messageId === settled.gatewayMessageId)!;
    expect(sms.to).toBe('13900000001');
    expect(sms.text).toContain(handed.number);
    expect(sms.text).toContain('judge1');
    expect(sms.text).toMatch(/办理期限至 2026\/3\/\d+/);
    const after = await h.runtime.service.get(court.manager, ticket.id);
    expect(after).toMatchObject({ stage: 'handoff', deliveredAt: null });

    // A court that turns it off: no notice at the next hand-off.
    await changeCourtSmsSettings(database.db, court.courtId, court.admin.userId, { handoffNotice: false }, new Date());
    const quiet = await h.runtime.service.create(court.operator, { summary: '不发短信', callerNumber: '13900000001' });
    await h.runtime.service.handOff(court.operator, quiet.id, { handlerUserId: court.judge.userId });
    expect(await database.db.select().from(deliveries).where(eq(deliveries.ticketId, quiet.id))).toEqual([]);
    await changeCourtSmsSettings(database.db, court.courtId, court.admin.userId, { handoffNotice: true }, new Date());
  });

  it('a relay is sent by submit_sm and moves the ticket to the return visit only on a delivered receipt', async () => {
    const ticket = await repliedTicket('13800000001');
    const { deliveryId } = await h.runtime.service.relayFeedback(court.operator, ticket.id, { channel: 'sms' });
    const settled = await settledStatus(deliveryId);
    expect(settled).toMatchObject({ status: 'delivered', sendAttempts: 1 });
    expect(settled.gatewayMessageId).toMatch(/^smsc-\d+$/);
    const sms = smsc.submitted.filter((m) => m.messageId === settled.gatewayMessageId);
    expect(sms).toHaveLength(1);
    expect(sms[0]!.text).toContain('3月5日上午9时开庭');
    await eventually(async () => (await stageOf(ticket.id)) === 'callback', 5000, 'callback stage');
    const trail = await h.runtime.service.events(court.manager, ticket.id);
    expect(trail.at(-1)).toMatchObject({ action: 'record_delivery', actorRole: 'system' });
  });

  it('tells the caller again when the ticket changes hands: reassigned to another judge, or reopened after an unsatisfied return visit', async () => {
    const notices = async (ticketId: string) =>
      (await database.db.select().from(deliveries).where(eq(deliveries.ticketId, ticketId))).filter((d) => d.purpose === 'handoff_notice').sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const ticket = await repliedTicket('13900000003');
    expect(await notices(ticket.id)).toHaveLength(1);
    // Reopened: relayed by SMS (delivered), the return visit says unsatisfied, back to the handler with a new deadline.
    const { deliveryId } = await h.runtime.service.relayFeedback(court.operator, ticket.id, { channel: 'sms' });
    expect((await settledStatus(deliveryId)).status).toBe('delivered');
    await eventually(async () => (await stageOf(ticket.id)) === 'callback', 5000, 'callback stage');
    const reopened = await h.runtime.service.recordCallback(court.operator, ticket.id, { resolved: false, satisfaction: 'unsatisfied' });
    const afterReopen = await notices(ticket.id);
    expect(afterReopen).toHaveLength(2);
    const second = await settledStatus(afterReopen[1]!.id);
    const text = smsc.submitted.find((m) => m.messageId === second.gatewayMessageId)!.text;
    expect(text).toContain(reopened.number);
    expect(text).toContain(`${reopened.deadline!.getMonth() + 1}/`);
    // Reassigned by the manager to the other judge: the notice names the new handler.
    await h.runtime.service.reassign(court.manager, ticket.id, { handlerUserId: court.judge2.userId, reason: '改派' });
    const afterReassign = await notices(ticket.id);
    expect(afterReassign).toHaveLength(3);
    const third = await settledStatus(afterReassign[2]!.id);
    expect(smsc.submitted.find((m) => m.messageId === third.gatewayMessageId)!.text).toContain('judge2');
  });

  it('an undeliverable receipt fails the relay: the ticket stays in feedback and its owner is told', async () => {
    smsc.plan.set('13800000002', 'undeliverable');
    const ticket = await repliedTicket('13800000002');
    const { deliveryId } = await h.runtime.service.relayFeedback(court.operator, ticket.id, { channel: 'sms' });
    const settled = await settledStatus(deliveryId);
    expect(settled.status).toBe('failed');
    expect(settled.detail).toContain('undeliverable');
    expect(await stageOf(ticket.id)).toBe('feedback');
    expect((await h.runtime.service.get(court.manager, ticket.id)).deliveredAt).toBeNull();
    await eventually(() => h.events.find((e) => e.type === 'ticket.relay_failed' && (e.data as { deliveryId: string }).deliveryId === deliveryId), 5000, 'relay_failed notice');
    // The operator may try again (a new delivery).
    await h.runtime.service.relayFeedback(court.operator, ticket.id, { channel: 'sms' });
  });

  it('no receipt within the configured time: the relay fails by its timeout job', async () => {
    smsc.plan.set('13800000003', 'none');
    const ticket = await repliedTicket('13800000003');
    const { deliveryId } = await h.runtime.service.relayFeedback(court.operator, ticket.id, { channel: 'sms' });
    await eventually(async () => (await deliveryRow(deliveryId)).status === 'sent', 5000, 'sent');
    // A second relay while the first awaits its receipt is refused.
    await expect(h.runtime.service.relayFeedback(court.operator, ticket.id, { channel: 'sms' })).rejects.toMatchObject({ code: 'sms_relay_pending' });
    const settled = await settledStatus(deliveryId);
    expect(settled).toMatchObject({ status: 'failed', detail: 'no delivery receipt within 3 s' });
    expect(await stageOf(ticket.id)).toBe('feedback');
  });

  it('the message centre down: the send is retried and the message goes out once when it is back', async () => {
    const ticket = await repliedTicket('13800000004');
    await eventually(() => smsc.submitted.some((m) => m.to === '13800000004'), 5000, 'hand-off notice sent first');
    const before = smsc.submitted.length;
    await smsc.stop();
    const { deliveryId } = await h.runtime.service.relayFeedback(court.operator, ticket.id, { channel: 'sms' });
    await eventually(async () => (await deliveryRow(deliveryId)).detail?.startsWith('not sent, will retry'), 5000, 'a failed attempt');
    expect((await deliveryRow(deliveryId)).status).toBe('requested');
    await smsc.start();
    const settled = await settledStatus(deliveryId);
    expect(settled.status).toBe('delivered');
    const relays = smsc.submitted.slice(before).filter((m) => m.to === '13800000004');
    expect(relays).toHaveLength(1);
    await eventually(async () => (await stageOf(ticket.id)) === 'callback', 5000, 'callback stage');
  });

  it('a restart between the send and its commit never sends again through SMPP: the relay fails as outcome unknown', async () => {
    const ticket = await repliedTicket('13800000005');
    // The row as a process that died after submit_sm left it: claimed ('sending'), no message id recorded.
    const [row] = await database.db
      .insert(deliveries)
      .values({ ticketId: ticket.id, channel: 'sms', status: 'sending', sendAttempts: 1, actorId: court.operator.userId })
      .returning();
    const before = smsc.submitted.length;
    const outcome = await deliverFeedback(h.runtime.context, { sms: sender(), dialer: undefined }, { ticketId: ticket.id, deliveryId: row!.id });
    expect(outcome).toBe('failed');
    expect(smsc.submitted.slice(before).filter((m) => m.text.includes('答复如下'))).toEqual([]);
    expect(await deliveryRow(row!.id)).toMatchObject({ status: 'failed', detail: expect.stringContaining('outcome unknown') });
    expect(await stageOf(ticket.id)).toBe('feedback');
  });

  it('a message the centre took after a stalled rerun settled its delivery as failed: reported, its id kept, never counted as delivered', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', pretty: false }, new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) }));
    const ticket = await repliedTicket('13800000007');
    const [row] = await database.db.insert(deliveries).values({ ticketId: ticket.id, channel: 'sms', status: 'requested', actorId: court.operator.userId }).returning();
    const live = sender();
    // While this run waits on submit_sm, the stalled job's rerun gives the delivery up (as deliver.ts does for SMPP).
    const racing = { ...live, name: live.name, idempotent: live.idempotent, send: async (m: Parameters<typeof live.send>[0]) => {
      await database.db.update(deliveries).set({ status: 'failed', detail: 'outcome unknown after a restart' }).where(eq(deliveries.id, row!.id));
      return live.send(m);
    } };
    const outcome = await deliverFeedback({ ...h.runtime.context, logger }, { sms: racing, dialer: undefined }, { ticketId: ticket.id, deliveryId: row!.id });
    await live.close();
    expect(outcome).toBe('already_applied');
    const after = await deliveryRow(row!.id);
    expect(after).toMatchObject({ status: 'failed', detail: 'outcome unknown after a restart' });
    expect(smsc.submitted.map((m) => m.messageId)).toContain(after.gatewayMessageId);
    const reported = lines.map((l) => JSON.parse(l) as { level: number; msg: string; status?: string }).find((l) => l.msg.startsWith('SMS accepted by the gateway after its delivery was settled'));
    expect(reported).toMatchObject({ level: 50, status: 'failed' });
    expect(await stageOf(ticket.id)).toBe('feedback');
  });

  it('no log line carries the caller number or the text: the number masked, the text only as its length', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', pretty: false }, new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) }));
    const ticket = await repliedTicket('13800000006');
    const ctx = { ...h.runtime.context, logger };
    const dialer = undefined;
    const newRow = async () => (await database.db.insert(deliveries).values({ ticketId: ticket.id, channel: 'sms', status: 'requested', actorId: court.operator.userId }).returning())[0]!;
    const sent = await newRow();
    const live = smppSender({ url: smsc.url, systemId: 'hotline', password: 'secret1', sourceAddr: '12368' }, logger);
    expect(await deliverFeedback(ctx, { sms: live, dialer }, { ticketId: ticket.id, deliveryId: sent.id })).toBe('sent');
    await live.close();
    // The message centre unreachable: the warning names the delivery, not the caller or the reply.
    const down = smppSender({ url: 'smpp://127.0.0.1:1', systemId: 'hotline', password: 'secret1', sourceAddr: '12368', connectTimeoutMs: 500 }, logger);
    await expect(deliverFeedback(ctx, { sms: down, dialer }, { ticketId: ticket.id, deliveryId: (await newRow()).id })).rejects.toBeInstanceOf(SmsNotSent);
    const log = lines.join('');
    expect(log).toContain('SMS accepted by the gateway');
    expect(log).toContain('SMS gateway unreachable');
    expect(log).toContain('138****0006');
    expect(log).not.toContain('13800000006');
    expect(log).not.toContain('3月5日上午9时开庭');
    expect(log).not.toContain('答复如下');
  });

  it('a receipt that cannot be recorded is refused for now (ESME_RX_T_APPN) and recorded when the message centre delivers it again', async () => {
    const live = smppSender({ url: smsc.url, systemId: 'hotline', password: 'secret1', sourceAddr: '12368' }, silentLogger);
    const seen: string[] = [];
    live.onReceipt(async (receipt) => {
      seen.push(receipt.messageId);
      if (seen.length === 1) throw new Error('database away');
    });
    const answers = smsc.receiptAnswers.length;
    const result = await live.send({ to: '13800000007', text: '测试回执重发', idempotencyKey: 'r-1' });
    expect(result.accepted).toBe(true);
    await eventually(() => seen.length === 2, 5000, 'the receipt delivered again');
    expect(seen).toEqual([result.accepted ? result.messageId : '', result.accepted ? result.messageId : '']);
    // (Other sessions' receipts may be answered meanwhile: only the refusal is looked for.)
    expect(smsc.receiptAnswers.slice(answers)).toContain(0x64);
    await live.close();
  });
});
