import type { Redis } from '../../platform/redis/connect.ts';
import type { PresenceState } from '../presence/presence-state.ts';
import { claimManyScript } from './claim-many.lua.ts';
import { transitionScript } from './transition.lua.ts';
import { LuaScript } from '../../platform/redis/lua-script.ts';

export interface OperatorLive {
  userId: string;
  courtId: string | null;
  endpoint: string;
  skills: string[];
  state: PresenceState;
  reason: string;
  since: number;
  callId: string;
}

// The longest-idle ready operator with the skill becomes ringing for this call, atomically across controllers.
const claimScript = new LuaScript(`
local ops = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, op in ipairs(ops) do
  local key = ARGV[2] .. op
  local st = redis.call('HMGET', key, 'state', 'skills', 'endpoint')
  if st[1] == 'ready' then
    local skills = st[2]
    if (not skills) or skills == '' or string.find(','..skills..',', ','..ARGV[1]..',', 1, true) then
      redis.call('ZREM', KEYS[1], op)
      redis.call('HSET', key, 'state', 'ringing', 'since', ARGV[3], 'callId', ARGV[4], 'reason', '')
      redis.call('ZADD', KEYS[2], ARGV[5], op)
      return {op, st[3] or ''}
    end
  else
    redis.call('ZREM', KEYS[1], op)
  end
end
return false`);

/**
 * Queue and operator state in Redis under the deployment's prefix, so a restarted controller (or another
 * one) sees the same operators and waiting callers.
 */
export class LiveState {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(...parts: string[]): string {
    return [this.prefix, 'tel', ...parts].join(':');
  }
  private opKey(userId: string): string {
    return this.key('op', userId);
  }
  private readyKey(courtId: string | null): string {
    return this.key('ready', courtId ?? 'none');
  }
  private queueKey(courtId: string | null): string {
    return this.key('queue', courtId ?? 'none');
  }
  private get dueKey(): string {
    return this.key('due');
  }

  async register(op: { userId: string; courtId: string | null; endpoint: string; skills: string[] }): Promise<void> {
    await this.redis
      .multi()
      .hset(this.opKey(op.userId), { courtId: op.courtId ?? '', endpoint: op.endpoint, skills: op.skills.join(',') })
      .sadd(this.key('ops', op.courtId ?? 'none'), op.userId)
      .exec();
  }

  /** New skills for an operator already in the queue (an admin's change applies to their next call); else nothing. */
  async updateSkills(userId: string, skills: string[]): Promise<void> {
    if (await this.redis.hexists(this.opKey(userId), 'endpoint')) await this.redis.hset(this.opKey(userId), { skills: skills.join(',') });
  }

  async operator(userId: string): Promise<OperatorLive | null> {
    const h = await this.redis.hgetall(this.opKey(userId));
    if (!h.endpoint) return null;
    return {
      userId,
      courtId: h.courtId || null,
      endpoint: h.endpoint,
      skills: h.skills ? h.skills.split(',') : [],
      state: (h.state as PresenceState) ?? 'logged_out',
      reason: h.reason ?? '',
      since: Number(h.since ?? 0),
      callId: h.callId ?? '',
    };
  }

  async operators(courtId: string | null): Promise<OperatorLive[]> {
    const ids = await this.redis.smembers(this.key('ops', courtId ?? 'none'));
    const list = await Promise.all(ids.map((id) => this.operator(id)));
    return list.filter((o): o is OperatorLive => o !== null);
  }

  /** Every registered operator of every court. */
  async allOperators(): Promise<OperatorLive[]> {
    const courts: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', this.key('ops', '*'), 'COUNT', 200);
      cursor = next;
      courts.push(...keys);
    } while (cursor !== '0');
    const ids = new Set((await Promise.all(courts.map((k) => this.redis.smembers(k)))).flat());
    const list = await Promise.all([...ids].map((id) => this.operator(id)));
    return list.filter((o): o is OperatorLive => o !== null);
  }

  /**
   * Changes state only from one of `from`; returns whether it did, the state before, the operator's court and the
   * state and reason written (null when no such operator is registered). `leaving` (see transition.lua.ts): 'clear'
   * drops a signed-out-mid-call mark, 'redirect' drops it and turns this move into a sign-out when it was set.
   */
  async transition(
    userId: string,
    from: readonly PresenceState[],
    to: PresenceState,
    opts: { now: number; reason?: string; callId?: string; dueAt?: number; leaving?: 'clear' | 'redirect' },
  ): Promise<{ changed: boolean; previous: PresenceState; courtId: string | null; to: PresenceState; reason: string } | null> {
    const [changed, previous, court, written, reason] = (await transitionScript.run(
      this.redis,
      [this.opKey(userId), this.dueKey],
      [from.join(','), to, String(opts.now), String(opts.now), opts.reason ?? '', opts.callId ?? '', String(opts.dueAt ?? 0), userId, this.key('ready', ''), opts.leaving ?? ''],
    )) as [number, PresenceState, string, PresenceState, string];
    if (changed === -1) return null;
    return { changed: changed === 1, previous, courtId: court || null, to: written, reason };
  }

  async claim(courtId: string | null, skill: string, callId: string, now: number, dueAt: number): Promise<{ userId: string; endpoint: string } | null> {
    const result = (await claimScript.run(this.redis, [this.readyKey(courtId), this.dueKey], [skill, this.key('op', ''), String(now), callId, String(dueAt)])) as
      | [string, string]
      | null;
    return result ? { userId: result[0], endpoint: result[1] } : null;
  }

  /**
   * A whole dispatch round in one round trip (see claim-many.lua.ts): `adding` are calls not yet in the queue,
   * added first at their own time; calls given in any order, served in queue order.
   */
  async claimMany(
    courtId: string | null,
    calls: Array<{ callId: string; skill: string }>,
    now: number,
    dueAt: number,
    adding: Array<{ callId: string; enqueuedAt: number }> = [],
  ): Promise<Array<{ callId: string; userId: string; endpoint: string }>> {
    if (calls.length === 0 && adding.length === 0) return [];
    const args = [...adding.flatMap((c) => [c.callId, String(c.enqueuedAt)]), ...calls.flatMap((c) => [c.callId, c.skill])];
    const flat = (await claimManyScript.run(this.redis, [this.queueKey(courtId), this.readyKey(courtId), this.dueKey], [this.key('op', ''), String(now), String(dueAt), String(adding.length), ...args])) as string[];
    const out: Array<{ callId: string; userId: string; endpoint: string }> = [];
    for (let i = 0; i + 2 < flat.length; i += 3) out.push({ callId: flat[i]!, userId: flat[i + 1]!, endpoint: flat[i + 2]! });
    return out;
  }

  /** Marks an operator who left (signed out) while a call was in hand: they leave the queue when it ends. */
  async markLeaving(userId: string): Promise<void> {
    await this.redis.hset(this.opKey(userId), 'leaving', '1');
  }

  /** Clears the mark; answers whether it was set. */
  async takeLeaving(userId: string): Promise<boolean> {
    return (await this.redis.hdel(this.opKey(userId), 'leaving')) === 1;
  }

  /** Operators whose wrap-up or ring is due by `now`. */
  async due(now: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.dueKey, 0, now);
  }

  async enqueue(courtId: string | null, callId: string, enqueuedAt: number): Promise<void> {
    await this.redis.zadd(this.queueKey(courtId), String(enqueuedAt), callId);
  }

  async dequeue(courtId: string | null, callId: string): Promise<boolean> {
    return (await this.redis.zrem(this.queueKey(courtId), callId)) === 1;
  }

  /** How many callers wait ahead of this one (null when it is not waiting). */
  async ahead(courtId: string | null, callId: string): Promise<number | null> {
    return this.redis.zrank(this.queueKey(courtId), callId);
  }

  async waiting(courtId: string | null): Promise<Array<{ callId: string; enqueuedAt: number }>> {
    const flat = await this.redis.zrange(this.queueKey(courtId), '0', '-1', 'WITHSCORES');
    const list: Array<{ callId: string; enqueuedAt: number }> = [];
    for (let i = 0; i < flat.length; i += 2) list.push({ callId: flat[i]!, enqueuedAt: Number(flat[i + 1]) });
    return list;
  }
}
