import type { TicketRow } from '../change.ts';
import type { TicketContext } from '../context.ts';
import { conflict } from '../errors.ts';

/** What a phone delivery recorded by hand names as its proof: exactly one of the two. */
export type PhoneProof = { callId: string } | { outboundId: string };

const refused = (code: string, message: string, messageZh: string) => conflict(`phone_delivery_${code}`, message, messageZh);

/**
 * "Delivered by phone" typed in without a call: refused. The relay call records it by itself when the caller
 * answers and is bridged to the operator; by hand it must name the recorded call in which the caller was told.
 */
export const phoneDeliveryNeedsCall = () =>
  refused(
    'needs_call',
    'A phone relay counts as delivered only when a recorded call says so: it is recorded by itself when the relay call connects; by hand, name the answered call (callId) in which you told the caller, or the connected relay call (outboundId)',
    '电话转告只有通话记录证明才算送达：转告回拨接通后系统自动登记；手工登记须注明告知来电人的那次已接通来电（callId）或已接通的转告回拨（outboundId）',
  );

/** A phone relay is already under way (filed, its call not yet over). */
export const phoneRelayPending = () =>
  conflict('phone_relay_pending', 'A phone relay of this reply is already under way: its call records the outcome', '该答复的电话转告正在进行，结果以通话记录为准，请勿重复发起');

/**
 * The same phone number, as telephony and a person write it: digits only, and a Chinese mobile number with
 * its country code (86 / 0086) equals the number without it.
 */
export function sameNumber(a: string | null, b: string | null): boolean {
  const digits = (n: string) => {
    const d = n.replace(/\D/g, '');
    return /^(0086|86)1\d{10}$/.test(d) ? d.slice(-11) : d;
  };
  if (!a || !b) return false;
  const x = digits(a);
  return x !== '' && x === digits(b);
}

/**
 * Checks the call a phone delivery by hand names, through telephony's records: an answered inbound call of
 * the ticket's court, from the ticket's caller number, answered after the handler replied (the reply cannot
 * have been told before it existed, so the call that opened the ticket never counts); or a relay call of this
 * ticket, made after the reply, that connected the caller to the operator. Anything else is a 409 and nothing is written.
 */
export async function checkPhoneProof(ctx: TicketContext, ticket: TicketRow, proof: PhoneProof): Promise<PhoneProof> {
  const evidence = ctx.phoneEvidence;
  if (!evidence) {
    throw refused('unverifiable', 'Call records cannot be checked in this process (no telephony): the delivery is not recorded', '本进程无法核对通话记录（未启用电话功能），不能登记送达');
  }
  if ('outboundId' in proof) {
    const relay = await evidence.relayCall(ticket.courtId, proof.outboundId);
    if (!relay || relay.ticketId !== ticket.id || relay.purpose !== 'relay') {
      throw refused('unknown_call', 'The call named is not a relay call of this ticket', '所注明的呼叫不是本工单的转告回拨');
    }
    if (relay.result !== 'connected' || relay.mode !== 'operator') {
      throw refused('not_connected', `The relay call did not connect the caller to the operator (${relay.result ?? relay.status}): it does not count as delivered`, `该转告回拨未接通来电人（${relay.result ?? relay.status}），不算送达`);
    }
    // A reopened ticket's new reply is not told on a call made for the reply before it.
    if (!ticket.repliedAt || relay.requestedAt < ticket.repliedAt) {
      throw refused('before_reply', 'The relay call was made before the handler gave this reply: it cannot have told it', '该转告回拨发起于承办人本次答复之前，不可能转告本次答复');
    }
    return proof;
  }
  const call = await evidence.answeredCall(ticket.courtId, proof.callId);
  if (!call) throw refused('unknown_call', 'No such call of this court', '本院没有这个来电');
  if (!call.answeredAt) throw refused('not_answered', 'The call named was never answered by an operator', '所注明的来电未被话务员接听');
  if (!sameNumber(call.callerNumber, ticket.callerNumber)) {
    throw refused('other_number', "The call named came from another number than the ticket's caller", '所注明的来电号码与工单来电号码不一致');
  }
  if (!ticket.repliedAt || call.answeredAt < ticket.repliedAt) {
    throw refused('before_reply', 'The call named was answered before the handler replied: the reply cannot have been told on it', '所注明的来电接听于承办人答复之前，不可能在该通话中转告答复');
  }
  return proof;
}
