/**
 * Hangup causes as Asterisk 22 names them: the `cause_txt` of ChannelDestroyed (ast_cause2str, main/channel.c: a
 * code without a name is "Unknown") and the `reason` words of DELETE /channels/{id} (res/ari/resource_channels.c).
 */
const CAUSE_TEXT: Record<number, string> = {
  1: 'Unallocated (unassigned) number',
  2: 'No route to specified transmit network',
  3: 'No route to destination',
  5: 'Misdialed trunk prefix',
  6: 'Channel unacceptable',
  7: 'Call awarded and being delivered in an established channel',
  8: 'Pre-empted',
  14: 'Number ported elsewhere',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'User alerting, no answer',
  20: 'Subscriber absent',
  21: 'Call Rejected',
  22: 'Number changed',
  23: 'Redirected to new destination',
  26: 'Answered elsewhere',
  27: 'Destination out of order',
  28: 'Invalid number format',
  29: 'Facility rejected',
  30: 'Response to STATus ENQuiry',
  31: 'Normal, unspecified',
  34: 'Circuit/channel congestion',
  38: 'Network out of order',
  41: 'Temporary failure',
  42: 'Switching equipment congestion',
  43: 'Access information discarded',
  44: 'Requested channel not available',
  50: 'Facility not subscribed',
  52: 'Outgoing call barred',
  54: 'Incoming call barred',
  57: 'Bearer capability not authorized',
  58: 'Bearer capability not available',
  65: 'Bearer capability not implemented',
  66: 'Channel not implemented',
  69: 'Facility not implemented',
  81: 'Invalid call reference value',
  88: 'Incompatible destination',
  95: 'Invalid message unspecified',
  96: 'Mandatory information element is missing',
  97: 'Message type nonexist.',
  98: 'Wrong message',
  99: 'Info. element nonexist or not implemented',
  100: 'Invalid information element contents',
  101: 'Message not compatible with call state',
  102: 'Recover on timer expiry',
  103: 'Mandatory IE length error',
  111: 'Protocol error, unspecified',
  127: 'Interworking, unspecified',
};

export const causeText = (cause: number): string => CAUSE_TEXT[cause] ?? 'Unknown';

/** DELETE /channels `reason` → the cause the channel is hung up with. */
const HANGUP_REASONS = new Map<string, number>(Object.entries({
  normal: 16,
  busy: 17,
  congestion: 34,
  no_answer: 19,
  timeout: 18,
  rejected: 21,
  unallocated: 1,
  normal_unspecified: 31,
  number_incomplete: 28,
  codec_mismatch: 58,
  interworking: 127,
  failure: 38,
  answered_elsewhere: 26,
}));

/** A refused reason / reason_code: Asterisk's 400 message (its reason phrase: rest-over-websocket.ts). */
export class HangupCauseError extends Error {}

/** C's sscanf("%30d"): leading blanks, a sign, up to 30 characters of digits; the value wrapped to a C int. */
function scanInt(text: string): number | null {
  const match = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  if (!match) return null;
  const digits = match[1]!.slice(0, 30);
  // strtol saturates at the long range, the int conversion keeps the low 32 bits.
  const long = BigInt(digits);
  const clamped = long > 2n ** 63n - 1n ? 2n ** 63n - 1n : long < -(2n ** 63n) ? -(2n ** 63n) : long;
  return Number(BigInt.asIntN(32, clamped));
}

/**
 * The cause of an app hangup: `reason_code` (any number) or `reason` (a listed word), never both; neither (or empty
 * values) is 16. Throws HangupCauseError with Asterisk's 400 message.
 */
export function appHangupCause(reason: string | undefined, reasonCode: string | undefined): number {
  if (reason && reasonCode) throw new HangupCauseError("The reason and reason_code can't both be specified");
  if (reasonCode) {
    const cause = scanInt(reasonCode);
    if (cause === null) throw new HangupCauseError('Invalid reason for hangup reason code provided');
    return cause;
  }
  if (reason) {
    const cause = HANGUP_REASONS.get(reason);
    if (cause === undefined) throw new HangupCauseError('Invalid reason for hangup reason provided');
    return cause;
  }
  return 16;
}
