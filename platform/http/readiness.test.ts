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
  // The ARI check (the telephony role's websocket state) is tested in telephony/ari/connection.test.ts.

});
