import type { Logger } from '../../platform/logger.ts';
import type { Redis } from '../../platform/redis/connect.ts';
import { LuaScript } from '../../platform/redis/lua-script.ts';

/** What this needs of telephony's service (found at call time: telephony registers after the api). */
export interface ConsoleLostPort {
  /** `busy`: a call is ringing or in hand, ask again later. */
  consoleLost(userId: string): Promise<'paused' | 'busy' | 'idle'>;
}

// One socket fewer for the user; at none, they are lost since now. KEYS: counts hash, lost set. ARGV: user, now.
const dropScript = new LuaScript(`
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if n <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
end
return n`);

export interface ConsoleWatchOptions {
  redis: Redis;
  prefix: string;
  /** A console without a websocket longer than this is paused (HOTLINE_CONSOLE_PAUSE_AFTER_SECONDS). */
  graceMs: number;
  port: () => ConsoleLostPort | undefined;
  logger: Logger;
  now?: () => number;
}

/**
 * Watches operators' console websockets across every API process (counts and the "lost since" set live in
 * Redis): an operator whose last socket closed more than the grace ago and who did not come back is paused;
 * one who reconnects within it is left as they were. A call in hand is never interrupted: it is asked again.
 */
export class ConsoleWatch {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly now: () => number;

  constructor(private readonly o: ConsoleWatchOptions) {
    this.now = o.now ?? Date.now;
  }

  private get countsKey(): string {
    return `${this.o.prefix}:console:sockets`;
  }
  private get lostKey(): string {
    return `${this.o.prefix}:console:lost`;
  }

  start(): void {
    const every = Math.max(250, Math.min(5000, Math.floor(this.o.graceMs / 4)));
    this.timer = setInterval(() => void this.sweep(), every);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async connected(userId: string): Promise<void> {
    await this.o.redis.multi().hincrby(this.countsKey, userId, 1).zrem(this.lostKey, userId).exec();
  }

  async disconnected(userId: string): Promise<void> {
    await dropScript.run(this.o.redis, [this.countsKey, this.lostKey], [userId, this.now()]);
  }

  /** Pauses operators lost longer than the grace; any API process may run it (the pause is a compare-and-set). */
  async sweep(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const port = this.o.port();
      if (!port) return;
      const due = await this.o.redis.zrangebyscore(this.lostKey, 0, this.now() - this.o.graceMs);
      for (const userId of due) {
        const outcome = await port.consoleLost(userId);
        if (outcome === 'busy') continue;
        // Only if still lost since then (not reconnected meanwhile).
        await this.o.redis.zrem(this.lostKey, userId);
        if (outcome === 'paused') this.o.logger.info({ userId }, 'console websocket lost: operator paused');
      }
    } catch (err) {
      this.o.logger.warn({ err: (err as Error).message }, 'console watch sweep failed');
    } finally {
      this.running = false;
    }
  }
}
