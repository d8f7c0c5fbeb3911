import type { Logger } from '../platform/logger.ts';
import type { TransferMode, TransferOutcome, TransferTarget } from './calls/types.ts';

export interface IntakeCall {
  callId: string;
  courtId: string | null;
  callerNumber: string;
}

/**
 * Where telephony hands what a call produced to the tickets capability (`ticketsIntake`, wired in plugin.ts).
 */
export interface TicketIntake {
  /** A caller left a message (after hours or instead of waiting): a ticket waiting for an operator's call back. */
  messageLeft(call: IntakeCall & { recordingName: string; reason: 'after_hours' | 'queue_timeout' }): Promise<void>;
  /** A caller asked to be called back instead of waiting. */
  callbackRequested(call: IntakeCall): Promise<void>;
  /** A draft ticket for the operator who answered, shown in the screen pop; null when none. */
  draftForCall(call: IntakeCall & { operatorId: string }): Promise<string | null>;
  /** A transfer leg ended: the transferred-call ticket, handed off to the target judge or department. */
  transferred(call: IntakeCall & TransferFacts): Promise<void>;
  /** Of these calls, those that have a ticket (intake-sweep.ts). */
  callsWithTickets(callIds: string[]): Promise<Set<string>>;
}

export interface TransferFacts {
  operatorId: string | null;
  target: TransferTarget;
  mode: TransferMode;
  outcome: TransferOutcome;
  caseNumber?: string;
  recordingName?: string;
}

/** The part of the tickets service intake calls (plain call facts in, the ticket's id out). */
export interface TicketCommands {
  /** Of these calls, those that have a ticket. */
  callsWithTickets(callIds: string[]): Promise<Set<string>>;
  createFromCall(input: { courtId: string; callId: string; callerNumber?: string; operatorId?: string }): Promise<{ id: string }>;
  createFromMessage(input: { courtId: string; callId: string; callerNumber?: string; kind: 'message' | 'callback'; reason?: 'after_hours' | 'queue_timeout'; recordingName?: string }): Promise<{ id: string }>;
  createFromTransfer(input: {
    courtId: string;
    callId: string;
    callerNumber?: string;
    operatorId?: string;
    handlerUserId?: string;
    handlerDepartmentId?: string;
    targetLabel: string;
    outcome: TransferOutcome;
    caseNumber?: string;
    recordingName?: string;
  }): Promise<{ id: string; stage: string }>;
}

/** A number the tickets capability accepts (digits); withheld or SIP-style caller ids are left out. */
const usableNumber = (number: string): { callerNumber?: string } => (/^\+?[0-9]{3,20}$/.test(number) ? { callerNumber: number } : {});

/** Intake into the tickets service. A call with no court (no court configured) makes no ticket: it is logged. */
export function ticketsIntake(tickets: TicketCommands, logger: Logger): TicketIntake {
  const log = logger.child({ component: 'ticket-intake' });
  const fromMessage = async (call: IntakeCall, kind: 'message' | 'callback', extra: { reason?: 'after_hours' | 'queue_timeout'; recordingName?: string }) => {
    if (!call.courtId) return void log.warn({ callId: call.callId, kind }, 'no court for this call: no ticket made');
    const ticket = await tickets.createFromMessage({ courtId: call.courtId, callId: call.callId, ...usableNumber(call.callerNumber), kind, ...extra });
    log.info({ callId: call.callId, ticketId: ticket.id, kind }, 'ticket made for a caller no operator took');
  };
  return {
    messageLeft: (call) => fromMessage(call, 'message', { reason: call.reason, ...(call.recordingName ? { recordingName: call.recordingName } : {}) }),
    callbackRequested: (call) => fromMessage(call, 'callback', { reason: 'queue_timeout' }),
    transferred: async (call) => {
      if (!call.courtId) return void log.warn({ callId: call.callId }, 'no court for this call: no transferred-call ticket made');
      const handler = call.target.userId ? { handlerUserId: call.target.userId } : call.target.departmentId ? { handlerDepartmentId: call.target.departmentId } : null;
      // An outside number has no handler in the directory: the operator registers what the call was about.
      if (!handler) return void log.info({ callId: call.callId, target: call.target.kind }, 'transfer to an outside number: no ticket to hand off');
      const ticket = await tickets.createFromTransfer({
        courtId: call.courtId,
        callId: call.callId,
        ...usableNumber(call.callerNumber),
        ...(call.operatorId ? { operatorId: call.operatorId } : {}),
        ...handler,
        targetLabel: call.target.label || call.target.kind,
        outcome: call.outcome,
        ...(call.caseNumber ? { caseNumber: call.caseNumber } : {}),
        ...(call.recordingName ? { recordingName: call.recordingName } : {}),
      });
      if (ticket.stage === 'answer') log.warn({ callId: call.callId, ticketId: ticket.id, outcome: call.outcome }, 'transferred-call ticket left for an operator: its target cannot take a hand-off');
      else log.info({ callId: call.callId, ticketId: ticket.id, outcome: call.outcome }, 'transferred-call ticket handed off');
    },
    callsWithTickets: (callIds) => tickets.callsWithTickets(callIds),
    draftForCall: async (call) => {
      if (!call.courtId) return null;
      const ticket = await tickets.createFromCall({ courtId: call.courtId, callId: call.callId, operatorId: call.operatorId, ...usableNumber(call.callerNumber) });
      return ticket.id;
    },
  };
}
