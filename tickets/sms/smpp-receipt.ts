import type { Pdu } from 'smpp';
import type { SmsReceipt } from '../ports.ts';

/** esm_class bit of a deliver_sm that carries an SMSC delivery receipt. */
const receiptFlag = 0x04;

/** SMPP 3.4 message_state TLV values (§5.3.2.35) and the receipt text's stat: words (Appendix B). */
const byState: Record<number, string> = { 1: 'ENROUTE', 2: 'DELIVRD', 3: 'EXPIRED', 4: 'DELETED', 5: 'UNDELIV', 6: 'ACCEPTD', 7: 'UNKNOWN', 8: 'REJECTD' };
const finalFailures: Record<string, string> = { EXPIRED: 'expired', DELETED: 'deleted', UNDELIV: 'undeliverable', UNKNOWN: 'unknown', REJECTD: 'rejected' };

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  if (value && typeof value === 'object' && 'message' in value) return textOf((value as { message: unknown }).message);
  return '';
}

/**
 * A final delivery receipt from a deliver_sm: the message id (receipted_message_id TLV, or the text's id:)
 * and its state (message_state TLV, or the text's stat:). Undefined for a mobile-originated message or an
 * intermediate state (ENROUTE, ACCEPTD), which settle nothing.
 */
export function parseSmppReceipt(pdu: Pdu): SmsReceipt | undefined {
  const text = textOf(pdu.short_message) || textOf(pdu.message_payload);
  const isReceipt = ((Number(pdu.esm_class) || 0) & receiptFlag) !== 0 || pdu.receipted_message_id !== undefined;
  if (!isReceipt) return undefined;
  const messageId = (typeof pdu.receipted_message_id === 'string' && pdu.receipted_message_id) || /\bid:(\S+)/i.exec(text)?.[1];
  const stat = (typeof pdu.message_state === 'number' ? byState[pdu.message_state] : undefined) ?? /\bstat:(\w+)/i.exec(text)?.[1]?.toUpperCase();
  if (!messageId || !stat) return undefined;
  const err = /\berr:(\w+)/i.exec(text)?.[1];
  if (stat === 'DELIVRD') return { messageId, delivered: true, state: 'delivered', detail: 'delivered (SMPP receipt DELIVRD)' };
  const failure = finalFailures[stat];
  if (!failure) return undefined;
  return { messageId, delivered: false, state: failure, detail: `${failure} (SMPP receipt ${stat}${err ? `, err ${err}` : ''})` };
}
