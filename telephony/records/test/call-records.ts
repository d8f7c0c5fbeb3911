import { randomUUID } from 'node:crypto';
import type { JournalRecord } from '../records.ts';

/**
 * The records of one short call (start, arrived, hangup in the menu, close), as the controller journals them.
 * `withRow: false` gives a close as controllers before the close's row basis wrote it.
 */
export function callRecords(callId: string, at: number, { withRow = true } = {}): JournalRecord[] {
  const row = { courtId: null, channelId: `ch-${callId}`, callerNumber: '13800000000', dialled: '12368' };
  return [
    { kind: 'call_started', id: callId, ...row, arrivedAt: at },
    { kind: 'call_event', id: randomUUID(), callId, courtId: null, at: at + 1, seq: 1, event: 'arrived', operatorId: null, data: {} },
    { kind: 'call_event', id: randomUUID(), callId, courtId: null, at: at + 2, seq: 2, event: 'hangup', operatorId: null, data: { by: 'caller' } },
    {
      kind: 'call_closed',
      callId,
      arrivedAt: at,
      endedAt: at + 2,
      summary: { outcome: 'abandoned_in_menu', hangupBy: 'caller', inHours: true, skill: null, queuedAt: null, answeredAt: null, answeredBy: null },
      ...(withRow ? { row } : {}),
    },
  ];
}
