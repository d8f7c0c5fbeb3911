import type { Redis } from '../../platform/redis/connect.ts';
import type { SupervisionView } from './types.ts';

/**
 * Who supervises which call, for every process (`<prefix>:tel:supervision`, field = call id): the controller holding
 * the call writes it, API processes read it to check a request and to list calls. Redis may lose it: the
 * controller's own sessions decide, and a restart clears what no controller holds (reconnect.ts).
 */
export class SupervisionViews {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}:tel:supervision`;
  }

  async set(view: SupervisionView): Promise<void> {
    await this.redis.hset(this.key, view.callId, JSON.stringify(view));
  }

  async remove(callId: string): Promise<void> {
    await this.redis.hdel(this.key, callId);
  }

  async get(callId: string): Promise<SupervisionView | null> {
    const text = await this.redis.hget(this.key, callId);
    return text ? (JSON.parse(text) as SupervisionView) : null;
  }

  async all(): Promise<SupervisionView[]> {
    const map = await this.redis.hgetall(this.key);
    return Object.values(map).map((text) => JSON.parse(text) as SupervisionView);
  }
}
