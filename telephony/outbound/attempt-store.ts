import type { Redis } from '../../platform/redis/connect.ts';
import type { AttemptState, OutboundRequest } from './types.ts';

export interface SavedAttempt {
  state: AttemptState;
  request: OutboundRequest;
}

/**
 * The attempts in progress, saved in Redis after every step (as CallStore saves inbound calls), so a controller
 * that starts after a crash knows which outbound channels are whose and settles them. With several nodes each node
 * has its own list (`tel:ob:active@<node>`): a node's holder settles that node's attempts only.
 */
export class AttemptStore {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    node?: string,
  ) {
    this.key = `${prefix}:tel:ob:active${node ? `@${node}` : ''}`;
  }

  async save(saved: SavedAttempt): Promise<void> {
    await this.redis.hset(this.key, saved.state.id, JSON.stringify(saved));
  }

  async remove(id: string): Promise<void> {
    await this.redis.hdel(this.key, id);
  }

  async list(): Promise<SavedAttempt[]> {
    const all = await this.redis.hgetall(this.key);
    return Object.values(all).map((v) => JSON.parse(v) as SavedAttempt);
  }
}
