import { randomBytes } from 'node:crypto';
import type { Logger } from '../../platform/logger.ts';
import { duplicateRedis, type Redis } from '../../platform/redis/connect.ts';

/**
 * Controllers share each court's queue, but each dispatcher claims only for its own callers and is kicked only by
 * its own process: an operator made ready by one controller (their call on its node ended, a wrap-up ran out) may
 * be the one another controller's caller is waiting for, who would otherwise be matched at that controller's next
 * one-second tick. So every kick is relayed to the other controllers over Redis pub/sub
 * (`<prefix>:tel:acd:kick`); kicks within one tick go out as one message, and a process ignores its own.
 */
export class KickRelay {
  private readonly channel: string;
  private readonly me = randomBytes(6).toString('hex');
  private queued = false;
  private sub: Redis | undefined;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly logger: Logger,
  ) {
    this.channel = `${prefix}:tel:acd:kick`;
  }

  /** Tells the other controllers to run their dispatchers (once per tick however often called). */
  send(): void {
    if (this.queued) return;
    this.queued = true;
    setImmediate(() => {
      this.queued = false;
      // Lost, the others' one-second tick still matches the operator: a delay, not a lost call.
      this.redis.publish(this.channel, this.me).catch((err: Error) => this.logger.debug({ err: err.message }, 'could not relay a dispatcher kick'));
    });
  }

  /** Calls `onKick` whenever another controller kicked. */
  async listen(onKick: () => void): Promise<void> {
    const sub = (this.sub = duplicateRedis(this.redis, this.logger, 'dispatcher kicks'));
    sub.on('message', (_channel: string, from: string) => {
      if (from !== this.me) onKick();
    });
    await sub.subscribe(this.channel);
  }

  async stop(): Promise<void> {
    const sub = this.sub;
    this.sub = undefined;
    await sub?.quit().catch(() => sub.disconnect());
  }
}
