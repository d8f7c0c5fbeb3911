import type { Logger } from '../../platform/logger.ts';
import { withTimeout } from '../../platform/timeout.ts';
import type { NodeLease } from './lease.ts';

export type NodeRole = 'held' | 'standby';

export interface NodeKeeperOptions {
  lease: NodeLease;
  logger: Logger;
  /** Called once the lease is ours: connect to the node and adopt its calls. */
  onAcquired(): void;
  /** Called at once when the lease is lost (fencing): stop every command for the node and drop its ARI connection. */
  onLost(): void;
  /** This controller prefers the node (ARI_NODES_PREFER): it asks for it; without, it yields to one that does. */
  preferred?: boolean;
  /** A clean hand-over to a controller preferring the node: calls saved and left, adapter suspended (then released). */
  onHandOver?(): Promise<void>;
  /** How often a standby tries to take the node (default 1 s). */
  retryMs?: number;
}

/**
 * Keeps one node's lease: a standby tries to take it every second; a holder renews it every third of its TTL.
 * A renewal that finds another token, fails, or cannot answer before the lease would have run out loses the node
 * there and then, so two controllers never drive it at once: the new holder can only take it after it expired.
 */
export class NodeKeeper {
  role: NodeRole = 'standby';
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** When the lease we hold runs out unless renewed (this process's clock, taken before the request). */
  private expiresAt = 0;
  private readonly log: Logger;

  constructor(private readonly o: NodeKeeperOptions) {
    this.log = o.logger.child({ node: o.lease.node, component: 'node-lease' });
  }

  get node(): string {
    return this.o.lease.node;
  }

  /** Tries once now (so a free node is held before start-up ends), then keeps going in the background. */
  async start(): Promise<void> {
    await this.step();
  }

  /** Clean stop: the lease is deleted so a standby takes the node at once instead of after its TTL. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.role !== 'held') return;
    this.lose('controller stopping');
    await this.o.lease.release().catch((err: Error) => this.log.warn({ err: err.message }, 'could not release the node lease: it runs out by itself'));
  }

  /** Stops without releasing, as a killed process would (tests): the lease runs out after its TTL. */
  halt(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.step(), ms);
  }

  private async step(): Promise<void> {
    const ttl = this.o.lease.ttlMs;
    const asked = Date.now();
    if (this.role === 'held') {
      // Bounded by what is left of the lease: an answer after it ran out could be about someone else's lease.
      const left = this.expiresAt - asked;
      const ok = left <= 0 ? 'late' : await withTimeout(this.o.lease.renew(), left).catch((err: Error) => (this.log.warn({ err: err.message }, 'could not renew the node lease'), 'late' as const));
      if (this.stopped) return;
      if (ok === true) this.expiresAt = asked + ttl;
      if (ok === true && !this.o.preferred && this.o.onHandOver && (await this.o.lease.wantedByOther().catch(() => false))) return this.handOver();
      // Another token holds it, or it ran out: fenced now. An error with time left: try again soon.
      if (ok === false || (ok === 'late' && Date.now() >= this.expiresAt - 200)) this.lose(ok === false ? 'another controller holds it' : 'Redis did not answer before the lease ran out');
      this.schedule(this.role !== 'held' ? (this.o.retryMs ?? 1000) : ok === true ? ttl / 3 : 200);
      return;
    }
    // A controller that prefers the node says so; one that does not leaves a free node to one that asked for it.
    if (this.o.preferred) await this.o.lease.want().catch(() => undefined);
    else if (await this.o.lease.wantedByOther().catch(() => false)) return this.schedule(this.o.retryMs ?? 1000);
    const got = await withTimeout(this.o.lease.acquire(), ttl / 2).catch((err: Error) => {
      this.log.debug({ err: err.message }, 'could not ask for the node lease');
      return false;
    });
    if (this.stopped) {
      if (got) await this.o.lease.release().catch(() => undefined);
      return;
    }
    if (got) {
      this.role = 'held';
      this.expiresAt = asked + ttl;
      this.log.info({ ttlMs: ttl }, 'node lease taken: this controller drives the node');
      try {
        this.o.onAcquired();
      } catch (err) {
        // Never hold a node nobody drives: let it go for another controller.
        this.log.error({ err }, 'taking the node failed: lease released');
        this.lose('could not take the node');
        await this.o.lease.release().catch(() => undefined);
      }
    }
    this.schedule(this.role === 'held' ? ttl / 3 : (this.o.retryMs ?? 1000));
  }

  /** Leaves the node, still holding the lease, then releases it: the controller preferring it takes it at once. */
  private async handOver(): Promise<void> {
    this.role = 'standby';
    this.log.info('handing the node over to a controller that prefers it');
    // Not renewed meanwhile: what is not done before the lease would run out is cut off (fenced) instead.
    await withTimeout(this.o.onHandOver!(), Math.max(0, this.expiresAt - Date.now() - 200)).catch((err: Error) => {
      this.log.warn({ err: err.message }, 'hand-over not done in time: the node is let go at once');
      this.o.onLost();
    });
    await this.o.lease.release().catch(() => undefined);
    this.schedule(this.o.retryMs ?? 1000);
  }

  private lose(why: string): void {
    if (this.role !== 'held') return;
    this.role = 'standby';
    this.log.warn({ why }, 'node lease lost: commands for the node stopped and its ARI connection dropped');
    try {
      this.o.onLost();
    } catch (err) {
      this.log.error({ err }, 'letting the node go failed');
    }
  }
}
