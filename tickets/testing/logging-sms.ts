/** Test helper only (production never wires it): an SMS "gateway" that logs (masked) and keeps what it was given. */
import type { Logger } from '../../platform/logger.ts';
import type { SmsMessage, SmsReceipt, SmsSender, SmsSubmitResult } from '../ports.ts';
import { smsLogFields } from '../sms/text.ts';

export interface LoggingSmsSender extends SmsSender {
  sent: (SmsMessage & { messageId: string })[];
  /** Pushes a receipt as the gateway would. */
  receipt(messageId: string, delivered: boolean, state?: string): Promise<void>;
}

export function loggingSmsSender(logger: Logger, options: { idempotent?: boolean; refuse?: boolean } = {}): LoggingSmsSender {
  const listeners: ((r: SmsReceipt) => Promise<void>)[] = [];
  const sent: (SmsMessage & { messageId: string })[] = [];
  let n = 0;
  return {
    name: 'log',
    idempotent: options.idempotent ?? true,
    sent,
    async send(message): Promise<SmsSubmitResult> {
      logger.info(smsLogFields(message), 'SMS (log sender)');
      if (options.refuse) return { accepted: false, detail: 'refused by the log sender' };
      const earlier = sent.find((m) => m.idempotencyKey === message.idempotencyKey);
      if (earlier) return { accepted: true, messageId: earlier.messageId, detail: 'duplicate dropped' };
      const messageId = `log-${++n}-${message.idempotencyKey.slice(0, 8)}`;
      sent.push({ ...message, messageId });
      return { accepted: true, messageId, detail: 'written to the log' };
    },
    onReceipt(listener) {
      listeners.push(listener);
    },
    async receipt(messageId, delivered, state = delivered ? 'delivered' : 'undeliverable') {
      for (const l of listeners) await l({ messageId, delivered, state, detail: state });
    },
    start() {},
    async close() {},
  };
}
