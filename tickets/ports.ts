import type { Logger } from '../platform/logger.ts';

/**
 * Places a phone call so an operator can relay feedback or make a return visit. Telephony provides the real
 * one (through its outbound callback); without it the request is logged and the operator dials by hand.
 */
export interface CallbackDialer {
  dial(request: { ticketId: string; deliveryId: string; courtId: string; callerNumber: string; purpose: 'feedback' | 'callback' }): Promise<{ placed: boolean; detail: string }>;
}

/** Sends an SMS. `idempotencyKey` is the same for a retried send, so a gateway can drop the duplicate. */
export interface SmsSender {
  send(message: { to: string; text: string; idempotencyKey: string }): Promise<{ accepted: boolean; detail: string }>;
}

export function loggingDialer(logger: Logger): CallbackDialer {
  return {
    async dial(request) {
      logger.info({ ticketId: request.ticketId, purpose: request.purpose }, 'no telephony dialer configured: operator to dial the caller by hand');
      return { placed: false, detail: 'no dialer configured' };
    },
  };
}

/** The default SMS sender: writes the message to the log (phone number masked) and reports it sent. */
export function loggingSmsSender(logger: Logger): SmsSender {
  return {
    async send(message) {
      logger.info({ to: maskPhone(message.to), text: message.text, key: message.idempotencyKey }, 'SMS (log sender)');
      return { accepted: true, detail: 'written to the log' };
    },
  };
}

/** 13812345678 → 138****5678: personal data is masked in logs and lists. */
export function maskPhone(number: string): string {
  return number.length >= 7 ? `${number.slice(0, 3)}${'*'.repeat(number.length - 7)}${number.slice(-4)}` : '****';
}
