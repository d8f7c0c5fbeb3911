import smpp, { type Pdu, type Session } from 'smpp';
import type { Logger } from '../../platform/logger.ts';
import { SmsNotSent, type SmsReceipt, type SmsSender, type SmsSubmitResult } from '../ports.ts';
import { parseSmppReceipt } from './smpp-receipt.ts';
import { maskGatewayText } from './text.ts';

export interface SmppSettings {
  url: string;
  systemId: string;
  password: string;
  sourceAddr: string;
  connectTimeoutMs?: number;
  /** How long a submit_sm may wait for its response before its outcome counts as unknown. */
  submitTimeoutMs?: number;
  /** Pause before reconnecting a lost session (receipts come back over it). */
  reconnectMs?: number;
  enquireLinkMs?: number;
}

/** The longest text sent as one short_message in UCS2 (Chinese); longer goes as message_payload. */
const shortMessageChars = 70;

/** Throttled or queue full: the message centre did not take the message, so sending it again is safe. */
const retryable = new Set([smpp.ESME_RTHROTTLED, smpp.ESME_RMSGQFUL]);

/**
 * SMPP 3.4 gateway (a carrier's or an SMS platform's message centre): one bound transceiver session, kept
 * open while the worker runs so delivery receipts (deliver_sm) come back over it, and reconnected when lost.
 * submit_sm asks for a receipt (registered_delivery 1). SMPP has no idempotency key, so this gateway is not
 * idempotent: a submit whose response never came is reported as outcome unknown, never repeated.
 */
export function smppSender(settings: SmppSettings, logger: Logger): SmsSender {
  const log = logger.child({ gateway: 'smpp' });
  const listeners: ((receipt: SmsReceipt) => Promise<void>)[] = [];
  let binding: Promise<Session> | undefined;
  let running = false;
  let reconnect: NodeJS.Timeout | undefined;
  /** Submits written to a session and not yet answered, rejected as "outcome unknown" if it closes. */
  const inflight = new Map<Session, Set<(err: Error) => void>>();

  const scheduleReconnect = () => {
    if (!running || reconnect) return;
    reconnect = setTimeout(() => {
      reconnect = undefined;
      bind().catch((err: Error) => {
        log.warn({ err: maskGatewayText(err.message) }, 'SMPP reconnect failed; trying again');
        scheduleReconnect();
      });
    }, settings.reconnectMs ?? 5000);
  };

  /**
   * A receipt is acknowledged only once recorded: if PostgreSQL cannot take it, deliver_sm_resp says "temporary
   * application error" (ESME_RX_T_APPN) and the message centre delivers the receipt again later.
   */
  const onDeliver = (session: Session, pdu: Pdu) => {
    const receipt = parseSmppReceipt(pdu);
    if (!receipt) return void session.send(pdu.response()); // a mobile-originated message or an intermediate state
    Promise.all(listeners.map((listener) => listener(receipt))).then(
      () => session.send(pdu.response()),
      (err: Error) => {
        log.error({ messageId: receipt.messageId, err: err.message }, 'SMPP receipt could not be recorded: refused for now, the message centre retries it');
        session.send(pdu.response({ command_status: smpp.ESME_RX_T_APPN }));
      },
    );
  };

  function bind(): Promise<Session> {
    if (binding) return binding;
    const attempt = new Promise<Session>((resolve, reject) => {
      const session = smpp.connect({ url: settings.url, auto_enquire_link_period: settings.enquireLinkMs ?? 30_000 });
      let bound = false;
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        session.destroy();
        reject(new SmsNotSent(`SMPP session to ${settings.url} not bound: ${err.message}`));
      };
      const timer = setTimeout(() => fail(new Error('timed out')), settings.connectTimeoutMs ?? 5000);
      session.on('error', (err: Error) => (settled ? log.warn({ err: maskGatewayText(err.message) }, 'SMPP session error') : fail(err)));
      session.on('close', () => {
        fail(new Error('connection closed'));
        for (const reject of inflight.get(session) ?? []) reject(new Error('SMPP session closed before submit_sm was answered'));
        inflight.delete(session);
        if (bound) {
          log.warn('SMPP session lost');
          if (binding === attempt) binding = undefined;
          scheduleReconnect();
        }
      });
      session.on('deliver_sm', (pdu: Pdu) => onDeliver(session, pdu));
      session.on('enquire_link', (pdu: Pdu) => session.send(pdu.response()));
      session.on('unbind', (pdu: Pdu) => {
        session.send(pdu.response());
        session.close();
      });
      session.on(settings.url.startsWith('ssmpp:') ? 'secureConnect' : 'connect', () => {
        session.bind_transceiver({ system_id: settings.systemId, password: settings.password, interface_version: 0x34 }, (pdu) => {
          if (pdu.command_status !== smpp.ESME_ROK) return fail(new Error(`bind_transceiver refused (status 0x${pdu.command_status.toString(16)})`));
          settled = bound = true;
          clearTimeout(timer);
          inflight.set(session, new Set());
          log.info({ url: settings.url }, 'SMPP session bound');
          resolve(session);
        });
      });
    });
    binding = attempt;
    attempt.catch(() => {
      if (binding === attempt) binding = undefined;
    });
    return attempt;
  }

  async function submit(session: Session, to: string, text: string): Promise<SmsSubmitResult> {
    const body = [...text].length > shortMessageChars ? { message_payload: text } : { short_message: text };
    return new Promise<SmsSubmitResult>((resolve, reject) => {
      const pending = inflight.get(session) ?? new Set();
      const done = () => {
        clearTimeout(timer);
        pending.delete(unknown);
      };
      const unknown = (err: Error) => {
        done();
        reject(err);
      };
      const timer = setTimeout(() => unknown(new Error(`submit_sm not answered within ${settings.submitTimeoutMs ?? 10_000} ms`)), settings.submitTimeoutMs ?? 10_000);
      const written = session.submit_sm({ source_addr: settings.sourceAddr, destination_addr: to, registered_delivery: 1, ...body }, (pdu) => {
        done();
        const status = pdu.command_status;
        if (status === smpp.ESME_ROK) return resolve({ accepted: true, messageId: String(pdu.message_id), detail: 'submit_sm accepted' });
        if (retryable.has(status)) return reject(new SmsNotSent(`message centre busy (status 0x${status.toString(16)})`));
        resolve({ accepted: false, detail: `submit_sm refused (status 0x${status.toString(16)})` });
      });
      if (!written) {
        done();
        return reject(new SmsNotSent('SMPP session not writable'));
      }
      pending.add(unknown);
    });
  }

  return {
    name: 'smpp',
    idempotent: false,
    async send(message) {
      const session = await bind(); // throws SmsNotSent when the message centre cannot be reached
      return submit(session, message.to, message.text);
    },
    onReceipt(listener) {
      listeners.push(listener);
    },
    start() {
      if (running) return;
      running = true;
      bind().catch((err: Error) => {
        log.warn({ err: maskGatewayText(err.message) }, 'SMPP gateway not reachable at start; retrying');
        scheduleReconnect();
      });
    },
    async close() {
      running = false;
      clearTimeout(reconnect);
      const session = await binding?.catch(() => undefined);
      binding = undefined;
      if (!session) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => session.destroy(() => resolve()), 1000);
        session.unbind({}, () => {
          clearTimeout(timer);
          session.close(() => resolve());
        }) || (clearTimeout(timer), resolve());
      });
    },
  };
}
