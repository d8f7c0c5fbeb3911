import { courtTimeZone } from '../hours/calendar.ts';

/** A call's recordings: the conversation (every bridge of the call, appended) and a message the caller left. */
export const recordingKinds = ['conversation', 'message'] as const;
export type RecordingKind = (typeof recordingKinds)[number];

const uuidPattern = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const conversationPattern = new RegExp(`^call-(${uuidPattern})$`);
const messagePattern = new RegExp(`^(${uuidPattern})-message$`);

/** Asterisk's name for a call's recording. The message name is the one the call machine gives the caller's recording (calls/message-phases.ts). */
export function recordingName(callId: string, kind: RecordingKind): string {
  return kind === 'conversation' ? `call-${callId}` : `${callId}-message`;
}

/** The call and kind a stored recording in Asterisk belongs to, or null for recordings that are not the hotline's. */
export function parseRecordingName(name: string): { callId: string; kind: RecordingKind } | null {
  const conversation = conversationPattern.exec(name);
  if (conversation) return { callId: conversation[1]!, kind: 'conversation' };
  const message = messagePattern.exec(name);
  if (message) return { callId: message[1]!, kind: 'message' };
  return null;
}

const yearMonth = new Intl.DateTimeFormat('en-CA', { timeZone: courtTimeZone, year: 'numeric', month: '2-digit' });

/** Where a recording's file goes under the recordings directory: `<yyyy>/<mm>/<callId>.wav` (month of the call, court time). */
export function recordingPath(callId: string, kind: RecordingKind, arrivedAt: Date): string {
  const parts = Object.fromEntries(yearMonth.formatToParts(arrivedAt).map((p) => [p.type, p.value]));
  return `${parts.year}/${parts.month}/${kind === 'conversation' ? callId : `${callId}-message`}.wav`;
}
