import type { Redis } from '../../platform/redis/connect.ts';
import type { Logger } from '../../platform/logger.ts';
import type { CallState } from './types.ts';

/** What a controller needs to take over a live call it did not start: the machine state and the call's record keys. */
export interface CallSnapshot {
  state: CallState;
  arrivedAt: number;
  dialled: string;
  /** Last call event sequence number used. */
  eventSeq: number;
}

type Saved = CallSnapshot & { app: string };

/**
 * Live calls in Redis, one hash for the deployment (`<prefix>:tel:live-calls`, field = call id, value = the
 * snapshot and its Stasis app), saved after every step so a controller that starts after another one stopped
 * or crashed re-adopts them. One hash rather than a key per call plus an index set: a save is one HSET and
 * the end of a call one HDEL, with no instant where the index and the keys disagree.
 * Saves made in one tick go out together as one HSET (a call's last state that tick wins), on the next
 * turn of the event loop; they never block a call. The API checks operators' requests against this state,
 * which so trails the controller by a tick and a write (docs/telephony.md, transfers). ioredis sends one
 * connection's commands in order, so a later save or the removal at close always lands after an earlier save.
 */
export class CallStore {
  private readonly key: string;
  /** Saves not yet sent, by call id (flushed once per tick: the first save of a tick schedules it). */
  private pending = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly app: string,
    private readonly logger: Logger,
  ) {
    this.key = `${prefix}:tel:live-calls`;
  }

  save(snapshot: CallSnapshot): void {
    if (this.pending.size === 0) setImmediate(() => this.flush());
    this.pending.set(snapshot.state.callId, JSON.stringify({ ...snapshot, app: this.app } satisfies Saved));
  }

  remove(callId: string): void {
    // A save still waiting for its tick is dropped: sent after the HDEL it would bring the call back.
    this.pending.delete(callId);
    void this.redis.hdel(this.key, callId).catch((err: Error) => this.logger.warn({ err: err.message, callId }, 'could not remove the live call from Redis'));
  }

  /** Sends the saves waiting for their tick now (shutdown: before the connection closes). */
  flush(): void {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    void this.redis.hset(this.key, batch).catch((err: Error) => this.logger.warn({ err: err.message, calls: [...batch.keys()] }, 'could not save live calls to Redis'));
  }

  /** Every live call saved for this app. */
  async list(): Promise<CallSnapshot[]> {
    const all = await this.redis.hgetall(this.key);
    const list: CallSnapshot[] = [];
    for (const text of Object.values(all)) {
      const { app, ...snapshot } = JSON.parse(text) as Saved;
      if (app === this.app) list.push(snapshot);
    }
    return list;
  }

  /** One live call as last saved, or null. */
  async get(callId: string): Promise<CallSnapshot | null> {
    const text = await this.redis.hget(this.key, callId);
    if (!text) return null;
    const { app: _app, ...snapshot } = JSON.parse(text) as Saved;
    return snapshot;
  }

  /** Whether any controller (of any app) holds this call as live. */
  async isLive(callId: string): Promise<boolean> {
    return (await this.redis.hexists(this.key, callId)) === 1;
  }
}
