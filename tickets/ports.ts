import type { Actor } from '../platform/user-roles.ts';

/** A phone relay to file: the reply of `ticketId` told to its caller by `requestedBy` on their softphone. */
export interface PhoneRelayRequest {
  ticketId: string;
  deliveryId: string;
  courtId: string;
  requestedBy: Actor;
}

/** The call was filed (outboundId: telephony's request, whose recorded result settles the delivery), or refused for good. */
export type PhoneRelayFiled = { placed: true; outboundId: string; detail: string } | { placed: false; detail: string };

/**
 * Relays a reply by phone through telephony's outbound callback: the operator's softphone rings first, then the
 * caller, bridged (telephony/outbound/relay-dialer.ts, wired by telephony/plugin.ts). A delivery is filed once
 * however often asked. Resolves `placed: false` with the reason when telephony refuses it (no softphone, operator
 * busy, …); throws when it may work later (the queue away), and the job is retried.
 */
export interface CallbackDialer {
  dial(request: PhoneRelayRequest): Promise<PhoneRelayFiled>;
}

/**
 * Telephony's records a phone delivery typed in by hand must name (telephony/outbound/evidence.ts): an inbound
 * call of the court, and a relay call (outbound request). Null: no such record in that court.
 */
export interface PhoneEvidence {
  answeredCall(courtId: string, callId: string): Promise<{ callerNumber: string; answeredAt: Date | null } | null>;
  relayCall(courtId: string, outboundId: string): Promise<{ ticketId: string | null; purpose: string; mode: string; result: string | null; status: string; requestedAt: Date } | null>;
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

/** A call a ticket came from, as telephony recorded it: for the ticket page (tickets/ticket-page.ts). */
export interface LinkedCall {
  callId: string;
  arrivedAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  /** Telephony's outcome (answered, abandoned, message, …); null while the call is in progress. */
  outcome: string | null;
  /** The operator who answered it. */
  answeredBy: string | null;
  /** Its recordings (conversation, message) and whether each is stored, missing or removed. */
  recordings: { kind: string; status: string }[];
}

/** Telephony's records of the calls behind a ticket, within one court (ids of other courts are left out). */
export interface CallRecords {
  linkedCalls(courtId: string, callIds: string[]): Promise<LinkedCall[]>;
}
