import type { Actor } from '../../platform/user-roles.ts';

/** Why a caller is dialled back: a handler's reply (反馈), a return visit (回访), or a call no one took. */
export const outboundPurposes = ['relay', 'return_visit', 'missed_call'] as const;
export type OutboundPurpose = (typeof outboundPurposes)[number];

/** operator: the operator's softphone first, then the caller, bridged; survey: the caller hears a keypad survey. */
export const outboundModes = ['operator', 'survey'] as const;
export type OutboundMode = (typeof outboundModes)[number];

export const legKinds = ['operator', 'caller'] as const;
export type LegKind = (typeof legKinds)[number];

/** How one dialled leg ended (telephony.outbound_attempts.outcome). */
export const legOutcomes = ['answered', 'no_answer', 'busy', 'rejected', 'failed'] as const;
export type LegOutcome = (typeof legOutcomes)[number];

/** Where a callback request stands (telephony.outbound_requests.status). */
export const outboundStatuses = ['scheduled', 'dialling', 'completed', 'unreachable', 'failed'] as const;
export type OutboundStatus = (typeof outboundStatuses)[number];

/** How one attempt ended; only `caller_not_reached` (and an interrupted attempt) is retried. */
export const attemptResults = ['connected', 'surveyed', 'no_response', 'caller_not_reached', 'operator_missed', 'operator_unavailable', 'operator_cancelled', 'failed'] as const;
export type AttemptResult = (typeof attemptResults)[number];

/** Calls whose caller may be dialled back (telephony.calls.outcome). */
export const callableOutcomes = ['callback_requested', 'abandoned_in_queue', 'message_left'] as const;

/** Survey keys → the tickets capability's satisfaction values. */
export const surveyKeys = { '1': 'satisfied', '2': 'basically_satisfied', '3': 'unsatisfied' } as const;
export type SurveySatisfaction = (typeof surveyKeys)[keyof typeof surveyKeys];

/** Prompt files under asterisk-config/sounds/zh/ the outbound flows play (each with a .txt of its words). */
export const outboundPrompts = ['survey-intro', 'survey-question', 'survey-thanks', 'invalid', 'goodbye'] as const;
export type OutboundPrompt = (typeof outboundPrompts)[number];

/** A callback request as the API accepted it; travels in every attempt's job, so a worker needs no database read. */
export interface OutboundRequest {
  id: string;
  courtId: string;
  purpose: OutboundPurpose;
  mode: OutboundMode;
  ticketId: string | null;
  callId: string | null;
  /** The caller's number, dialled through the trunk. */
  number: string;
  /** The signed-in user who asked; in operator mode their softphone rings first. */
  requestedBy: Actor;
  /** PJSIP endpoint of the operator's softphone (operator mode). */
  endpoint: string | null;
  /** Attempts in all for this request, when fewer than the deployment's (an automatic callback makes one: unowned/auto-callback.ts). */
  attempts?: number;
}

export interface LegState {
  channelId: string;
  startedAt: number;
  answeredAt?: number;
}

export type Phase = 'operator_ringing' | 'caller_ringing' | 'connected' | 'survey' | 'closing' | 'ended';
export type TimerName = 'ring' | 'input';

/** One attempt of one request, as the machine sees it. */
export interface AttemptState {
  id: string;
  attempt: number;
  mode: OutboundMode;
  phase: Phase;
  operator?: LegState;
  caller?: LegState;
  bridgeId?: string;
  /** Both answered, not yet found in their bridge: not connected yet (absent once they are, and in older saves). */
  bridging?: true;
  playbackId?: string;
  seq: number;
  /** Invalid or missing survey answers so far. */
  misses: number;
  satisfaction?: SurveySatisfaction;
}

export type AttemptInputBody =
  | { type: 'start' }
  | { type: 'answered'; leg: LegKind }
  /** A leg's channel is gone; `cause` is Asterisk's hangup cause (null when the originate itself failed). */
  | { type: 'leg_gone'; leg: LegKind; cause: number | null; reason: string }
  /** Operator and caller found in their bridge / not (Asterisk refused, or a leg was gone; executor.ts). */
  | { type: 'bridged' }
  | { type: 'bridge_failed' }
  | { type: 'digit'; digit: string }
  | { type: 'playback_finished'; playbackId: string }
  | { type: 'timer'; name: TimerName };
export type AttemptInput = { at: number } & AttemptInputBody;

export interface LegSummary {
  leg: LegKind;
  channelId: string;
  outcome: LegOutcome;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number;
  detail: string | null;
}

export type PresenceMove = 'ringing' | 'on_call' | 'wrap_up' | 'missed' | 'released' | 'not_bridged';

export type AttemptCommand =
  | { kind: 'originate'; leg: LegKind; channelId: string; timeoutSeconds: number }
  | { kind: 'hangup'; channelId: string }
  | { kind: 'bridge'; bridgeId: string; channelIds: string[] }
  | { kind: 'destroyBridge'; bridgeId: string }
  | { kind: 'play'; playbackId: string; prompts: OutboundPrompt[] }
  | { kind: 'stopPlayback'; playbackId: string }
  | { kind: 'startTimer'; name: TimerName; ms: number }
  | { kind: 'cancelTimer'; name: TimerName }
  | { kind: 'presence'; move: PresenceMove }
  | { kind: 'legEnded'; summary: LegSummary }
  | { kind: 'publish'; event: 'outbound.ringing' | 'outbound.answered'; leg: LegKind }
  | { kind: 'surveyAnswer'; satisfaction: SurveySatisfaction; digit: string }
  | { kind: 'finish'; result: AttemptResult };

export interface OutboundSettings {
  operatorRingMs: number;
  callerRingMs: number;
  /** How long the survey waits for a key after its question. */
  inputTimeoutMs: number;
}

export interface AttemptTransition {
  state: AttemptState;
  commands: AttemptCommand[];
}
