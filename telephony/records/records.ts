import type { CallEventKind, CloseSummary, TransferMode, TransferOutcome } from '../calls/types.ts';
import type { OutboundRecord } from '../outbound/records.ts';
import type { PresenceState } from '../presence/presence-state.ts';

/** What a call row is started with. */
export interface CallRowBasis {
  courtId: string | null;
  channelId: string;
  callerNumber: string;
  dialled: string;
}

/** What telephony writes to PostgreSQL, as records the journal can keep on disk while the database is away. */
export type JournalRecord =
  | { kind: 'call_started'; id: string; courtId: string | null; channelId: string; callerNumber: string; dialled: string; arrivedAt: number }
  | {
      kind: 'call_event';
      id: string;
      callId: string;
      courtId: string | null;
      at: number;
      seq: number;
      event: CallEventKind;
      operatorId: string | null;
      data: Record<string, unknown>;
      /** Logged by a controller that took the call over: may repeat a step its saved state missed (repeated-steps.ts). */
      takeover?: true;
    }
  | {
      kind: 'call_closed';
      callId: string;
      arrivedAt: number;
      endedAt: number;
      summary: CloseSummary;
      /**
       * The call row as it was started, so a close that finds no row re-creates it (reported as a repair)
       * instead of updating nothing. Absent in records logged by controllers before it was added.
       */
      row?: CallRowBasis;
    }
  | {
      kind: 'presence';
      id: string;
      operatorId: string;
      courtId: string | null;
      at: number;
      state: PresenceState;
      previous: PresenceState | null;
      reason: string | null;
      callId: string | null;
    }
  | {
      kind: 'transfer_leg';
      callId: string;
      seq: number;
      courtId: string | null;
      mode: TransferMode;
      targetKind: string;
      targetUserId: string | null;
      targetDepartmentId: string | null;
      targetLabel: string;
      dial: string;
      requestedBy: string | null;
      caseNumber: string | null;
      startedAt: number;
      answeredAt: number | null;
      endedAt: number | null;
      outcome: TransferOutcome | null;
    }
  | OutboundRecord;
