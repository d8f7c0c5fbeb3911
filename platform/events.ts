import type { Logger } from './logger.ts';
import type { Redis } from './redis/connect.ts';
import type { UserRole } from './user-roles.ts';

/** Who may receive an event within its court: anyone with one of `roles`, or one of `userIds`. */
export interface Audience {
  roles?: UserRole[];
  userIds?: string[];
}

/**
 * A realtime event for the consoles (call offered, ticket assigned, wallboard figures…).
 * Capabilities publish them; the api capability's websocket hub delivers each to the right users.
 */
export interface HotlineEvent<Data = unknown> {
  type: string;
  courtId: string;
  audience: Audience;
  data: Data;
  /** ISO time it was published. */
  at: string;
}

export type EventHandler = (event: HotlineEvent) => void;

/** Events fan out to every process through one Redis pub/sub channel under the deployment's prefix. */
export class EventBus {
  private subscriber: Redis | undefined;
  private readonly handlers = new Set<EventHandler>();
  readonly channel: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly logger: Logger,
  ) {
    this.channel = `${prefix}:events`;
  }

  async publish<Data>(event: Omit<HotlineEvent<Data>, 'at'>): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify({ ...event, at: new Date().toISOString() }));
  }

  /** Calls `handler` with every event any process publishes; returns the unsubscribe function. */
  async subscribe(handler: EventHandler): Promise<() => void> {
    this.handlers.add(handler);
    if (!this.subscriber) {
      this.subscriber = this.redis.duplicate();
      this.subscriber.on('message', (_channel: string, message: string) => this.dispatch(message));
      this.subscriber.on('error', (err: Error) => this.logger.warn({ err: err.message }, 'event subscriber error'));
      await this.subscriber.subscribe(this.channel);
    }
    return () => void this.handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
    this.subscriber = undefined;
  }

  private dispatch(message: string): void {
    let event: HotlineEvent;
    try {
      event = JSON.parse(message) as HotlineEvent;
    } catch {
      this.logger.warn('skipped an event that is not JSON');
      return;
    }
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (err) {
        this.logger.error({ err, type: event.type }, 'event handler failed');
      }
    }
  }
}
