/** Operator presence (坐席状态), one source for the enum. */
export const presenceStates = ['logged_out', 'ready', 'ringing', 'on_call', 'wrap_up', 'paused'] as const;
export type PresenceState = (typeof presenceStates)[number];

/** States an operator may choose in the console; the others are set by calls. */
export const chosenStates = ['logged_out', 'ready', 'paused'] as const;
export type ChosenState = (typeof chosenStates)[number];

/** Why the system pauses an operator. */
export const missedCallReason = 'missed_call';
/** Why the system took an operator out of the queue or paused them (presence follows the person). */
export const leaveReasons = ['signed_out', 'session_ended'] as const;
export type LeaveReason = (typeof leaveReasons)[number];
export const consoleLostReason = 'console_lost';
/** Why an operator on a call went straight back to ready: Asterisk would not bridge them with the caller. */
export const notBridgedReason = 'not_bridged';

/**
 * Which states each change may come from. Choices an operator makes may not interrupt a call in hand;
 * the system's changes follow the call.
 */
export const allowedFrom: Record<string, readonly PresenceState[]> = {
  // operator's choices
  'choose:ready': ['logged_out', 'paused', 'wrap_up', 'ready'],
  'choose:paused': ['ready', 'wrap_up', 'paused'],
  'choose:logged_out': ['ready', 'paused', 'wrap_up', 'logged_out'],
  // the system's
  'system:ringing': ['ready'],
  // an operator's own callback rings their softphone (telephony/outbound/)
  'system:outbound': ['ready', 'paused', 'wrap_up'],
  'system:on_call': ['ringing'],
  'system:wrap_up': ['on_call'],
  'system:missed': ['ringing'],
  'system:released': ['ringing'],
  // on a call whose bridge Asterisk refused: the operator never reached the caller, and is free again
  'system:not_bridged': ['on_call'],
  'system:wrap_up_done': ['wrap_up'],
  'system:stale': ['ringing', 'on_call'],
  // the person left: signed out or their session ended (a ringing or on-call operator leaves after the call)
  'system:signed_out': ['ready', 'paused', 'wrap_up'],
  // their console's websocket was gone longer than the setting (a call in hand is left alone)
  'system:console_lost': ['ready', 'wrap_up'],
};

export type PresenceChange = keyof typeof allowedFrom;

export function canChange(change: PresenceChange, from: PresenceState): boolean {
  return (allowedFrom[change] ?? []).includes(from);
}
