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

export const hangupParties = ['caller', 'operator', 'system'] as const;
export type HangupParty = (typeof hangupParties)[number];

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
] as const;
export type CallEventKind = (typeof callEventKinds)[number];

export type Phase = 'menu' | 'message_prompt' | 'recording' | 'queued' | 'ringing' | 'offer' | 'connected' | 'closing' | 'ended';

export type TimerName = 'menu' | 'max_wait' | 'ring' | 'position' | 'offer';

export interface OperatorLeg {
  userId: string;
  endpoint: string;
  channelId: string;
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
  messageReason?: 'after_hours' | 'queue_timeout';
  recordingName?: string;
  /** Outcome to close with once the closing prompt ends. */
  closingOutcome?: CallOutcome;
}

/** What happens to a call, in the machine's words (the controller translates ARI events into these). */
/** What happens to a call, without its time. */
export type CallInputBody =
  | { type: 'arrived'; inHours: boolean }
  | { type: 'playback_finished'; playbackId: string }
  | { type: 'digit'; digit: string }
  | { type: 'timer'; name: TimerName }
  | { type: 'caller_hangup' }
  | { type: 'operator_assigned'; userId: string; endpoint: string }
  | { type: 'operator_answered'; channelId: string }
  | { type: 'operator_gone'; channelId: string; reason: string }
  | { type: 'recording_finished'; name: string; durationSeconds?: number }
  | { type: 'hold' | 'unhold' }
  | { type: 'failure'; reason: string }
  /** Taken over from a controller that stopped or crashed; what ARI shows of the call now. */
  | { type: 'adopted'; operatorUp: boolean; operatorAnswered: boolean; bridged: boolean };

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

/** What the machine asks for; one executor carries these out (ARI, Redis, the journal, realtime events). */
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
  /** Operator back to ready without penalty (the caller left or the call went elsewhere). */
  | { kind: 'releaseOperator'; userId: string }
  /** Operator did not answer: paused, the next one is tried. */
  | { kind: 'operatorMissed'; userId: string }
  | { kind: 'operatorOnCall'; userId: string }
  /** Call over: operator to wrap-up. */
  | { kind: 'operatorWrapUp'; userId: string }
  | { kind: 'bridge'; bridgeId: string; channelIds: string[] }
  | { kind: 'destroyBridge'; bridgeId: string }
  | { kind: 'screenPop'; userId: string }
  | { kind: 'publish'; event: 'call.offered' | 'call.ringing' | 'call.answered'; operatorId?: string }
  | { kind: 'intake'; what: 'message' | 'callback'; recordingName?: string }
  | { kind: 'close'; summary: CloseSummary };

export interface MachineSettings {
  ringMs: number;
  maxWaitMs: number;
  menuTimeoutMs: number;
  /** Wait before a queued caller first hears their position (an operator may be rung before that). */
  positionFirstMs: number;
  positionEveryMs: number;
  /** Longest message a caller may leave. */
  messageMaxSeconds: number;
}

export interface Transition {
  state: CallState;
  commands: CallCommand[];
}
