/** Test helper: a real SMPP message centre (the `smpp` package's server) that answers submit_sm and sends receipts. */
import type { Server } from 'node:net';
import smpp, { type Pdu, type Session } from 'smpp';

export type ReceiptPlan = 'delivered' | 'undeliverable' | 'none';

export interface Submitted {
  to: string;
  text: string;
  messageId: string;
}

export interface TestSmsc {
  url: string;
  port: number;
  submitted: Submitted[];
  /** What receipt each destination number gets (default: delivered). */
  plan: Map<string, ReceiptPlan>;
  /** The command_status of every deliver_sm_resp the client sent. */
  receiptAnswers: number[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (value && typeof value === 'object' && 'message' in value) return textOf((value as { message: unknown }).message);
  return '';
}

/** A message centre on a fixed local port (found once), so a test can stop it and start it again at the same address. */
export async function testSmsc(credentials = { systemId: 'hotline', password: 'secret1' }): Promise<TestSmsc> {
  const submitted: Submitted[] = [];
  const plan = new Map<string, ReceiptPlan>();
  const receiptAnswers: number[] = [];
  let server: Server | undefined;
  let sessions: Session[] = [];
  let n = 0;
  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const s = smpp.createServer({}, (session) => {
        sessions.push(session);
        session.on('error', () => undefined);
        session.on('bind_transceiver', (pdu: Pdu) => {
          const ok = pdu.system_id === credentials.systemId && pdu.password === credentials.password;
          session.send(pdu.response(ok ? {} : { command_status: smpp.ESME_RBINDFAIL }));
          if (!ok) session.close();
        });
        session.on('enquire_link', (pdu: Pdu) => session.send(pdu.response()));
        session.on('unbind', (pdu: Pdu) => {
          session.send(pdu.response());
          session.close();
        });
        session.on('submit_sm', (pdu: Pdu) => {
          const messageId = `smsc-${++n}`;
          const to = String(pdu.destination_addr);
          submitted.push({ to, text: textOf(pdu.short_message) || textOf(pdu.message_payload), messageId });
          session.send(pdu.response({ message_id: messageId }));
          const what = plan.get(to) ?? 'delivered';
          if (what === 'none') return;
          const stat = what === 'delivered' ? 'DELIVRD' : 'UNDELIV';
          // One receipt in the text only (stat:), the other with the 3.4 TLVs too: both forms are read.
          const tlvs = what === 'delivered' ? {} : { receipted_message_id: messageId, message_state: 5 };
          const receipt = { source_addr: to, destination_addr: '12368', esm_class: 0x04, short_message: `id:${messageId} sub:001 dlvrd:00${what === 'delivered' ? 1 : 0} submit date:2603021000 done date:2603021001 stat:${stat} err:000 text:`, ...tlvs };
          // A receipt the client refuses (deliver_sm_resp with an error status) is delivered again, as message centres do.
          const deliver = (attempt: number) =>
            session.deliver_sm(receipt, (resp: Pdu) => {
              receiptAnswers.push(resp.command_status);
              if (resp.command_status !== 0 && attempt < 5) setTimeout(() => deliver(attempt + 1), 100);
            });
          setTimeout(() => deliver(1), 50);
        });
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve(s));
    });
  const first = await listen(0);
  const port = (first.address() as { port: number }).port;
  server = first;
  const smsc: TestSmsc = {
    url: `smpp://127.0.0.1:${port}`,
    port,
    submitted,
    plan,
    receiptAnswers,
    async start() {
      if (!server) server = await listen(port);
    },
    async stop() {
      const s = server;
      server = undefined;
      for (const session of sessions) session.destroy();
      sessions = [];
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
  return smsc;
}
