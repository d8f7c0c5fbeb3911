import type { Prompt, Skill } from '../menu.ts';

/** How a call ended; one per call row (one source for this enum: the table and the KPIs use it). */
export const callOutcomes = [
  'answered',
  'abandoned_in_menu',
  'abandoned_in_queue',
  'after_hours',
  'callback_requested',
  'message_left',
  'transferred',
  'failed',
] as const;
export type CallOutcome = (typeof callOutcomes)[number];

/**
 * Who ended a call: the caller; the operator; the transfer target (a judge, a department, a number) talking with
 * the caller; the system: the hotline itself (a closing prompt's end, a failure) or Asterisk going away under the
 * call (shut down, restarted): see `CallLost`.
 */
export const hangupParties = ['caller', 'operator', 'system', 'target'] as const;
export type HangupParty = (typeof hangupParties)[number];

/**
 * Why a call's channels ended without anyone hanging up (the call's `hangup` event data `reason`, by `system`):
 * Asterisk hung them up as it shut down (ChannelHangupRequest, soft, reason flag SHUTDOWN) or unloaded their
 * channel driver (flag APPUNLOAD); or they were found gone after a reconnect to an Asterisk that had restarted
 * (another `startup_time`), which drops every channel without an event.
 */
export const callLostReasons = ['asterisk_shutdown', 'asterisk_unload', 'asterisk_restart'] as const;
export type CallLost = (typeof callLostReasons)[number];

/** The append-only steps of a call (telephony.call_events.kind). */
export const callEventKinds = [
  'arrived',
  'after_hours',
  'menu_choice',
  'menu_invalid',
  'menu_no_input',
  'menu_fallback',
  'queued',
  'operator_rung',
  'operator_missed',
  'operator_released',
  'answered',
  'hold',
  'unhold',
  'max_wait',
  'callback_requested',
  'recording_started',
  'message_left',
  'hangup',
  'failed',
  'case_number_entered',
  'case_not_found',
  'transfer_started',
  'transfer_answered',
  'transfer_failed',
  'transfer_completed',
  'transfer_cancelled',
  'supervision_started',
  'supervision_switched',
  'supervision_stopped',
  'bridge_failed',
] as const;
export type CallEventKind = (typeof callEventKinds)[number];

export type Phase =
  | 'menu'
  | 'message_prompt'
  | 'recording'
  | 'queued'
  | 'ringing'
  | 'offer'
  | 'connected'
  /** Menu option 1: keying in the case number, then waiting for the case directory. */
  | 'case_entry'
  | 'case_lookup'
  /** The caller waits (hold music) while a transfer target rings (blind or menu transfer). */
  | 'transfer_ringing'
  /** Attended transfer: the caller on hold while the operator rings, then talks with, the target. */
  | 'consulting'
  /** The caller talks with the transfer target. */
  | 'transferred'
  | 'closing'
  | 'ended';

export type TimerName = 'menu' | 'max_wait' | 'ring' | 'position' | 'offer' | 'transfer' | 'case_entry';

/** The legs of a call besides the caller's own channel: an operator's, a transfer target's. */
export type LegKind = 'operator' | 'transfer';

export interface OperatorLeg {
  userId: string;
  endpoint: string;
  channelId: string;
}

/** Where a transfer goes: a judge (their extension), a department (its number) or an outside number. */
export interface TransferTarget {
  kind: 'judge' | 'department' | 'number';
  userId?: string;
  departmentId?: string;
  /** What Asterisk dials, e.g. PJSIP/8001 or PJSIP/037112345678@trunk. */
  dial: string;
  /** For people: the judge's or department's name, or the number. */
  label: string;
}

export const transferModes = ['blind', 'attended', 'menu'] as const;
export type TransferMode = (typeof transferModes)[number];

/** How a transfer leg ended (telephony.transfer_legs.outcome). */
export const transferOutcomes = ['answered', 'no_answer', 'busy', 'rejected', 'failed', 'cancelled', 'caller_left'] as const;
export type TransferOutcome = (typeof transferOutcomes)[number];

/** One transfer attempt: its own channel, outcome and times (a leg of the call). */
export interface TransferLeg {
  /** 1, 2, … within the call. */
  seq: number;
  mode: TransferMode;
  target: TransferTarget;
  channelId: string;
  /** The operator who asked for it (absent for menu transfers). */
  requestedBy?: string;
  startedAt: number;
  answeredAt?: number;
  /** Attended: the bridge where the operator consults the target. */
  consultBridgeId?: string;
  caseNumber?: string;
  /** Set once known; the first outcome stands. */
  outcome?: TransferOutcome;
}

export interface CallState {
  callId: string;
  channelId: string;
  courtId: string | null;
  callerNumber: string;
  phase: Phase;
  /** Wrong or missing menu inputs so far. */
  menuMisses: number;
  skill?: Skill;
  /** The prompt now playing, whose end the call waits for. */
  playbackId?: string;
  /** Counter for ids the machine makes (playbacks, operator legs). */
  seq: number;
  inHours: boolean;
  enqueuedAt?: number;
  maxWaitReached: boolean;
  operator?: OperatorLeg;
  bridgeId?: string;
  answeredAt?: number;
  answeredBy?: string;
  /**
   * Answered, and caller and operator not yet found in their bridge: the answer does not count yet (bridge-failed.ts).
   * Absent once they are (and in states saved before this mark existed, whose calls were bridged on answer).
   */
  bridging?: true;
  messageReason?: 'after_hours' | 'queue_timeout' | 'transfer_unanswered';
  recordingName?: string;
  /** Outcome to close with once the closing prompt ends. */
  closingOutcome?: CallOutcome;
  /** The transfer in progress or done (the last one). */
  transfer?: TransferLeg;
  /** Transfer legs made so far. */
  transfers?: number;
  /** Menu option 1: digits of the case number keyed so far. */
  caseDigits?: string;
  /** Whether the operator's leg has left the call (blind transfer, completed attended transfer). */
  operatorLeft?: boolean;
}

/** What ARI shows of a transfer leg after a restart. */
export interface LegView {
  up: boolean;
  answered: boolean;
  /** In the call's current bridge (or the consultation bridge) with the other party. */
  bridged: boolean;
}

/** What happens to a call, in the machine's words (the controller translates ARI events into these). */
/** What happens to a call, without its time. */
export type CallInputBody =
  /** `recordingNotice`: the court plays the recording notice before the menu (court_call_settings). */
  | { type: 'arrived'; inHours: boolean; recordingNotice?: boolean }
  | { type: 'playback_finished'; playbackId: string }
  | { type: 'digit'; digit: string }
  | { type: 'timer'; name: TimerName }
  | { type: 'caller_hangup' }
  /** The caller's channel ended, or will, because Asterisk went away under the call: closed by the system. */
  | { type: 'caller_lost'; reason: CallLost }
  | { type: 'operator_assigned'; userId: string; endpoint: string }
  | { type: 'operator_answered'; channelId: string }
  | { type: 'operator_gone'; channelId: string; reason: string }
  /** Asterisk put these channels in their bridge / would not, and they were not found in it (execute/channel-commands.ts). */
  | { type: 'bridged'; bridgeId: string }
  | { type: 'bridge_failed'; bridgeId: string; channelIds: readonly string[] }
  | { type: 'recording_finished'; name: string; durationSeconds?: number }
  | { type: 'hold' | 'unhold' }
  | { type: 'failure'; reason: string }
  | { type: 'transfer_requested'; mode: 'blind' | 'attended'; target: TransferTarget; operatorId: string }
  | { type: 'transfer_complete' }
  | { type: 'transfer_cancel' }
  | { type: 'transfer_answered'; channelId: string }
  | { type: 'transfer_gone'; channelId: string; reason: string; outcome: Exclude<TransferOutcome, 'answered' | 'cancelled' | 'caller_left'> }
  | { type: 'case_found'; target: TransferTarget; caseNumber: string }
  | { type: 'case_not_found'; digits: string; reason: 'unknown' | 'ambiguous' | 'no_handler' }
  /** A supervisor joined, switched mode or left (supervision/): logged in the call's own order, nothing else changes. */
  | { type: 'supervision_note'; event: 'supervision_started' | 'supervision_switched' | 'supervision_stopped'; data: Record<string, unknown> }
  /** Taken over from a controller that stopped or crashed; what ARI shows of the call now. */
  | { type: 'adopted'; operatorUp: boolean; operatorAnswered: boolean; bridged: boolean; target?: LegView };

export type CallInput = { at: number } & CallInputBody;

export interface CloseSummary {
  outcome: CallOutcome;
  hangupBy: HangupParty;
  inHours: boolean;
  skill: Skill | null;
  queuedAt: number | null;
  answeredAt: number | null;
  answeredBy: string | null;
}

/** What the machine asks for; one executor carries these out (ARI, Redis, the journal, realtime events, ticket intake). */
export type CallCommand =
  | { kind: 'answer' }
  | { kind: 'tagChannel' }
  | { kind: 'play'; playbackId: string; prompts: Prompt[] }
  | { kind: 'announcePosition'; playbackId: string }
  | { kind: 'stopPlayback'; playbackId: string }
  | { kind: 'startMoh' }
  | { kind: 'stopMoh' }
  | { kind: 'hangupCaller' }
  | { kind: 'record'; name: string }
  | { kind: 'stopRecording'; name: string }
  | { kind: 'startTimer'; name: TimerName; ms: number }
  | { kind: 'cancelTimer'; name: TimerName }
  | { kind: 'log'; event: CallEventKind; operatorId?: string; data?: Record<string, unknown> }
  | { kind: 'enqueue'; skill: Skill; enqueuedAt: number }
  | { kind: 'dequeue' }
  | { kind: 'ringOperator'; leg: OperatorLeg }
  | { kind: 'hangupOperator'; channelId: string }
  /** Originates the transfer target into the app (args 'transfer'). */
  | { kind: 'ringTarget'; leg: TransferLeg }
  | { kind: 'hangupLeg'; channelId: string }
  /** Writes the leg's row (insert, then answered/ended updates; first outcome wins). */
  | { kind: 'recordLeg'; leg: TransferLeg; outcome?: TransferOutcome; endedAt?: number }
  /** Looks the keyed digits up in the case directory; answers with case_found or case_not_found. */
  | { kind: 'lookupCase'; digits: string }
  /** Operator back to ready without penalty (the caller left or the call went elsewhere). */
  | { kind: 'releaseOperator'; userId: string }
  /** Operator did not answer: paused, the next one is tried. */
  | { kind: 'operatorMissed'; userId: string }
  /** Operator on a call back to ready: their bridge with the caller was refused. */
  | { kind: 'operatorNotBridged'; userId: string }
  | { kind: 'operatorOnCall'; userId: string }
  /** Call over: operator to wrap-up. */
  | { kind: 'operatorWrapUp'; userId: string }
  | { kind: 'bridge'; bridgeId: string; channelIds: string[] }
  | { kind: 'destroyBridge'; bridgeId: string }
  | { kind: 'screenPop'; userId: string }
  | { kind: 'publish'; event: 'call.offered' | 'call.ringing' | 'call.answered' | 'call.not_connected'; operatorId?: string }
  | { kind: 'intake'; what: 'message' | 'callback'; recordingName?: string }
  /** The transferred-call ticket: handed off to the transfer's judge or department, whatever the outcome. */
  | { kind: 'transferTicket'; leg: TransferLeg; recordingName?: string }
  | { kind: 'close'; summary: CloseSummary };

export interface MachineSettings {
  ringMs: number;
  maxWaitMs: number;
  menuTimeoutMs: number;
  /** Wait before a queued caller first hears their position (an operator may be rung before that). */
  positionFirstMs: number;
  positionEveryMs: number;
  /** How long a transfer target rings. */
  transferRingMs: number;
  /** Menu option 1: silence that ends the case number's entry. */
  caseEntryTimeoutMs: number;
  /** Longest message a caller may leave. */
  messageMaxSeconds: number;
}

export interface Transition {
  state: CallState;
  commands: CallCommand[];
}
