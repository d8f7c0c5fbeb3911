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
 * Saves and removals made within a few milliseconds (`lingerMs`) go out together, as one HSET (a call's last
 * state wins, and only it is serialised: the machine's states are never changed in place) and one HDEL; they
 * never block a call. At a busy hotline's pace that gathers many calls' steps
 * into one write, where a tick held about one call's. The API checks operators' requests against this state,
 * which so trails the controller by up to the linger and a write (docs/telephony.md, transfers). ioredis sends
 * one connection's commands in order, so a later save or removal always lands after an earlier one.
 */
export class CallStore {
  private readonly key: string;
  /** Per app: the start time of the Asterisk whose calls were last reconciled (see `reconciledAsterisk`). */
  private readonly asteriskKey: string;
  /** Saves not yet sent, by call id, and removals not yet sent. */
  private pending = new Map<string, CallSnapshot>();
  private removals = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly app: string,
    private readonly logger: Logger,
    private readonly lingerMs = 5,
  ) {
    this.key = `${prefix}:tel:live-calls`;
    this.asteriskKey = `${prefix}:tel:asterisk`;
  }

  save(snapshot: CallSnapshot): void {
    this.removals.delete(snapshot.state.callId);
    this.pending.set(snapshot.state.callId, snapshot);
    this.schedule();
  }

  remove(callId: string): void {
    // A save still waiting is dropped: it must not bring the call back.
    this.pending.delete(callId);
    this.removals.add(callId);
    this.schedule();
  }

  /** Sends the waiting saves and removals now (shutdown: before the connection closes). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const saves = new Map<string, string>();
    for (const [callId, snapshot] of this.pending) saves.set(callId, JSON.stringify({ ...snapshot, app: this.app } satisfies Saved));
    const removals = this.removals;
    this.pending = new Map();
    this.removals = new Set();
    if (saves.size > 0) void this.redis.hset(this.key, saves).catch((err: Error) => this.logger.warn({ err: err.message, calls: [...saves.keys()] }, 'could not save live calls to Redis'));
    if (removals.size > 0) void this.redis.hdel(this.key, ...removals).catch((err: Error) => this.logger.warn({ err: err.message, calls: [...removals] }, 'could not remove live calls from Redis'));
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), this.lingerMs);
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

  /** Every live call of the deployment: this app's and, with several nodes (ARI_NODES), each node's (`<app>@<node>`). */
  async listAcrossNodes(): Promise<CallSnapshot[]> {
    const all = await this.redis.hgetall(this.key);
    const list: CallSnapshot[] = [];
    for (const text of Object.values(all)) {
      const { app, ...snapshot } = JSON.parse(text) as Saved;
      if (app === this.app || app.startsWith(`${this.app}@`)) list.push(snapshot);
    }
    return list;
  }

  /** The Asterisk node a live call was last saved for (`<app>@<node>`), or null (one node, or no such call). */
  async nodeOf(callId: string): Promise<string | null> {
    const text = await this.redis.hget(this.key, callId);
    if (!text) return null;
    const { app } = JSON.parse(text) as Saved;
    const at = app.indexOf('@');
    return at < 0 ? null : app.slice(at + 1);
  }

  /** One live call as last saved, or null. */
  async get(callId: string): Promise<CallSnapshot | null> {
    const text = await this.redis.hget(this.key, callId);
    if (!text) return null;
    const { app: _app, ...snapshot } = JSON.parse(text) as Saved;
    return snapshot;
  }

  /**
   * The start time of the Asterisk whose calls were last reconciled, by whichever controller did it: another one
   * now means Asterisk restarted meanwhile, even across a controller restart. Null when never recorded.
   */
  async reconciledAsterisk(): Promise<string | null> {
    return this.redis.hget(this.asteriskKey, this.app);
  }

  async setReconciledAsterisk(startup: string): Promise<void> {
    await this.redis.hset(this.asteriskKey, this.app, startup);
  }

  /** Whether any controller (of any app) holds this call as live. */
  async isLive(callId: string): Promise<boolean> {
    return (await this.redis.hexists(this.key, callId)) === 1;
  }
}
