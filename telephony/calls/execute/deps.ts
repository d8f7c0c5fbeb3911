import type { EventBus } from '../../../platform/events.ts';
import type { Dispatcher } from '../../acd/dispatcher.ts';
import type { LiveState } from '../../acd/live-state.ts';
import type { AriAdapter } from '../../ari/adapter.ts';
import type { CaseLookup } from '../../cases/lookup.ts';
import type { Presence } from '../../presence/presence.ts';
import type { CallJournal } from '../../records/journal.ts';
import type { RecordingHooks } from '../../recordings/hooks.ts';
import type { CallerHistoryEntry } from '../../realtime-events.ts';
import type { TicketIntake } from '../../ticket-intake.ts';
import type { PromptMedia } from '../../prompts/court-prompts.ts';
import type { LiveCall } from '../live-call.ts';
import type { TagDeps } from '../tagging.ts';
import type { CallCommand, CallInput, LegKind, MachineSettings } from '../types.ts';

/** Everything the executor's parts touch; each part takes only the fields it needs (a `Pick` of these). */
export interface ExecutorDeps {
  ari: AriAdapter;
  live: LiveState;
  dispatcher: Dispatcher;
  presence: Presence;
  journal: CallJournal;
  events: EventBus;
  intake: TicketIntake;
  settings: MachineSettings;
  soundsDir: string;
  /** Each court's own prompts (prompts/court-prompts.ts); absent: the shipped ones from `soundsDir`. */
  prompts?: PromptMedia;
  callerHistory(callerNumber: string, courtId: string | null): Promise<CallerHistoryEntry[]>;
  /** Feeds an input back into the call's own queue (timers, failed originates). */
  submit(callId: string, input: CallInput): void;
  /**
   * The outcome of a command of the step in progress (a bridge joined or not): taken right after that step, before
   * any input that arrived meanwhile (a hangup heard while the bridge request was out must not overtake it).
   */
  followUp(callId: string, input: CallInput): void;
  /** Routes a leg's events (operator or transfer target) to its call. */
  trackLeg(channelId: string, callId: string, kind: LegKind): void;
  /** Menu option 1: the case directory (keyed digits → the handling judge). */
  cases: CaseLookup;
  /** Forgets a finished call. */
  release(call: LiveCall): void;
  /** Recordings: told when a call closes, to fetch its recording from Asterisk. */
  recordings?: RecordingHooks;
  /** Counts caller channels left untagged after every retry (tagging.ts `channelTagFailures`). */
  tagFailures?: TagDeps['tagFailures'];
  /** How a failed channel tag is retried (default: tagging.ts `defaultTagRetry`). */
  tagRetry?: TagDeps['tagRetry'];
}

export type CallCommandKind = CallCommand['kind'];
export type CommandOf<Kind extends CallCommandKind> = Extract<CallCommand, { kind: Kind }>;

/** Carries out one kind of command for a call. */
export type CommandHandler<Kind extends CallCommandKind> = (d: ExecutorDeps, call: LiveCall, command: CommandOf<Kind>) => void | Promise<void>;
