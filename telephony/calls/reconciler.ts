import type { Logger } from '../../platform/logger.ts';
import { withTimeout } from '../../platform/timeout.ts';
import type { AriAdapter } from '../ari/adapter.ts';
import type { ChannelInfo } from '../ari/types.ts';
import type { Presence } from '../presence/presence.ts';
import type { StoredCall } from '../records/adoption.ts';
import type { CallStore } from './call-store.ts';
import type { CallController } from './controller.ts';
import { planReconcile } from './reconcile.ts';
import type { CallLost } from './types.ts';

export interface ReconcilerDeps {
  ari: AriAdapter;
  store: CallStore;
  controller: CallController;
  presence: Presence;
  /** Call rows by id or channel id (the database may be away: bounded by a timeout). */
  findCalls(callIds: string[], channelIds: string[]): Promise<StoredCall[]>;
  /**
   * Resolves once the journal has written back what an earlier run left in its log (bounded): a caller's row may
   * be there only, and looking it up before it lands would make a second call of the same channel.
   */
  recordsCaughtUp?(): Promise<void>;
  logger: Logger;
  /** Wait before retrying a reconcile that could not read ARI or Redis (default 1 s). */
  retryMs?: number;
}

/**
 * Runs on every (re)connect to ARI: matches what Asterisk has (channels, bridges, the app's channels) with
 * the calls saved in Redis and this controller's own, then adopts live calls, closes those that ended
 * meanwhile, hangs up and destroys what belongs to no call, and settles operators a lost call left behind.
 * Events that arrive meanwhile are held and replayed after it, so none falls between the two views.
 */
export class Reconciler {
  private readonly log: Logger;
  private running: Promise<void> | undefined;
  private again = false;
  /** The start time of the Asterisk last reconciled by this process (Redis has it across controllers). */
  private reconciledAsterisk: string | undefined;

  constructor(private readonly d: ReconcilerDeps) {
    this.log = d.logger.child({ component: 'reconcile' });
  }

  /**
   * One reconcile at a time: a (re)connect during a run asks for one more run after it. A run that could not
   * read ARI or Redis is retried while connected, since events lost with the old socket (hangups among them)
   * are only made good by a reconcile.
   */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        const done = await this.once();
        if (!done && this.d.ari.connected) {
          await new Promise((r) => setTimeout(r, this.d.retryMs ?? 1000));
          this.again ||= this.d.ari.connected;
        }
      } while (this.again);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Resolves false when ARI or Redis could not be read. */
  private async once(): Promise<boolean> {
    const c = this.d.controller;
    const startedAt = Date.now();
    const asterisk = this.d.ari.asteriskStartup;
    let ok = true;
    c.holdEvents();
    try {
      const [channels, bridges, appChannelIds, snapshots, reconciledAsterisk] = await Promise.all([
        this.d.ari.listChannels(),
        this.d.ari.listBridges(),
        this.d.ari.appChannelIds(),
        withTimeout(this.d.store.list(), 3000, 'Redis did not answer within 3 s'),
        this.reconciledAsterisk ?? withTimeout(this.d.store.reconciledAsterisk(), 3000, 'Redis did not answer within 3 s'),
      ]);
      const lost = restartLoss(reconciledAsterisk, asterisk);
      if (lost) this.log.warn({ before: reconciledAsterisk, now: asterisk }, 'Asterisk restarted since the last reconcile: calls whose channels are gone ended by the system');
      c.resync(channels, lost);
      const plan = planReconcile({ channels, bridges, appChannelIds }, snapshots, { call: (id) => c.holdsCall(id), channel: (id) => c.holdsChannel(id) });
      for (const a of plan.adopt) c.adopt(a.snapshot, a);
      for (const v of plan.vanished) c.closeVanished(v, lost);
      await this.takeOverUnknown(plan.unknownCallers);
      for (const channelId of plan.hangup) await this.quietly({ kind: 'hangup', channelId });
      for (const bridgeId of plan.destroyBridges) await this.quietly({ kind: 'destroyBridge', bridgeId });
      if (asterisk !== undefined) await this.rememberAsterisk(asterisk);
      const counts = { adopted: plan.adopt.length, vanished: plan.vanished.length, unknown: plan.unknownCallers.length, legsHungUp: plan.hangup.length, bridgesDestroyed: plan.destroyBridges.length, asteriskRestarted: lost !== undefined };
      // One line per (re)connect, even when there was nothing to do: when a restart was back in hand.
      this.log.info({ ...counts, durationMs: Date.now() - startedAt }, 'reconciled calls with ARI');
    } catch (err) {
      ok = false;
      this.log.warn({ err: (err as Error).message }, 'could not reconcile calls with ARI: retrying');
    } finally {
      c.resumeEvents();
    }
    if (!ok) return false;
    await c.idle();
    await this.d.presence
      .settleOrphans(async (callId) => c.holdsCall(callId) || (await this.d.store.isLive(callId)))
      .catch((err: Error) => this.log.warn({ err: err.message }, 'could not settle operators after reconciling'));
    return true;
  }

  /** Kept once the calls are matched with this Asterisk, so that the next reconcile compares with it. */
  private async rememberAsterisk(startup: string): Promise<void> {
    this.reconciledAsterisk = startup;
    await withTimeout(this.d.store.setReconciledAsterisk(startup), 3000).catch((err: Error) => this.log.warn({ err: err.message }, 'could not save which Asterisk was reconciled'));
  }

  /** Callers no saved call knows: an open row → taken over (to the queue); a closed row → hung up; no row → a new call. */
  private async takeOverUnknown(callers: ChannelInfo[]): Promise<void> {
    if (callers.length === 0) return;
    await this.d.recordsCaughtUp?.();
    let rows: StoredCall[] = [];
    try {
      rows = await withTimeout(
        this.d.findCalls(
          callers.flatMap((ch) => (ch.callId ? [ch.callId] : [])),
          callers.map((ch) => ch.id),
        ),
        3000,
      );
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'call rows unavailable: unknown callers are taken as new calls');
    }
    for (const channel of callers) {
      // By channel id only with the same caller and number dialled: two Asterisk nodes without their own
      // `systemname` number channels alike (<epoch>.<seq>), and another node's call must never be taken for this one.
      const row = rows.find((r) => r.id === channel.callId) ?? rows.find((r) => r.channelId === channel.id && r.callerNumber === channel.callerNumber && r.dialled === channel.dialled);
      if (row && row.outcome === null) this.d.controller.adoptRow({ ...row, channelId: channel.id });
      else if (row) await this.quietly({ kind: 'hangup', channelId: channel.id });
      else this.d.controller.arriveLate(channel);
    }
  }

  private async quietly(command: { kind: 'hangup'; channelId: string } | { kind: 'destroyBridge'; bridgeId: string }): Promise<void> {
    await this.d.ari.execute(command).catch((err: Error) => this.log.debug({ err: err.message, command }, 'reconcile command failed'));
  }
}

/**
 * Asterisk restarted between the last reconcile (by this controller or the one before it) and this one when its
 * start time changed: every channel from before is gone with it, so calls found gone ended by the system, not by
 * their callers. Unknown on either side (never recorded, or unread): taken as no restart.
 */
export function restartLoss(reconciled: string | null | undefined, now: string | undefined): CallLost | undefined {
  return reconciled && now && reconciled !== now ? 'asterisk_restart' : undefined;
}
