import { createServer } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/harness/database.ts';
import { getJson, useHotline } from '../../test/harness/hotline.ts';
import { useRedisPrefix, spawnRedis } from '../../test/harness/redis.ts';
import { useTcpProxy } from '../../test/harness/tcp-proxy.ts';

async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!ok(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}

describe('/healthz and /readyz', () => {
  it('report each dependency truthfully as Redis and PostgreSQL stop and come back', async () => {
    const dbUrl = new URL(await useTestDatabase());
    const pgProxy = await useTcpProxy(dbUrl.hostname, Number(dbUrl.port || 5432));
    dbUrl.host = `127.0.0.1:${pgProxy.port}`;
    const redis = await spawnRedis();
    const hotline = await useHotline({ DATABASE_URL: dbUrl.toString(), REDIS_URL: redis.url, REDIS_PREFIX: useRedisPrefix() });
    const readyz = () => getJson(`${hotline.url}/readyz`);

    const up = await readyz();
    expect(up.status).toBe(200);
    expect(up.body.checks).toMatchObject({ database: { ok: true }, redis: { ok: true } });
    expect(up.body.checks.ari).toBeUndefined(); // no telephony role, no ARI check

    await redis.stop();
    const noRedis = await eventually(readyz, (r) => r.status === 503);
    expect(noRedis.body).toMatchObject({ ready: false, checks: { redis: { ok: false }, database: { ok: true } } });
    expect(noRedis.body.checks.redis.error).toBeTruthy();
    expect((await getJson(`${hotline.url}/healthz`)).status).toBe(200);

    await redis.restart();
    expect((await eventually(readyz, (r) => r.status === 200)).body.checks.redis.ok).toBe(true);

    await pgProxy.cut();
    const noDb = await eventually(readyz, (r) => r.status === 503);
    expect(noDb.body).toMatchObject({ ready: false, checks: { database: { ok: false }, redis: { ok: true } } });
    expect((await getJson(`${hotline.url}/healthz`)).status).toBe(200);

    await pgProxy.restore();
    expect((await eventually(readyz, (r) => r.status === 200)).body.checks.database.ok).toBe(true);
  });

  it('checks Asterisk ARI when the telephony role runs', async () => {
    let pong = false;
    const ari = createServer((req, res) => {
      const authorized = req.headers.authorization === `Basic ${Buffer.from('hotline:secret').toString('base64')}`;
      if (!authorized) return void res.writeHead(401).end(JSON.stringify({ message: 'Authentication required' }));
      if (req.url !== '/ari/asterisk/ping' || !pong) return void res.writeHead(503).end();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ping: 'pong', timestamp: '2026-11-21T11:12:44.516+0000', asterisk_id: '02:fc:00:00:00:01' }));
    });
    await new Promise<void>((r) => ari.listen(0, '127.0.0.1', r));
    afterAll(() => new Promise<void>((r) => ari.close(() => r())));
    const address = ari.address() as { port: number };
    const hotline = await useHotline({
      DATABASE_URL: await useTestDatabase(),
      REDIS_PREFIX: useRedisPrefix(),
      HOTLINE_ROLES: 'telephony',
      ARI_URL: `http://127.0.0.1:${address.port}`,
      ARI_PASSWORD: 'secret',
    });
    const down = await getJson(`${hotline.url}/readyz`);
    expect(down.status).toBe(503);
    expect(down.body.checks.ari).toMatchObject({ ok: false, error: expect.stringContaining('HTTP 503') });

    pong = true;
    const up = await getJson(`${hotline.url}/readyz`);
    expect(up.status).toBe(200);
    expect(up.body.checks.ari.ok).toBe(true);
  });
});
