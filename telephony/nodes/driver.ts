import type { Logger } from '../../platform/logger.ts';
import type { AriAdapter } from '../ari/adapter.ts';
import type { Dispatcher } from '../acd/dispatcher.ts';
import type { CallStore } from '../calls/call-store.ts';
import type { CallController } from '../calls/controller.ts';
import type { Reconciler } from '../calls/reconciler.ts';
import { NodeKeeper } from './keeper.ts';
import type { NodeLease } from './lease.ts';

/** What drives one node's calls while this process holds its lease; built anew for every tenure. */
export interface NodeTenure {
  store: CallStore;
  dispatcher: Dispatcher;
  controller: CallController;
  reconciler: Reconciler;
}

/**
 * One Asterisk node in a process that may drive it: its ARI adapter (for the process's life, connected only while
 * the lease is ours) and, while held, a tenure. Events and reconnects reach the current tenure only; a lost lease
 * suspends the adapter (no socket, every command refused) and detaches the tenure's calls without writing them.
 */
export class NodeDriver {
  readonly keeper: NodeKeeper;
  tenure: NodeTenure | undefined;
  private readonly log: Logger;

  constructor(
    readonly node: string,
    readonly ari: AriAdapter,
    readonly lease: NodeLease,
    private readonly build: () => NodeTenure,
    logger: Logger,
    preferred = false,
  ) {
    this.log = logger.child({ node });
    ari.onEvent((event) => this.tenure?.controller.handle(event));
    ari.onConnected(() => {
      const t = this.tenure;
      const told = this.reconciledWatch;
      void t?.reconciler.run().then(() => this.tenure === t && this.ari.connected && told?.(true));
    });
    this.keeper = new NodeKeeper({ lease, logger, preferred, onAcquired: () => this.take(), onLost: () => this.fence(), onHandOver: () => this.leave() });
  }

  get held(): boolean {
    return this.keeper.role === 'held';
  }

  /**
   * Told when a tenure begins (true) and ends (false): what acts on the node's calls beside the calls' controller
   * (supervision, callbacks) follows who drives the node.
   */
  onTenure(watcher: (held: boolean) => void): void {
    this.watchers.push(watcher);
  }
  private readonly watchers: ((held: boolean) => void)[] = [];

  /**
   * Resolves true once the current tenure's calls were reconciled (those the last holder left adopted), false when
   * the tenure ends first: what takes requests for the node's calls (supervision) waits for it, never refusing them unseen.
   */
  reconciled(): Promise<boolean> {
    return this.reconciledOnce ?? Promise.resolve(false);
  }
  private reconciledOnce: Promise<boolean> | undefined;
  private reconciledWatch: ((done: boolean) => void) | undefined;

  private endReconciled(): void {
    this.reconciledWatch?.(false);
    this.reconciledOnce = undefined;
    this.reconciledWatch = undefined;
  }

  private tell(held: boolean): void {
    for (const watch of this.watchers) {
      try {
        watch(held);
      } catch (err) {
        this.log.error({ err }, 'a part following the node failed');
      }
    }
  }

  private take(): void {
    this.tenure = this.build();
    this.reconciledOnce = new Promise((resolve) => (this.reconciledWatch = resolve));
    this.tell(true);
    // Connecting runs the reconcile (onConnected above): it adopts the calls the last holder left in Redis.
    this.ari.start();
  }

  private fence(): void {
    this.ari.suspend();
    const t = this.tenure;
    this.tenure = undefined;
    if (!t) return;
    this.endReconciled();
    t.controller.detach();
    this.tell(false);
    this.log.warn('node let go: its calls are left to the controller that holds it now');
  }

  /** Calls in hand saved and left up (as a graceful stop does), the adapter suspended; the lease is still ours. */
  private async leave(): Promise<void> {
    const t = this.tenure;
    if (t) {
      t.controller.stopAccepting();
      await t.controller.idle();
      // Fenced meanwhile (the hand-over ran past the lease, keeper.ts): another controller may hold the node and have
      // saved its calls by now; flushing this tenure's snapshots would write stale ones over them.
      if (this.tenure !== t) {
        this.log.error('hand-over cut off by the lease: this tenure no longer saves its calls (the new holder adopted them)');
        return;
      }
      this.tenure = undefined;
      this.endReconciled();
      t.controller.detach();
      t.store.flush();
      this.tell(false);
    }
    this.ari.suspend();
  }

  /** Graceful stop: calls in hand are saved and left up, then the lease is released so a standby takes them now. */
  drain(): Promise<void> {
    // Once: the drain step and the close step both ask for it.
    this.draining ??= (async () => {
      await this.leave();
      await this.keeper.stop();
      await this.ari.stop();
    })();
    return this.draining;
  }
  private draining: Promise<void> | undefined;

  /** As a killed process (tests): nothing more is sent or saved, and the lease is left to run out. */
  crash(): void {
    this.keeper.halt();
    this.fence();
  }
}
