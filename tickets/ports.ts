import type { Logger } from '../platform/logger.ts';

/**
 * Places a phone call so an operator can relay feedback or make a return visit. Telephony provides the real
 * one (through its outbound callback); without it the request is logged and the operator dials by hand.
 */
export interface CallbackDialer {
  dial(request: { ticketId: string; deliveryId: string; courtId: string; callerNumber: string; purpose: 'feedback' | 'callback' }): Promise<{ placed: boolean; detail: string }>;
}

export interface SmsMessage {
  to: string;
  text: string;
  /** The delivery id: the same for every attempt at one message. */
  idempotencyKey: string;
}

/** The gateway took the message (messageId: what its receipt will name), or refused it for good. */
export type SmsSubmitResult = { accepted: true; messageId: string; detail: string } | { accepted: false; detail: string };

/** A delivery receipt: delivered, or the failure the gateway named (undeliverable, rejected, expired, …). */
export interface SmsReceipt {
  messageId: string;
  delivered: boolean;
  state: string;
  detail: string;
}

/**
 * Sends an SMS through a gateway (tickets/sms/). `send` resolves once the gateway accepted or refused the
 * message; it throws SmsNotSent when the message certainly did not reach the gateway (down, busy: retried),
 * and any other error when it may have. Receipts are reported to the listener given to `onReceipt`.
 */
export interface SmsSender {
  readonly name: string;
  /**
   * True when the gateway drops a second message with the same idempotency key: a send whose outcome a
   * crash hid may then be repeated safely. Otherwise such a send is given up (failed), never repeated.
   */
  readonly idempotent: boolean;
  send(message: SmsMessage): Promise<SmsSubmitResult>;
  onReceipt(listener: (receipt: SmsReceipt) => Promise<void>): void;
  /** Connects (and stays connected for receipts) where the gateway needs a session; idempotent. */
  start(): void;
  close(): Promise<void>;
}

/** The message did not reach the gateway: sending it again cannot double it. */
export class SmsNotSent extends Error {
  override readonly name = 'SmsNotSent';
}

export function loggingDialer(logger: Logger): CallbackDialer {
  return {
    async dial(request) {
      logger.info({ ticketId: request.ticketId, purpose: request.purpose }, 'no telephony dialer configured: operator to dial the caller by hand');
      return { placed: false, detail: 'no dialer configured' };
    },
  };
}
