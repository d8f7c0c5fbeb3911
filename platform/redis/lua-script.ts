import { createHash } from 'node:crypto';
import type { Redis } from './connect.ts';

/**
 * A Lua script run by its SHA1 (EVALSHA), so its source crosses the wire and is hashed by Redis only the
 * first time each server sees it; a server that does not know it (new, restarted, SCRIPT FLUSH) gets the
 * source once through EVAL, which also caches it there.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
