import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Logger } from '../logger.ts';

/**
 * Subscribes to a PostgreSQL NOTIFY channel. `onNotify` runs for every notification, and also with '' after every
 * (re)connect, since what was sent while the connection was down is lost: a listener refreshes what it knows then.
 * Resolves with a function that stops listening.
 */
export type Listen = (channel: string, onNotify: (payload: string) => void) => Promise<() => Promise<void>>;

const channelName = /^[a-z_][a-z0-9_]*$/;
const retryMs = 1000;

/** PostgreSQL: one connection of its own per channel, outside the pool, reconnected until stopped. */
export function listenPostgres(url: string, logger: Logger): Listen {
  return async (channel, onNotify) => {
    if (!channelName.test(channel)) throw new Error(`invalid NOTIFY channel name: ${channel}`);
    const log = logger.child({ component: 'db-listen', channel });
    let client: pg.Client | undefined;
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const again = () => {
      if (stopped || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        void connect();
      }, retryMs);
    };
    const connect = async () => {
      // keepAlive: a connection a firewall silently drops while idle must end (and be replaced), not hang.
      const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
      client = c;
      c.on('error', (err) => log.warn({ err: err.message }, 'notification connection lost: reconnecting'));
      c.on('end', () => {
        if (client !== c) return;
        client = undefined;
        again();
      });
      c.on('notification', (n) => {
        if (n.channel === channel) onNotify(n.payload ?? '');
      });
      try {
        await c.connect();
        await c.query(`listen ${channel}`);
        if (stopped) return void (await c.end().catch(() => undefined));
        onNotify('');
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'could not listen for notifications: retrying');
        if (client === c) client = undefined;
        await c.end().catch(() => undefined);
        again();
      }
    };
    await connect();
    return async () => {
      stopped = true;
      clearTimeout(timer);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    };
  };
}

/** PGlite: the embedded database notifies in-process; it never disconnects. */
export function listenPglite(client: PGlite): Listen {
  return async (channel, onNotify) => {
    if (!channelName.test(channel)) throw new Error(`invalid NOTIFY channel name: ${channel}`);
    const unlisten = await client.listen(channel, onNotify);
    onNotify('');
    return () => unlisten();
  };
}
