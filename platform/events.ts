import type { Logger } from './logger.ts';
import type { Redis } from './redis/connect.ts';
import { LuaScript } from './redis/lua-script.ts';
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
  /** Redis stream id, ordered within a court ("<ms>-<seq>"); consoles resume after the last one they saw. */
  id: string;
  type: string;
  courtId: string;
  audience: Audience;
  data: Data;
  /** ISO time it was published. */
  at: string;
}

export type EventHandler = (event: HotlineEvent) => void;

/** What a reconnecting console missed: `complete` is false when the buffer no longer reaches back that far. */
export interface Replay {
  events: HotlineEvent[];
  complete: boolean;
}

// Appends each event to the court's capped stream and publishes it in one step, so an event is either in
// the buffer before a subscriber reads it, or arrives on the channel after. ARGV[2..] are the events, in order.
const appendAndPublish = new LuaScript(`
local ids = {}
for i = 2, #ARGV do
  local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[i])
  redis.call('PUBLISH', KEYS[2], id .. '\\n' .. ARGV[i])
  ids[#ids + 1] = id
end
return ids`);

interface Pending {
  type: string;
  body: string;
  resolve(id: string): void;
  reject(err: Error): void;
}

const streamId = /^\d{1,20}-\d{1,20}$/;

/**
 * Events fan out to every process through one Redis pub/sub channel under the deployment's prefix,
 * and each court's last `bufferSize` events stay in a Redis stream for consoles that reconnect.
 */
export class EventBus {
  private subscriber: Redis | undefined;
  private readonly handlers = new Set<EventHandler>();
  /** Events published within the linger, by court: sent together, one script call per court. */
  private pending = new Map<string, Pending[]>();
  private flushTimer: NodeJS.Timeout | undefined;
  readonly channel: string;

  /**
   * `lingerMs`: how long the first of a batch of events waits for others to join it. At a busy hotline's pace
   * (a call publishes its offer, ring, answer and end over its life) a few milliseconds gather the events of many
   * calls into one Redis call per court, where one per tick gathered about one call's; 0 sends each tick's events.
   */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
    private readonly bufferSize = 1000,
    private readonly lingerMs = 5,
  ) {
    this.channel = `${prefix}:events`;
  }

  /** Publishes an event; resolves with its id. */
  publish<Data>(event: Omit<HotlineEvent<Data>, 'at' | 'id'>): Promise<string> {
    const body = JSON.stringify({ type: event.type, courtId: event.courtId, audience: event.audience, data: event.data, at: new Date().toISOString() });
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) {
        if (this.lingerMs > 0) this.flushTimer = setTimeout(() => this.sendPending(), this.lingerMs);
        else setImmediate(() => this.sendPending());
      }
      const list = this.pending.get(event.courtId) ?? [];
      list.push({ type: event.type, body, resolve, reject });
      this.pending.set(event.courtId, list);
    });
  }

  /** A burst of calls publishes many events close together: one command per court instead of one per event. */
  private sendPending(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batches = this.pending;
    this.pending = new Map();
    for (const [courtId, list] of batches) {
      appendAndPublish.run(this.redis, [this.streamKey(courtId), this.channel], [this.bufferSize, ...list.map((p) => p.body)]).then(
        (ids) => list.forEach((p, i) => p.resolve((ids as string[])[i]!)),
        (err: Error) => {
          // Said here, once per batch: most publishers treat an event as a courtesy and do not wait for it.
          this.logger.warn({ err: err.message, courtId, types: [...new Set(list.map((p) => p.type))], events: list.length }, 'events not published');
          list.forEach((p) => p.reject(err));
        },
      );
    }
  }

  /** An event refused before it was sent (its data does not match its declaration): a defect, said as one. */
  reportInvalid(type: string, err: unknown): void {
    this.logger.error({ type, err: err instanceof Error ? err.message : String(err) }, 'event not published: its data does not match its declaration');
  }

  /** The events of a court after `afterId` (at most `limit`), from the bounded buffer. */
  async replay(courtId: string, afterId: string, limit = this.bufferSize): Promise<Replay> {
    if (!streamId.test(afterId)) return { events: [], complete: false };
    const key = this.streamKey(courtId);
    const [oldest, newest] = await Promise.all([this.redis.xrange(key, '-', '+', 'COUNT', 1), this.redis.xrevrange(key, '+', '-', 'COUNT', 1)]);
    const [oldestId, newestId] = [oldest[0]?.[0], newest[0]?.[0]];
    // Unknown territory: the buffer was trimmed past the client's position, or lost (Redis restarted).
    if (!oldestId || !newestId || compareIds(afterId, oldestId) < 0 || compareIds(afterId, newestId) > 0) {
      return { events: [], complete: newestId !== undefined && afterId === newestId };
    }
    const entries = await this.redis.xrange(key, `(${afterId}`, '+', 'COUNT', limit + 1);
    const events = entries.flatMap(([id, fields]) => {
      const parsed = this.parse(id, fields[1] ?? '');
      return parsed ? [parsed] : [];
    });
    return events.length > limit ? { events: [], complete: false } : { events, complete: true };
  }

  /** Calls `handler` with every event any process publishes; returns the unsubscribe function. */
  async subscribe(handler: EventHandler): Promise<() => void> {
    this.handlers.add(handler);
    if (!this.subscriber) {
      this.subscriber = this.redis.duplicate({ enableAutoPipelining: false });
      this.subscriber.on('message', (_channel: string, message: string) => this.dispatch(message));
      this.subscriber.on('error', (err: Error) => this.logger.warn({ err: err.message }, 'event subscriber error'));
      await this.subscriber.subscribe(this.channel);
    }
    return () => void this.handlers.delete(handler);
  }

  /** Sends what is still lingering (the publisher's Redis connection must still be open), then unsubscribes. */
  async close(): Promise<void> {
    if (this.pending.size > 0) this.sendPending();
    this.handlers.clear();
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
    this.subscriber = undefined;
  }

  private streamKey(courtId: string): string {
    return `${this.prefix}:events:court:${courtId}`;
  }

  private parse(id: string, body: string): HotlineEvent | undefined {
    try {
      return { ...(JSON.parse(body) as Omit<HotlineEvent, 'id'>), id };
    } catch {
      return undefined;
    }
  }

  private dispatch(message: string): void {
    const newline = message.indexOf('\n');
    const id = message.slice(0, Math.max(newline, 0));
    const event = streamId.test(id) ? this.parse(id, message.slice(newline + 1)) : undefined;
    if (!event) {
      this.logger.warn('skipped an event that is not "<id>\\n<json>"');
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

/** Orders two stream ids ("<ms>-<seq>"). */
export function compareIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map(BigInt);
  const [bm = 0n, bs = 0n] = b.split('-').map(BigInt);
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1;
}
