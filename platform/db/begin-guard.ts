import type pg from 'pg';

type QueryArg = string | { text?: string } | undefined;

const isBegin = (query: QueryArg): boolean => /^\s*begin\b/i.test(typeof query === 'string' ? query : (query?.text ?? ''));

/**
 * drizzle's node-postgres transaction() sends BEGIN before the try/finally that releases its pooled client, so a
 * BEGIN that fails (the connection died while idle, an admin shutdown) leaks the client for the life of the
 * process, and a few such failures exhaust the pool (drizzle-orm#6241, #6341; unfixed in 0.45). Guarded here:
 * a client whose BEGIN fails is released with the error, so the pool drops it and opens a fresh one. Nothing
 * else in the project sends BEGIN on a pooled client (transactions all go through drizzle).
 */
export function releaseClientsOnFailedBegin(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const result = query(...args);
      if (isBegin(args[0] as QueryArg) && result instanceof Promise) {
        result.catch((err: Error) => {
          client.release(err);
          // drizzle never releases after a failed BEGIN; should a caller do so anyway, it must not throw.
          client.release = () => undefined;
        });
      }
      return result;
    };
  });
}
