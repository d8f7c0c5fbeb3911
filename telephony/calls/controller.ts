import { randomUUID } from 'node:crypto';
import type { Logger } from '../../platform/logger.ts';
import type { AriEvent, ChannelInfo } from '../ari/types.ts';
import type { StoredCall } from '../records/adoption.ts';
import type { CourtClues } from '../courts/court-directory.ts';
import type { BusinessCalendar } from '../hours/calendar.ts';
import { FollowUps } from '../follow-ups.ts';
import { maskPhone } from '../../platform/masking.ts';
import { execute, type ExecutorDeps } from './executor.ts';
import type { CallSnapshot, CallStore } from './call-store.ts';
import type { LiveCall } from './live-call.ts';
import { newCall, step } from './machine.ts';
import { lostWithAsterisk } from './call-lost.ts';
import { isSupervisionChannel } from '../supervision/ids.ts';
import type { CallInput, CallInputBody, CallLost, LegKind, LegView, TransferOutcome } from './types.ts';

/** appArgs of channels originated into the app that are legs of a call, never new calls. */
const legArgs = new Set(['operator', 'transfer', 'outbound', 'supervisor', 'snoop']);

/** Q.850 cause of a transfer leg that ended before anyone answered → the leg's outcome. */
export function transferOutcomeOf(cause: number | undefined): Exclude<TransferOutcome, 'answered' | 'cancelled' | 'caller_left'> {
  if (cause === 17) return 'busy';
  if (cause === 18 || cause === 19) return 'no_answer';
  if (cause === 21) return 'rejected';
  return cause === 16 ? 'no_answer' : 'failed';
}

export interface ControllerDeps extends Omit<ExecutorDeps, 'submit' | 'followUp' | 'trackLeg' | 'release'> {
  calendar: BusinessCalendar;
  store: CallStore;
  /** The court of a call (courts/court-directory.ts); null when none serves the number it came in on. */
  courtFor(clues: CourtClues): string | null;
  logger: Logger;
}

/**
 * Routes ARI events to calls and runs each call's machine on its own serial queue: one call's inputs in
 * order, different calls in parallel, no global lock.
 */
export class CallController {
  private readonly calls = new Map<string, LiveCall>();
  /** Caller and leg channel ids → call id. */
  private readonly byChannel = new Map<string, string>();
  /** Leg channel ids (operator legs and transfer legs) → which kind. */
  private readonly legs = new Map<string, LegKind>();
  private readonly exec: ExecutorDeps;
  private accepting = true;
  /** Events held back while a reconcile matches ARI with the saved calls (replayed in order after it). */
  private held: AriEvent[] | undefined;
  /** Per call: outcomes of the step in progress, taken before its next queued input (followUp). */
  private readonly followUps = new FollowUps<CallInput>();

  constructor(private readonly d: ControllerDeps) {
    this.exec = {
      ...d,
      submit: (callId, input) => this.submit(callId, input),
      followUp: (callId, input) => this.followUp(callId, input),
      trackLeg: (channelId, callId, kind) => {
        const call = this.calls.get(callId);
        if (call) this.mapChannel(call, channelId);
        else this.byChannel.set(channelId, callId);
        this.legs.set(channelId, kind);
      },
      release: (call) => this.forget(call),
    };
  }

  /** Whether a court plays the recording notice before its menu (supervision/settings-cache.ts); none until told. */
  private recordingNotice: (courtId: string) => boolean = () => false;

  useRecordingNotice(lookup: (courtId: string) => boolean): void {
    this.recordingNotice = lookup;
  }

  get activeCalls(): number {
    return this.calls.size;
  }

  /** Stops taking new calls (shutdown); calls in hand go on. */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** Resolves when every call in hand has processed its queued inputs. */
  async idle(): Promise<void> {
    // Until no queue grew while waiting: a step in flight may add its own outcome (followUp) behind it.
    for (;;) {
      const chains = [...this.calls.values()].map((c) => c.chain);
      await Promise.all(chains);
      const now = [...this.calls.values()].map((c) => c.chain);
      if (now.length === chains.length && now.every((chain, i) => chain === chains[i])) return;
    }
  }

  handle(event: AriEvent): void {
    if (this.held) {
      this.held.push(event);
      return;
    }
    switch (event.type) {
      case 'StasisStart': {
        const leg = this.legs.get(event.channel.id);
        if (leg === 'operator') return this.toCall(event.channel.id, { type: 'operator_answered', channelId: event.channel.id });
        if (leg === 'transfer') return this.toCall(event.channel.id, { type: 'transfer_answered', channelId: event.channel.id });
        // Legs some other part originates into the app (their own args) are not new calls.
        if (event.args[0] !== undefined && legArgs.has(event.args[0])) return;
        if (this.byChannel.has(event.channel.id)) return;
        return this.arrive(event.channel);
      }
      case 'StasisEnd':
      case 'ChannelHangupRequest':
      case 'ChannelDestroyed':
        return this.gone(event.channel.id, event.type === 'ChannelDestroyed' ? event.causeText || `cause ${event.cause}` : event.type, event.type === 'StasisEnd' ? undefined : event.cause, lostWithAsterisk(event));
      case 'ChannelDtmfReceived':
        return this.toCall(event.channel.id, { type: 'digit', digit: event.digit });
      case 'ChannelHold':
      case 'ChannelUnhold':
        if (this.legs.has(event.channel.id)) return;
        return this.toCall(event.channel.id, { type: event.type === 'ChannelHold' ? 'hold' : 'unhold' });
      case 'PlaybackFinished': {
        const channelId = event.target.startsWith('channel:') ? event.target.slice('channel:'.length) : '';
        return this.toCall(channelId, { type: 'playback_finished', playbackId: event.playbackId });
      }
      case 'RecordingFinished': {
        const channelId = event.target.startsWith('channel:') ? event.target.slice('channel:'.length) : '';
        return this.toCall(channelId, { type: 'recording_finished', name: event.name, ...(event.durationSeconds === undefined ? {} : { durationSeconds: event.durationSeconds }) });
      }
      default:
        return;
    }
  }

  /** Holds events back until resumeEvents(): a reconcile is matching ARI's state with the saved calls. */
  holdEvents(): void {
    this.held ??= [];
  }

  resumeEvents(): void {
    const events = this.held ?? [];
    this.held = undefined;
    for (const event of events) this.handle(event);
  }

  holdsCall(callId: string): boolean {
    return this.calls.has(callId);
  }

  holdsChannel(channelId: string): boolean {
    return this.byChannel.has(channelId);
  }

  /**
   * After a websocket drop, for the calls still in memory: events missed meanwhile are lost for good (ARI
   * replays nothing), so a caller whose channel vanished hung up, and an operator leg that vanished is gone;
   * unless Asterisk restarted meanwhile (`lost`): then it dropped them, and the calls ended by the system.
   */
  resync(live: ChannelInfo[], lost?: CallLost): void {
    const present = new Set(live.map((c) => c.id));
    for (const [channelId] of this.byChannel) if (!present.has(channelId)) this.gone(channelId, 'vanished while ARI was disconnected', undefined, lost);
  }

  /** Takes over a live call saved by a controller that stopped or crashed. */
  adopt(snapshot: CallSnapshot, seen: { operatorUp: boolean; operatorAnswered: boolean; bridged: boolean; target?: LegView }): void {
    const call = this.install(snapshot);
    call.log.info({ phase: snapshot.state.phase }, 'call taken over from an earlier controller');
    if (!call.state.courtId && call.state.phase !== 'closing') {
      // Still no court serves its number: no queue could serve it, so it ends as a new call with no court would.
      call.log.warn('call taken over with no court serving its number: ended by the system');
      this.submit(snapshot.state.callId, { type: 'failure', reason: 'no_court', at: Date.now() });
      return;
    }
    this.submit(snapshot.state.callId, { type: 'adopted', ...seen, at: Date.now() });
  }

  /** Closes a saved call whose caller hung up while no controller was connected (or whose Asterisk restarted: `lost`). */
  closeVanished(snapshot: CallSnapshot, lost?: CallLost): void {
    const call = this.install(snapshot);
    call.log.info({ phase: snapshot.state.phase, lost }, 'call ended while no controller was connected');
    this.submit(snapshot.state.callId, lost ? { type: 'caller_lost', reason: lost, at: Date.now() } : { type: 'caller_hangup', at: Date.now() });
  }

  /** Takes over a live caller known only from its open call row (its saved state was lost): to the queue. */
  adoptRow(row: StoredCall): void {
    const state = { ...newCall({ callId: row.id, channelId: row.channelId, courtId: row.courtId, callerNumber: row.callerNumber }), inHours: this.d.calendar.isOpen(row.courtId, new Date(row.arrivedAt)) };
    this.adopt({ state, arrivedAt: row.arrivedAt, dialled: row.dialled, eventSeq: row.lastSeq }, { operatorUp: false, operatorAnswered: false, bridged: false });
  }

  /** Stops handling calls without ending them (shutdown): they stay saved in Redis for the next controller. */
  detach(): void {
    this.accepting = false;
    for (const call of this.calls.values()) {
      for (const timer of call.timers.values()) clearTimeout(timer);
      this.d.dispatcher.remove(call.state.callId);
    }
    this.calls.clear();
    this.byChannel.clear();
    this.legs.clear();
  }

  private install(snapshot: CallSnapshot): LiveCall {
    // A call saved with no court (it came in before its court or number was known) gets one now if it can:
    // otherwise it would wait in a queue no operator serves. One already told it is not in service stays with none.
    const courtId = snapshot.state.courtId ?? (snapshot.state.phase === 'closing' ? null : this.d.courtFor({ dialled: snapshot.dialled }));
    const s = courtId === snapshot.state.courtId ? snapshot.state : { ...snapshot.state, courtId };
    const call: LiveCall = {
      state: s,
      arrivedAt: snapshot.arrivedAt,
      dialled: snapshot.dialled,
      chain: Promise.resolve(),
      timers: new Map(),
      channels: [],
      eventSeq: snapshot.eventSeq,
      takenOver: true,
      log: this.d.logger.child({ channelId: s.channelId, callId: s.callId, caller: maskPhone(s.callerNumber) }),
    };
    this.calls.set(s.callId, call);
    this.mapChannel(call, s.channelId);
    if (s !== snapshot.state) call.log.info({ courtId }, 'call taken over without a court: given the court of its number');
    if (s.operator && !s.operatorLeft) this.exec.trackLeg(s.operator.channelId, s.callId, 'operator');
    if (s.transfer) this.exec.trackLeg(s.transfer.channelId, s.callId, 'transfer');
    return call;
  }

  /** A caller in the app that no saved call or row knows: a new call. */
  arriveLate(channel: ChannelInfo): void {
    if (channel.id.startsWith('ob-') || isSupervisionChannel(channel.id)) return;
    this.arrive(channel);
  }

  private arrive(channel: ChannelInfo): void {
    if (!this.accepting) {
      this.d.logger.warn({ channelId: channel.id }, 'shutting down: call not taken');
      return;
    }
    const callId = randomUUID();
    const at = Date.now();
    const courtId = this.d.courtFor(channel);
    this.d.journal.append({ kind: 'call_started', id: callId, courtId, channelId: channel.id, callerNumber: channel.callerNumber, dialled: channel.dialled, arrivedAt: at });
    this.d.journal.append({ kind: 'call_event', id: randomUUID(), callId, courtId, at, seq: 1, event: 'arrived', operatorId: null, data: { channelName: channel.name } });
    const call: LiveCall = {
      state: newCall({ callId, channelId: channel.id, courtId, callerNumber: channel.callerNumber }),
      arrivedAt: at,
      dialled: channel.dialled,
      chain: Promise.resolve(),
      timers: new Map(),
      channels: [],
      eventSeq: 1,
      log: this.d.logger.child({ channelId: channel.id, callId, caller: maskPhone(channel.callerNumber) }),
    };
    this.calls.set(callId, call);
    this.mapChannel(call, channel.id);
    call.log.info({ courtId }, 'call arrived');
    this.submit(callId, { type: 'arrived', inHours: this.d.calendar.isOpen(courtId, new Date(at)), recordingNotice: courtId ? this.recordingNotice(courtId) : false, at });
  }

  private gone(channelId: string, reason: string, cause?: number, lost?: CallLost): void {
    // Asterisk itself is going away: the whole call ends, by the system, whichever of its channels tells first.
    if (lost) return this.toCall(channelId, { type: 'caller_lost', reason: lost });
    const leg = this.legs.get(channelId);
    if (leg === 'operator') return this.toCall(channelId, { type: 'operator_gone', channelId, reason });
    if (leg === 'transfer') return this.toCall(channelId, { type: 'transfer_gone', channelId, reason, outcome: transferOutcomeOf(cause) });
    this.toCall(channelId, { type: 'caller_hangup' });
  }

  private toCall(channelId: string, input: CallInputBody): void {
    const callId = this.byChannel.get(channelId);
    if (callId) this.submit(callId, { ...input, at: Date.now() } as CallInput);
  }

  submit(callId: string, input: CallInput): void {
    const call = this.calls.get(callId);
    if (!call) return;
    call.chain = call.chain.then(() => this.process(call, input));
  }

  /** Taken before whatever the call's queue holds (ExecutorDeps.followUp). */
  private followUp(callId: string, input: CallInput): void {
    const call = this.calls.get(callId);
    if (!call) return;
    this.followUps.add(callId, input);
    call.chain = call.chain.then(() => this.takeFollowUps(call));
  }

  private takeFollowUps(call: LiveCall): Promise<void> {
    return this.followUps.take(call.state.callId, (input) => this.step(call, input));
  }

  private async process(call: LiveCall, input: CallInput): Promise<void> {
    await this.takeFollowUps(call);
    await this.step(call, input);
  }

  private async step(call: LiveCall, input: CallInput): Promise<void> {
    if (!this.calls.has(call.state.callId) || call.state.phase === 'ended') {
      // The dispatcher claimed an operator for this call just as it ended (its hangup was queued first):
      // the claim made them ringing in Redis, so give them back or they stay ringing for a call that is gone.
      if (input.type === 'operator_assigned') await execute(this.exec, call, { kind: 'releaseOperator', userId: input.userId });
      return;
    }
    try {
      const t = step(call.state, input, this.d.settings);
      call.state = t.state;
      for (const command of t.commands) await execute(this.exec, call, command);
      if (this.calls.has(call.state.callId)) this.d.store.save({ state: call.state, arrivedAt: call.arrivedAt, dialled: call.dialled, eventSeq: call.eventSeq });
    } catch (err) {
      call.log.error({ err, input: input.type }, 'call step failed');
    }
  }

  /** Routes a channel's events to the call, and remembers it with the call so forget() unmaps it. */
  private mapChannel(call: LiveCall, channelId: string): void {
    this.byChannel.set(channelId, call.state.callId);
    call.channels.push(channelId);
  }

  private forget(call: LiveCall): void {
    for (const timer of call.timers.values()) clearTimeout(timer);
    call.timers.clear();
    this.calls.delete(call.state.callId);
    this.followUps.forget(call.state.callId);
    this.d.store.remove(call.state.callId);
    this.d.dispatcher.remove(call.state.callId);
    for (const channelId of call.channels) {
      // A channel id maps to one call; only unmap it while it still maps to this one.
      if (this.byChannel.get(channelId) !== call.state.callId) continue;
      this.byChannel.delete(channelId);
      this.legs.delete(channelId);
    }
  }

  /** Assigns a claimed operator to a waiting call; if the call is gone meanwhile, the caller of this gets false. */
  assign(callId: string, operator: { userId: string; endpoint: string }): boolean {
    if (!this.calls.has(callId)) return false;
    this.submit(callId, { type: 'operator_assigned', ...operator, at: Date.now() });
    return true;
  }
}
