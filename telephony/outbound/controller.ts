import { FollowUps } from '../follow-ups.ts';
import { publishEvent } from '../realtime-events.ts';
import type { Logger } from '../../platform/logger.ts';
import { maskPhone } from '../../platform/masking.ts';
import { withTimeout } from '../../platform/timeout.ts';
import type { LiveState } from '../acd/live-state.ts';
import { AriUnavailable } from '../ari/errors.ts';
import type { AriEvent, BridgeInfo } from '../ari/types.ts';
import type { BusinessCalendar } from '../hours/calendar.ts';
import type { AttemptStore, SavedAttempt } from './attempt-store.ts';
import { executeOutbound, type LiveAttempt, type OutboundExecutorDeps } from './executor.ts';
import { newAttempt, outboundIds, step } from './machine.ts';
import { firstOpenAt, nextAttemptAt, type RetryPolicy } from './policy.ts';
import { untilQueued } from './until-queued.ts';
import type { AttemptInput, AttemptInputBody, AttemptResult, LegKind, OutboundRequest, OutboundSettings, OutboundStatus } from './types.ts';

export interface OutboundControllerDeps extends Omit<OutboundExecutorDeps, 'submit' | 'followUp' | 'trackLeg' | 'finish'> {
  live: LiveState;
  store: AttemptStore;
  calendar: BusinessCalendar;
  settings: OutboundSettings;
  policy: RetryPolicy;
  logger: Logger;
  now?: () => number;
}

/** Results after which the caller is tried again (while attempts are left). */
const retried: readonly AttemptResult[] = ['caller_not_reached', 'operator_unavailable'];

function finalStatus(result: AttemptResult): OutboundStatus {
  if (result === 'connected' || result === 'surveyed' || result === 'no_response') return 'completed';
  return result === 'caller_not_reached' ? 'unreachable' : 'failed';
}

/**
 * Runs outbound attempts: started by the scheduler's jobs, fed by the ARI events of `ob-` channels (the inbound
 * controller leaves those alone), each attempt's machine on its own serial queue. Its end decides, by the retry
 * policy, whether another attempt is scheduled.
 */
export class OutboundController {
  private readonly attempts = new Map<string, LiveAttempt>();
  /** Per attempt: outcomes of the step in progress, taken before its next queued input (followUp). */
  private readonly followUps = new FollowUps<AttemptInput>();
  private readonly byChannel = new Map<string, { id: string; leg: LegKind }>();
  private readonly exec: OutboundExecutorDeps;
  private readonly now: () => number;
  private reconciling: Promise<void> = Promise.resolve();
  /** Saved attempts this controller already settled (their removal from Redis may still be on its way). */
  private readonly settled = new Set<string>();
  /** Bumped by detach(): steps still running for an earlier generation write nothing (the node's next holder owns them). */
  private generation = 0;

  constructor(private readonly d: OutboundControllerDeps) {
    this.now = d.now ?? Date.now;
    this.exec = {
      ...d,
      submit: (id, input) => this.submit(id, input),
      followUp: (attempt, input) => this.followUp(attempt, input),
      trackLeg: (channelId, id, leg) => this.byChannel.set(channelId, { id, leg }),
      finish: (attempt, result) => this.finish(attempt, result),
    };
  }

  get active(): number {
    return this.attempts.size;
  }

  /** The queue of attempts and survey answers (for tests and the admins' queue board). */
  get queue() {
    return this.d.scheduler.queue;
  }

  holds(id: string): boolean {
    return this.attempts.has(id);
  }

  handle(event: AriEvent): void {
    switch (event.type) {
      case 'StasisStart':
        if (event.args[0] === 'outbound') this.toLeg(event.channel.id, (leg) => ({ type: 'answered', leg }));
        return;
      case 'ChannelDestroyed':
        return this.toLeg(event.channel.id, (leg) => ({ type: 'leg_gone', leg, cause: event.cause, reason: event.causeText || `cause ${event.cause}` }));
      case 'ChannelDtmfReceived':
        return this.toLeg(event.channel.id, (leg) => (leg === 'caller' ? { type: 'digit', digit: event.digit } : null));
      case 'PlaybackFinished':
        if (event.target.startsWith('channel:')) this.toLeg(event.target.slice('channel:'.length), () => ({ type: 'playback_finished', playbackId: event.playbackId }));
        return;
      default:
        return;
    }
  }

  /** The scheduler's job: starts attempt `attempt` of a request now, or says when business hours allow it. */
  async startAttempt(request: OutboundRequest, attempt: number): Promise<{ postponeUntil?: number }> {
    const log = this.d.logger.child({ outboundId: request.id, attempt, caller: maskPhone(request.number) });
    if (this.attempts.has(request.id)) {
      log.warn('an attempt of this request is already running: job ignored');
      return {};
    }
    if (!this.d.ari.connected) throw new AriUnavailable('outbound attempt: ARI is not connected');
    const at = this.now();
    if (!this.d.calendar.isOpen(request.courtId, new Date(at))) {
      const opens = firstOpenAt(at, (t) => this.d.calendar.isOpen(request.courtId, t));
      if (opens !== null) {
        log.info({ at: new Date(opens).toISOString() }, 'outside business hours: attempt moved to the next opening');
        this.status(request, { status: 'scheduled', attempts: attempt - 1, nextAttemptAt: opens, result: null, detail: 'waiting for business hours' });
        return { postponeUntil: opens };
      }
    }
    const a: LiveAttempt = { state: newAttempt({ id: request.id, attempt, mode: request.mode }), request, chain: Promise.resolve(), timers: new Map(), log, generation: this.generation };
    this.attempts.set(request.id, a);
    this.status(request, { status: 'dialling', attempts: attempt, nextAttemptAt: null, result: null, detail: null });
    const claimed = request.mode === 'operator' ? await this.claimOperator(request) : true;
    await this.unlessDetached(a, claimed);
    if (!claimed) {
      log.info('operator not free for their callback');
      await this.finish(a, 'operator_unavailable');
      return {};
    }
    log.info({ mode: request.mode, purpose: request.purpose }, 'outbound attempt started');
    // Saved before its job completes: a crash before the first step still leaves it for the next controller.
    await withTimeout(this.d.store.save({ state: a.state, request }), 2000).catch((err: Error) => log.warn({ err: err.message }, 'could not save the attempt in Redis'));
    if (!this.mine(a)) await this.d.store.remove(request.id).catch(() => undefined);
    await this.unlessDetached(a, claimed);
    this.submit(request.id, { type: 'start', at });
    return {};
  }

  /** The attempt is still this controller's: not detached (node lost) since it started or was taken over. */
  private mine(a: LiveAttempt): boolean {
    return a.generation === this.generation && this.attempts.get(a.state.id) === a;
  }

  /**
   * Detached (node lost) while the attempt was starting: nothing dialled yet, so the operator is given back and the
   * job fails (AriUnavailable) to be retried by the queue, on a node someone holds.
   */
  private async unlessDetached(a: LiveAttempt, claimed: boolean): Promise<void> {
    if (this.mine(a)) return;
    if (a.request.mode === 'operator' && claimed) await executeOutbound(this.exec, a, { kind: 'presence', move: 'released' });
    a.log.warn('node let go while the attempt was starting: left to the queue to retry');
    throw new AriUnavailable('outbound attempt: node let go while starting');
  }

  /** The operator's softphone will ring for this callback: ringing in presence, so the queue does not offer them a call. */
  private async claimOperator(request: OutboundRequest): Promise<boolean> {
    const userId = request.requestedBy.userId;
    const op = await withTimeout(this.d.live.operator(userId), 2000).catch(() => null);
    // Someone who never joined the queue (a manager) has no presence to keep.
    if (!op) return true;
    return withTimeout(this.d.presence.change(userId, 'system:outbound', 'ringing', { callId: request.id }), 2000).catch(() => false);
  }

  submit(id: string, input: AttemptInput): void {
    const a = this.attempts.get(id);
    if (!a) return;
    a.chain = a.chain.then(() => this.process(a, input));
  }

  /** Taken before whatever the attempt's queue holds (OutboundExecutorDeps.followUp); only for the attempt in hand. */
  private followUp(a: LiveAttempt, input: AttemptInput): void {
    // An attempt of an earlier tenure of the node (detached, perhaps taken over again since) is not the one in hand.
    if (this.attempts.get(a.state.id) !== a || !this.mine(a)) return;
    this.followUps.add(a.state.id, input);
    a.chain = a.chain.then(() => this.takeFollowUps(a));
  }

  private takeFollowUps(a: LiveAttempt): Promise<void> {
    return this.followUps.take(a.state.id, (input) => this.step(a, input));
  }

  private toLeg(channelId: string, input: (leg: LegKind) => AttemptInputBody | null): void {
    const found = this.byChannel.get(channelId);
    if (!found) return;
    const body = input(found.leg);
    if (!body) return;
    this.submit(found.id, { ...body, at: this.now() });
  }

  private async process(a: LiveAttempt, input: AttemptInput): Promise<void> {
    await this.takeFollowUps(a);
    await this.step(a, input);
  }

  private async step(a: LiveAttempt, input: AttemptInput): Promise<void> {
    if (a.state.phase === 'ended' || !this.mine(a)) return;
    try {
      const t = step(a.state, input, this.d.settings);
      a.state = t.state;
      // A command may finish (forget) the attempt, and the ones after it still run; a detach stops them all.
      for (const command of t.commands) {
        if (a.generation !== this.generation) return;
        await executeOutbound(this.exec, a, command);
      }
      if (this.mine(a)) await this.d.store.save({ state: a.state, request: a.request }).catch((err: Error) => a.log.warn({ err: err.message }, 'could not save the attempt in Redis'));
    } catch (err) {
      a.log.error({ err, input: input.type }, 'outbound step failed');
    }
  }

  /** The attempt is over: forget it, then record the request's new status and schedule a retry when the policy allows. */
  private async finish(a: LiveAttempt, result: AttemptResult, detail: string | null = null): Promise<void> {
    // Detached meanwhile: the node's next holder settles it from the saved list; nothing is removed, logged or retried here.
    if (a.generation !== this.generation) return;
    this.forget(a);
    const r = a.request;
    const at = this.now();
    const policy = r.attempts ? { ...this.d.policy, attempts: Math.min(r.attempts, this.d.policy.attempts) } : this.d.policy;
    const next = retried.includes(result) ? nextAttemptAt(policy, a.state.attempt, at, (t) => this.d.calendar.isOpen(r.courtId, t)) : null;
    const status: OutboundStatus = next !== null ? 'scheduled' : finalStatus(result);
    this.status(r, { status, attempts: a.state.attempt, nextAttemptAt: next, result, satisfaction: a.state.satisfaction ?? null, detail });
    a.log.info({ result, status, next: next === null ? null : new Date(next).toISOString() }, 'outbound attempt ended');
    if (next !== null) void untilQueued(a.log, 'the retry', () => this.d.scheduler.scheduleAttempt(r, a.state.attempt + 1, next));
    // A relay call of a ticket is over: its recorded result decides delivered or failed (relay-report.ts).
    if (next === null && r.purpose === 'relay' && r.ticketId) void untilQueued(a.log, 'the relay result', () => this.d.scheduler.reportRelay(r.id));
    void publishEvent(this.d.events, {
      type: 'outbound.ended',
      courtId: r.courtId,
      audience: { userIds: [r.requestedBy.userId] },
      data: {
        outboundId: r.id,
        attempt: a.state.attempt,
        operatorId: r.requestedBy.userId,
        result,
        status,
        nextAttemptAt: next === null ? null : new Date(next).toISOString(),
        satisfaction: a.state.satisfaction ?? null,
        endedAt: new Date(at).toISOString(),
      },
    }).catch(() => undefined);
  }

  private status(r: OutboundRequest, s: { status: OutboundStatus; attempts: number; nextAttemptAt: number | null; result: AttemptResult | null; satisfaction?: string | null; detail: string | null }): void {
    this.d.journal.append({ kind: 'outbound_status', outboundId: r.id, at: this.now(), satisfaction: null, ...s });
  }

  private forget(a: LiveAttempt): void {
    if (a.generation !== this.generation) return;
    for (const timer of a.timers.values()) clearTimeout(timer);
    a.timers.clear();
    this.attempts.delete(a.state.id);
    this.followUps.forget(a.state.id);
    for (const [channelId, found] of this.byChannel) if (found.id === a.state.id) this.byChannel.delete(channelId);
    void this.d.store.remove(a.state.id).catch((err: Error) => a.log.warn({ err: err.message }, 'could not remove the attempt from Redis'));
  }

  /**
   * On every (re)connect. Attempts in hand whose channels vanished meanwhile end now. Attempts saved by a
   * controller that stopped: a bridged conversation still up is taken over; anything else is hung up and
   * ended (a caller not reached yet is tried again by the policy). Outbound channels and bridges that belong
   * to no attempt are hung up and destroyed.
   */
  reconcile(): Promise<void> {
    // One at a time: two quick reconnects must not both take over the same saved attempt.
    const run = this.reconciling.then(() => this.reconcileOnce());
    this.reconciling = run.catch(() => undefined);
    return run;
  }

  private async reconcileOnce(): Promise<void> {
    const generation = this.generation;
    const [channels, bridges, saved] = await Promise.all([this.d.ari.listChannels(), this.d.ari.listBridges(), withTimeout(this.d.store.list(), 3000)]);
    // Detached meanwhile: the node's next holder reconciles it.
    if (generation !== this.generation) return;
    const present = new Map(channels.map((c) => [c.id, c]));
    for (const [channelId, found] of this.byChannel) {
      if (!present.has(channelId)) this.submit(found.id, { type: 'leg_gone', leg: found.leg, cause: null, reason: 'vanished while ARI was disconnected', at: this.now() });
    }
    const keep = new Set<string>();
    for (const s of saved) {
      if (generation !== this.generation) return;
      if (!this.attempts.has(s.state.id) && !this.settled.has(s.state.id)) await this.takeOver(s, present, bridges, keep);
    }
    for (const a of this.attempts.values()) if (a.state.bridgeId) keep.add(a.state.bridgeId);
    for (const c of channels) if (c.id.startsWith(outboundIds.prefix) && !keep.has(c.id) && !this.byChannel.has(c.id)) await this.quietly({ kind: 'hangup', channelId: c.id });
    for (const b of bridges) if (b.id.startsWith(outboundIds.prefix) && !keep.has(b.id)) await this.quietly({ kind: 'destroyBridge', bridgeId: b.id });
  }

  private async takeOver(saved: SavedAttempt, present: Map<string, { state: string }>, bridges: BridgeInfo[], keep: Set<string>): Promise<void> {
    const saw = saved.state;
    // Found in their bridge now: connected, even if the word of it was lost with the controller that bridged them.
    const bridge = saw.bridgeId ? bridges.find((b) => b.id === saw.bridgeId) : undefined;
    const joined = saw.operator && saw.caller && bridge && [saw.operator.channelId, saw.caller.channelId].every((id) => bridge.channelIds.includes(id));
    const s = joined && saw.bridging ? { ...saw, bridging: undefined } : saw;
    const log = this.d.logger.child({ outboundId: s.id, attempt: s.attempt, caller: maskPhone(saved.request.number) });
    const a: LiveAttempt = { state: s, request: saved.request, chain: Promise.resolve(), timers: new Map(), log, generation: this.generation };
    const opUp = s.operator && present.has(s.operator.channelId);
    const callerUp = s.caller && present.has(s.caller.channelId);
    if (s.phase === 'connected' && opUp && callerUp && !s.bridging) {
      this.attempts.set(s.id, a);
      this.byChannel.set(s.operator!.channelId, { id: s.id, leg: 'operator' });
      this.byChannel.set(s.caller!.channelId, { id: s.id, leg: 'caller' });
      log.info('bridged callback taken over from an earlier controller');
      keep.add(s.operator!.channelId).add(s.caller!.channelId);
      if (s.bridgeId) keep.add(s.bridgeId);
      return;
    }
    // Ended here, not through the machine: the hangups below must not feed it a second end.
    a.state = { ...s, phase: 'ended' };
    this.settled.add(s.id);
    log.info({ phase: s.phase }, 'callback interrupted by a controller restart: ended');
    const at = this.now();
    const legs: Array<[LegKind, NonNullable<typeof s.operator>]> = [];
    if (s.operator) legs.push(['operator', s.operator]);
    if (s.caller) legs.push(['caller', s.caller]);
    for (const [leg, l] of legs) {
      if (a.generation !== this.generation) return;
      if (present.has(l.channelId)) await this.quietly({ kind: 'hangup', channelId: l.channelId });
      await executeOutbound(this.exec, a, {
        kind: 'legEnded',
        summary: { leg, channelId: l.channelId, outcome: l.answeredAt ? 'answered' : 'failed', startedAt: l.startedAt, answeredAt: l.answeredAt ?? null, endedAt: at, detail: 'interrupted by a controller restart' },
      });
    }
    if (s.bridgeId) await this.quietly({ kind: 'destroyBridge', bridgeId: s.bridgeId });
    if (a.generation !== this.generation) return;
    if (s.operator) await executeOutbound(this.exec, a, { kind: 'presence', move: s.bridging ? 'not_bridged' : s.operator.answeredAt ? 'wrap_up' : 'released' });
    // An operator callback is connected only if its two were found in their bridge.
    const spoke: AttemptResult = s.bridging ? 'failed' : 'connected';
    const result: AttemptResult = s.caller?.answeredAt ? (s.mode === 'operator' ? spoke : s.satisfaction ? 'surveyed' : 'no_response') : 'caller_not_reached';
    await this.finish(a, result, 'interrupted by a controller restart');
  }

  private async quietly(command: { kind: 'hangup'; channelId: string } | { kind: 'destroyBridge'; bridgeId: string }): Promise<void> {
    await this.d.ari.execute(command).catch((err: Error) => this.d.logger.debug({ err: err.message, command }, 'outbound reconcile command failed'));
  }

  /** Resolves when every attempt in hand has processed its queued inputs. */
  async idle(): Promise<void> {
    await Promise.all([...this.attempts.values()].map((a) => a.chain));
  }

  /** Stops handling attempts without ending them (shutdown): saved in Redis, the next controller settles them. */
  detach(): void {
    this.generation++;
    for (const a of this.attempts.values()) for (const timer of a.timers.values()) clearTimeout(timer);
    this.attempts.clear();
    this.followUps.clear();
    this.byChannel.clear();
  }
}
