import { randomBytes } from 'node:crypto';
import type { Redis } from '../../platform/redis/connect.ts';

// Compare the token, then act: only the holder renews or releases (a lease taken over meanwhile is left alone).
const renewScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const releaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * A node's lease in Redis (`<prefix>:tel:node:<node>:lease`): SET NX PX with a random token. The value is
 * `<holder>|<token>`, so /readyz and logs can say who holds a node without a second key.
 */
export class NodeLease {
  readonly key: string;
  private readonly value: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    readonly node: string,
    readonly holder: string,
    readonly ttlMs: number,
  ) {
    this.key = `${prefix}:tel:node:${node}:lease`;
    this.value = `${holder}|${randomBytes(12).toString('hex')}`;
  }

  /** True when this controller now holds the node (it was free, or its last holder's lease ran out). */
  async acquire(): Promise<boolean> {
    return (await this.redis.set(this.key, this.value, 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  /** True while still ours; false once another token holds it or it expired (it is not taken back then). */
  async renew(): Promise<boolean> {
    return (await this.redis.eval(renewScript, 1, this.key, this.value, String(this.ttlMs))) === 1;
  }

  async release(): Promise<void> {
    await this.redis.eval(releaseScript, 1, this.key, this.value);
  }

  /** Says this controller prefers the node (ARI_NODES_PREFER): a holder that does not prefer it hands it over. */
  async want(): Promise<void> {
    await this.redis.set(`${this.key}:wanted`, this.holder, 'PX', 2500);
  }

  /** Whether another controller that prefers the node is waiting for it. */
  async wantedByOther(): Promise<boolean> {
    const by = await this.redis.get(`${this.key}:wanted`);
    return by !== null && by !== this.holder;
  }

  /** Who holds the node now (`holder` part of the value), or null when nobody does. */
  async currentHolder(): Promise<string | null> {
    const v = await this.redis.get(this.key);
    return v === null ? null : v.slice(0, v.lastIndexOf('|'));
  }
}
