import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import { useTcpProxy } from '../../test/harness/tcp-proxy.ts';
import { openDatabase } from './client.ts';
import { listenPostgres } from './notifications.ts';

const logger = createLogger({ level: 'silent', pretty: false });
const url = new URL(await useTestDatabase());
const proxy = await useTcpProxy(url.hostname, Number(url.port || 5432));
const proxied = new URL(url);
proxied.port = String(proxy.port);
const notifier = new pg.Client({ connectionString: url.toString() });
await notifier.connect();
afterAll(() => notifier.end());

describe('database notifications', () => {
  it('delivers NOTIFY on PostgreSQL, and after a lost connection reconnects and says so with an empty payload', async () => {
    const got: string[] = [];
    const stop = await listenPostgres(proxied.toString(), logger)('test_changes', (p) => got.push(p));
    expect(got).toEqual(['']);
    await notifier.query(`select pg_notify('test_changes', 'one')`);
    await expect.poll(() => got, { timeout: 2000 }).toEqual(['', 'one']);

    await proxy.cut();
    await notifier.query(`select pg_notify('test_changes', 'missed')`);
    await proxy.restore();
    // What was sent while away is lost: the listener is told to reload instead.
    await expect.poll(() => got, { timeout: 5000 }).toEqual(['', 'one', '']);
    await notifier.query(`select pg_notify('test_changes', 'two')`);
    await expect.poll(() => got, { timeout: 2000 }).toEqual(['', 'one', '', 'two']);
    await stop();
    await notifier.query(`select pg_notify('test_changes', 'after stop')`);
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toHaveLength(4);
  });

  it('refuses a channel name that is not a plain identifier', async () => {
    await expect(listenPostgres(url.toString(), logger)('x; drop table y', () => undefined)).rejects.toThrow(/invalid NOTIFY channel name/);
  });

  it('delivers NOTIFY on the embedded PGlite database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pglite-listen-'));
    const database = await openDatabase({ poolSize: 1, dataDir: dir, logger });
    try {
      const got: string[] = [];
      const stop = await database.listen('test_changes', (p) => got.push(p));
      await database.db.execute(`select pg_notify('test_changes', 'one')` as never);
      await expect.poll(() => got, { timeout: 2000 }).toEqual(['', 'one']);
      await stop();
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
