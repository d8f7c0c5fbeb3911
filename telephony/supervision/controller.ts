import type { Logger } from '../../platform/logger.ts';
import type { EventBus } from '../../platform/events.ts';
import type { AriAdapter } from '../ari/adapter.ts';
import type { AriCommand, AriEvent } from '../ari/types.ts';
import type { CallStore } from '../calls/call-store.ts';
import type { CallController } from '../calls/controller.ts';
import { channelVars } from '../ari/types.ts';
import { publishEvent } from '../realtime-events.ts';
import { supervisorLegId } from './ids.ts';
import { attach, detach, teardown } from './plan.ts';
import type { Session, SupervisionMode, SupervisionRequest } from './types.ts';
import type { SupervisionViews } from './view-store.ts';

export interface SupervisionDeps {
  ari: Pick<AriAdapter, 'execute'>;
  calls: Pick<CallController, 'holdsCall' | 'submit'>;
  store: Pick<CallStore, 'get'>;
  views: SupervisionViews;
  events: EventBus;
  /** Whether the court shows its operators that a supervisor listens (court_call_settings.supervision_notice). */
  showsOperator(courtId: string): Promise<boolean>;
  logger: Logger;
  /** How long the supervisor's phone rings. */
  ringSeconds: number;
  /**
   * Requests reach this controller alone: its node's own channel, held under the node's lease (nodes.ts). Then a
   * start or switch for a call it does not drive is refused to the supervisor (`not_held`). On the one shared channel
   * (one Asterisk, where several controllers may each drive their own ARI app) another controller may drive the call,
   * so one that does not stays silent.
   */
  soleReceiver?: boolean;
}

type Status = 'ringing' | 'started' | 'switched' | 'stopped';

/** Why a start or switch was not carried out (the supervisor is told, with `stopped`). */
type Refusal = 'not_held' | 'call_not_connected' | 'call_ended' | 'no_session' | 'already_supervised';
type StartOrSwitch = Exclude<SupervisionRequest, { action: 'stop' }>;

/**
 * Supervision in the controller process that holds the call: the supervisor's leg rings their phone, and once
 * answered is put in a mode (plan.ts); a switch moves the same leg; leaving hangs up only the supervision's own
 * channels. It ends by itself when the caller or the operator leaves the call, and when the supervisor hangs up.
 * Work is serialised per call; every start, switch and stop goes into the call's own events (in its order) and to
 * the consoles as `call.supervision`. A start or switch that cannot be carried out is never dropped silently: the
 * supervisor alone is sent `stopped` with the reason (refuse()).
 */
export class SupervisionController {
  private readonly sessions = new Map<string, Session>();
  private readonly chains = new Map<string, Promise<void>>();
  /** Bumped by drop(): steps queued or running from before write nothing (views, events, notes, sessions). */
  private epoch = 0;

  constructor(private readonly d: SupervisionDeps) {}

  /** The supervision this process holds for a call (tests, reconnect). */
  session(callId: string): Session | undefined {
    return this.sessions.get(callId);
  }

  holds(channelOrBridgeId: string): boolean {
    for (const s of this.sessions.values()) {
      if ([s.legId, s.snoop?.channelId, s.snoop?.bridgeId].includes(channelOrBridgeId)) return true;
    }
    return false;
  }

  /** Resolves once the request is carried out (tests). */
  request(r: SupervisionRequest): Promise<void> {
    if (!this.d.calls.holdsCall(r.callId)) {
      // The node is held but the call is not (yet) this controller's (it is moving between controllers or nodes): the
      // API already answered 202, so the supervisor is told rather than left waiting for a phone that never rings.
      if (r.action !== 'stop' && this.d.soleReceiver) return this.refuse(r, 'not_held');
      this.d.logger.debug({ callId: r.callId, action: r.action }, 'supervision request for a call this controller does not drive: left to the one that does');
      return Promise.resolve();
    }
    // Let go of the node before its turn came: the request is someone else's to carry out now, and it never reached them.
    return this.serial(r.callId, () => this.apply(r), r.action === 'stop' ? undefined : () => this.refuse(r, 'not_held'));
  }

  /**
   * ARI events, seen before the calls' controller sees them (plugin.ts registers this handler first): a caller or
   * operator leaving ends the supervision at once, so its stop is logged before the call's hangup closes the call.
   */
  handle(event: AriEvent): void {
    if (event.type !== 'StasisStart' && event.type !== 'StasisEnd' && event.type !== 'ChannelDestroyed' && event.type !== 'ChannelHangupRequest') return;
    const channelId = event.channel.id;
    for (const s of [...this.sessions.values()]) {
      if (channelId === s.legId) {
        if (event.type === 'StasisStart') this.serial(s.callId, () => this.legAnswered(s.callId));
        else if (event.type !== 'ChannelHangupRequest') this.serial(s.callId, () => this.end(s.callId, s.legUp ? 'supervisor_hung_up' : 'no_answer', false));
      } else if (event.type !== 'StasisStart' && (channelId === s.callerChannelId || channelId === s.operatorChannelId)) {
        // The call is ending (or the operator left it): the supervision goes with it.
        const ended = this.close(s.callId, channelId === s.callerChannelId ? 'call_ended' : 'operator_left');
        if (ended) this.serial(s.callId, () => this.tearDown(ended, true));
      }
    }
  }

  /** After a websocket drop: a supervision whose leg or watched channel vanished meanwhile ends (its events are lost). */
  resync(present: Set<string>): void {
    for (const s of this.sessions.values()) {
      if (!present.has(s.legId)) this.serial(s.callId, () => this.end(s.callId, s.legUp ? 'supervisor_hung_up' : 'no_answer', false));
      else if (!present.has(s.callerChannelId) || !present.has(s.operatorChannelId)) this.serial(s.callId, () => this.end(s.callId, 'call_ended', true));
    }
  }

  /** Logs the stop of a supervision a stopped or killed controller left behind, once this one holds the call. */
  noteLeftBehind(view: { callId: string; supervisorId: string; mode: SupervisionMode }, reason: string): boolean {
    if (!this.d.calls.holdsCall(view.callId) || this.sessions.has(view.callId)) return false;
    this.d.calls.submit(view.callId, { type: 'supervision_note', event: 'supervision_stopped', data: { supervisorId: view.supervisorId, mode: view.mode, reason }, at: Date.now() });
    return true;
  }

  /** Graceful stop: supervisions end (their channels hung up) rather than be left to a restart's clean-up. */
  async stopAll(reason: string): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((callId) => this.serial(callId, () => this.end(callId, reason, true))));
  }

  /**
   * The node was let go (lease lost or handed over): its supervisions are forgotten without a command, since the
   * adapter is suspended; the node's new holder hangs their channels up and logs their stop (reconnect.ts).
   */
  drop(): void {
    this.epoch++;
    // The chains stay: if this process takes the node back, a call's new steps still wait for its old ones.
    this.sessions.clear();
  }

  /** The session was made in this tenure of the node (not before a drop). */
  private current(s: Session): boolean {
    return s.epoch === this.epoch;
  }

  /** `skipped` runs instead of `work` when the node was let go (drop) before the work's turn came. */
  private serial(callId: string, work: () => Promise<void>, skipped?: () => Promise<void>): Promise<void> {
    const epoch = this.epoch;
    const next = (this.chains.get(callId) ?? Promise.resolve()).then(() => (epoch === this.epoch ? work() : skipped?.())).catch((err: Error) => this.d.logger.error({ err, callId }, 'supervision step failed'));
    this.chains.set(callId, next);
    void next.then(() => {
      if (this.chains.get(callId) === next) this.chains.delete(callId);
    });
    return next;
  }

  private async apply(r: SupervisionRequest): Promise<void> {
    const current = this.sessions.get(r.callId);
    if (r.action === 'stop') {
      if (current && current.supervisorId === r.supervisorId) await this.end(r.callId, r.by === r.supervisorId ? 'left' : 'stopped_by_manager', true);
      return;
    }
    if (r.action === 'switch') {
      if (!current || current.supervisorId !== r.supervisorId) return this.refuse(r, 'no_session');
      if (current.mode === r.mode) return;
      if (!current.legUp) {
        // Still ringing: it joins in the new mode when answered.
        this.sessions.set(r.callId, { ...current, mode: r.mode });
        await this.publishView(this.sessions.get(r.callId)!, 'ringing');
        return;
      }
      const from = current.mode;
      const out = detach(current);
      await this.run(out.commands);
      // The call may have ended meanwhile (close() ran from an ARI event): then nothing new is attached.
      if (this.sessions.get(r.callId) !== current) return;
      const into = attach(out.session, r.mode);
      // Set and logged before the commands run, so an end that comes meanwhile tears the new mode down and logs after it.
      this.sessions.set(r.callId, into.session);
      this.note(into.session, 'supervision_switched', { from });
      if (!(await this.runAttach(r.callId, into.commands))) return;
      await this.publish(into.session, 'switched');
      if (this.sessions.get(r.callId) === into.session) await this.publishView(into.session, 'active');
      return;
    }
    // The same supervisor's start twice (already ringing or joined): nothing to do.
    if (current) return current.supervisorId === r.supervisorId ? undefined : this.refuse(r, 'already_supervised');
    const epoch = this.epoch;
    const snapshot = await this.d.store.get(r.callId);
    // Dropped meanwhile: the node is someone else's now, no session is made here.
    if (epoch !== this.epoch) return this.refuse(r, 'not_held');
    const s = snapshot?.state;
    if (!s) return this.refuse(r, 'call_ended');
    // Not yet found in the bridge (`bridging`): the two may never talk, and the bridge may yet be torn down.
    if (s.phase !== 'connected' || !s.operator || s.operatorLeft || !s.bridgeId || s.bridging || !s.courtId) return this.refuse(r, 'call_not_connected', s);
    const stamp = Date.now();
    const session: Session = {
      callId: r.callId,
      courtId: s.courtId,
      supervisorId: r.supervisorId,
      operatorId: s.operator.userId,
      mode: r.mode,
      // Ids from the clock: a supervision that ended, or one a killed controller left, never shares an id with a new one.
      legId: supervisorLegId(r.callId, stamp),
      legUp: false,
      seq: stamp * 10,
      callerChannelId: s.channelId,
      operatorChannelId: s.operator.channelId,
      mainBridgeId: s.bridgeId,
      inMain: false,
      startedAt: Date.now(),
      epoch,
    };
    this.sessions.set(r.callId, session);
    await this.publishView(session, 'ringing');
    await this.publish(session, 'ringing');
    // The call may have ended meanwhile: then no phone is rung.
    if (this.sessions.get(r.callId) !== session) return;
    try {
      await this.d.ari.execute({
        kind: 'originate',
        channelId: session.legId,
        endpoint: r.dial,
        callerId: '"12368 监听" <12368>',
        timeoutSeconds: this.d.ringSeconds,
        appArgs: 'supervisor',
        variables: { [channelVars.callId]: r.callId, [channelVars.courtId]: session.courtId },
      });
    } catch (err) {
      this.d.logger.warn({ err: (err as Error).message, callId: r.callId }, "could not ring the supervisor's phone");
      await this.end(r.callId, 'phone_unreachable', true);
      return;
    }
    // Ended while the originate was in flight (its hangup found no channel yet): the leg goes now.
    if (!this.sessions.has(r.callId)) await this.run([{ kind: 'hangup', channelId: session.legId }]);
  }

  private async legAnswered(callId: string): Promise<void> {
    const current = this.sessions.get(callId);
    if (!current || current.legUp) return;
    const into = attach({ ...current, legUp: true }, current.mode);
    this.sessions.set(callId, into.session);
    this.note(into.session, 'supervision_started', {});
    if (!(await this.runAttach(callId, into.commands))) return;
    await this.publish(into.session, 'started');
    if (this.sessions.get(callId) === into.session) await this.publishView(into.session, 'active');
  }

  private async end(callId: string, reason: string, hangUpLeg: boolean): Promise<void> {
    const ended = this.close(callId, reason);
    if (ended) await this.tearDown(ended, hangUpLeg);
  }

  /** Synchronous: the session is over and its stop is queued in the call's events (only a supervisor who joined has a start to close). */
  private close(callId: string, reason: string): (Session & { reason: string }) | undefined {
    const current = this.sessions.get(callId);
    if (!current) return undefined;
    this.sessions.delete(callId);
    if (current.legUp) this.note(current, 'supervision_stopped', { reason, secondsJoined: Math.round((Date.now() - current.startedAt) / 1000) });
    return { ...current, reason };
  }

  private async tearDown(ended: Session & { reason: string; error?: string }, hangUpLeg: boolean): Promise<void> {
    const commands = teardown(ended).filter((c) => hangUpLeg || !(c.kind === 'hangup' && c.channelId === ended.legId));
    await this.run(commands);
    await this.publish(ended, 'stopped', ended.reason, ended.error);
    // Dropped meanwhile: the view may be the node's new holder's now.
    if (this.current(ended) && !this.sessions.has(ended.callId)) await this.d.views.remove(ended.callId).catch(() => undefined);
  }

  /**
   * Attaching is strict: the console must never say "listening" while nothing is attached. On the first refusal the
   * supervision ends (`command_refused`), whatever was created is hung up, and the stop carries the error.
   */
  private async runAttach(callId: string, commands: AriCommand[]): Promise<boolean> {
    for (const command of commands) {
      try {
        await this.d.ari.execute(command);
      } catch (err) {
        const error = (err as Error).message;
        this.d.logger.error({ err: error, callId, command: command.kind }, 'supervision command refused: the supervision ends');
        const ended = this.close(callId, 'command_refused');
        if (ended) await this.tearDown({ ...ended, error }, true);
        return false;
      }
    }
    return true;
  }

  /** Clean-up, each command on its own: one that fails (a channel already gone) never keeps the rest from running. */
  private async run(commands: AriCommand[]): Promise<void> {
    for (const command of commands) {
      await this.d.ari.execute(command).catch((err: Error) => this.d.logger.info({ err: err.message, command: command.kind }, 'supervision command refused'));
    }
  }

  private note(s: Session, event: 'supervision_started' | 'supervision_switched' | 'supervision_stopped', data: Record<string, unknown>): void {
    if (!this.current(s)) return;
    this.d.calls.submit(s.callId, { type: 'supervision_note', event, data: { supervisorId: s.supervisorId, mode: s.mode, ...data }, at: Date.now() });
  }

  private async publishView(s: Session, status: 'ringing' | 'active'): Promise<void> {
    if (!this.current(s)) return;
    await this.d.views.set({ callId: s.callId, courtId: s.courtId, supervisorId: s.supervisorId, mode: s.mode, status, since: Date.now() }).catch((err: Error) => this.d.logger.warn({ err: err.message }, 'supervision view not saved'));
  }

  private async publish(s: Session, status: Status, reason?: string, error?: string): Promise<void> {
    if (!this.current(s)) return;
    const data = { callId: s.callId, supervisorId: s.supervisorId, operatorId: s.operatorId, mode: s.mode, status, ...(reason ? { reason } : {}), ...(error ? { error } : {}), at: new Date().toISOString() };
    const send = (audience: { roles?: ('manager' | 'department_head')[]; userIds?: string[] }) =>
      publishEvent(this.d.events, { type: 'call.supervision', courtId: s.courtId, audience, data }).catch(() => undefined);
    await send({ roles: ['manager', 'department_head'] });
    if (status !== 'ringing' && (await this.showsOperator(s.courtId))) await send({ userIds: [s.operatorId] });
  }

  /**
   * A start or switch not carried out: `stopped` with the reason, to the requesting supervisor only (no session was
   * made or changed, so no one else's view changes). The court is the request's; a request from an older API process
   * has none, then the call's saved state says, and with neither nothing can be sent (logged).
   */
  private async refuse(r: StartOrSwitch, reason: Refusal, state?: { courtId?: string | null; operator?: { userId: string } | null }): Promise<void> {
    this.d.logger.warn({ callId: r.callId, supervisorId: r.supervisorId, action: r.action, reason }, 'supervision request not carried out: the supervisor is told');
    const saved = state ?? (r.courtId ? undefined : (await this.d.store.get(r.callId).catch(() => undefined))?.state);
    const courtId = r.courtId ?? saved?.courtId;
    if (!courtId) {
      this.d.logger.warn({ callId: r.callId, supervisorId: r.supervisorId, reason }, "supervision refusal not sent: the call's court is unknown");
      return;
    }
    const operatorId = saved?.operator?.userId;
    const data = { callId: r.callId, supervisorId: r.supervisorId, ...(operatorId ? { operatorId } : {}), mode: r.mode, status: 'stopped' as const, reason, at: new Date().toISOString() };
    await publishEvent(this.d.events, { type: 'call.supervision', courtId, audience: { userIds: [r.supervisorId] }, data }).catch((err: Error) =>
      this.d.logger.warn({ err: err.message, callId: r.callId }, 'supervision refusal not sent'),
    );
  }

  /** The court's setting; when it cannot be read the operator is told (never listened to unknowingly because of a DB error). */
  private async showsOperator(courtId: string): Promise<boolean> {
    try {
      return await this.d.showsOperator(courtId);
    } catch (err) {
      this.d.logger.error({ err: (err as Error).message, courtId }, 'supervision notice setting not read: the operator is shown the supervision');
      return true;
    }
  }
}
