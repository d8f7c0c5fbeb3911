import type { Logger } from './logger.ts';

type Hook = { name: string; run: () => Promise<void> | void };

/**
 * Ordered shutdown. `drain` hooks stop taking new work and finish what is in hand (HTTP requests,
 * calls, jobs); `close` hooks then release connections. Within a phase, hooks run last-registered
 * first, so what was opened first is closed last.
 */
export class Lifecycle {
  private readonly drainHooks: Hook[] = [];
  private readonly closeHooks: Hook[] = [];
  private stopping: Promise<void> | undefined;
  private running: string | undefined;
  private readonly finished: Array<{ name: string; ms: number }> = [];

  /** `slowMs`: a step still running after this long is named in a warning (it may be what holds the stop up). */
  constructor(
    private readonly logger: Logger,
    readonly slowMs = 5000,
  ) {}

  /** The shutdown step under way, if any (for a stop that seems stuck). */
  get runningStep(): string | undefined {
    return this.running;
  }

  /** The steps finished so far, in order, with how long each took (what a stuck or slow stop spent its time on). */
  get finishedSteps(): ReadonlyArray<{ name: string; ms: number }> {
    return this.finished;
  }

  onDrain(name: string, run: Hook['run']): void {
    this.drainHooks.push({ name, run });
  }

  onClose(name: string, run: Hook['run']): void {
    this.closeHooks.push({ name, run });
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /** Runs every hook once, even if some fail; rejects afterwards if any did. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= this.runAll();
    return this.stopping;
  }

  private async runAll(): Promise<void> {
    const failures: string[] = [];
    for (const hook of [...[...this.drainHooks].reverse(), ...[...this.closeHooks].reverse()]) {
      this.running = hook.name;
      const started = Date.now();
      const slow = setTimeout(() => this.logger.warn({ hook: hook.name, ms: Date.now() - started }, 'shutdown step is slow'), this.slowMs);
      try {
        await hook.run();
        this.logger.debug({ hook: hook.name, ms: Date.now() - started }, 'stopped');
      } catch (err) {
        failures.push(hook.name);
        this.logger.error({ hook: hook.name, err }, 'shutdown step failed');
      } finally {
        clearTimeout(slow);
        this.finished.push({ name: hook.name, ms: Date.now() - started });
      }
    }
    this.running = undefined;
    if (failures.length > 0) throw new Error(`shutdown steps failed: ${failures.join(', ')}`);
  }
}
