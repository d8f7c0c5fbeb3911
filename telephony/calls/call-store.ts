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

/**
 * Live calls of one Stasis app in Redis (`<prefix>:tel:call:<id>` and the set `<prefix>:tel:calls:<app>`),
 * saved after every step, so a controller that starts after another one stopped or crashed re-adopts them.
 * Writes never block a call: ioredis sends one connection's commands in order, so a later save or the
 * removal at close always lands after an earlier save.
 */
export class CallStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly app: string,
    private readonly logger: Logger,
  ) {}

  private callKey(callId: string): string {
    return `${this.prefix}:tel:call:${callId}`;
  }
  private get setKey(): string {
    return `${this.prefix}:tel:calls:${this.app}`;
  }

  /** Call ids this store has put in the app's set (so a save after the first is one SET). */
  private readonly listed = new Set<string>();

  save(snapshot: CallSnapshot): void {
    const id = snapshot.state.callId;
    const failed = (err: Error) => this.logger.warn({ err: err.message, callId: id }, 'could not save the live call to Redis');
    // Set member before key: a crash between them leaves a member without a key, which list() cleans up.
    if (!this.listed.has(id)) {
      this.listed.add(id);
      void this.redis.sadd(this.setKey, id).catch(failed);
    }
    void this.redis.set(this.callKey(id), JSON.stringify(snapshot)).catch(failed);
  }

  remove(callId: string): void {
    this.listed.delete(callId);
    const failed = (err: Error) => this.logger.warn({ err: err.message, callId }, 'could not remove the live call from Redis');
    // Key before member: the reverse order of save, so no instant has a key that list() cannot find.
    void this.redis.del(this.callKey(callId)).catch(failed);
    void this.redis.srem(this.setKey, callId).catch(failed);
  }

  /** Every live call saved for this app. */
  async list(): Promise<CallSnapshot[]> {
    const ids = await this.redis.smembers(this.setKey);
    if (ids.length === 0) return [];
    const raw = await this.redis.mget(ids.map((id) => this.callKey(id)));
    const list: CallSnapshot[] = [];
    raw.forEach((text, i) => {
      if (text) list.push(JSON.parse(text) as CallSnapshot);
      else void this.redis.srem(this.setKey, ids[i]!);
    });
    return list;
  }

  /** One live call as last saved, or null. */
  async get(callId: string): Promise<CallSnapshot | null> {
    const text = await this.redis.get(this.callKey(callId));
    return text ? (JSON.parse(text) as CallSnapshot) : null;
  }

  /** Whether any controller (of any app) holds this call as live. */
  async isLive(callId: string): Promise<boolean> {
    return (await this.redis.exists(this.callKey(callId))) === 1;
  }
}
