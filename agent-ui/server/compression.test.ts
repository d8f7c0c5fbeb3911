import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/harness/database.ts';
import { useHotline } from '../../test/harness/hotline.ts';
import { useRedisPrefix } from '../../test/harness/redis.ts';
import { buildConsole } from '../build.ts';
import { consoleBuildDir } from './plugin.ts';

/** A GET with exactly these headers (fetch would add Accept-Encoding and decompress behind our back). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

let base = '';
beforeAll(async () => {
  await buildConsole();
  const hotline = await useHotline({ DATABASE_URL: await useTestDatabase(), REDIS_PREFIX: useRedisPrefix() });
  base = hotline.url;
}, 180_000);

describe('compressed answers', () => {
  it("sends the console's scripts as the build compressed them, Brotli or gzip as accepted, plain otherwise", async () => {
    const index = (await get(`${base}/`)).body.toString('utf8');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1];
    expect(script).toBeTruthy();
    const raw = readFileSync(join(consoleBuildDir, script!));

    const brotli = await get(`${base}${script}`, { 'accept-encoding': 'br, gzip' });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.body.length).toBeLessThan(raw.length / 2);
    expect(brotliDecompressSync(brotli.body).equals(raw)).toBe(true);

    const gzip = await get(`${base}${script}`, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).equals(raw)).toBe(true);

    const plain = await get(`${base}${script}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(raw)).toBe(true);
  });

  it('compresses API answers of 1 KiB or more, and leaves small ones plain', async () => {
    const plain = await get(`${base}/docs/json`);
    expect(plain.body.length).toBeGreaterThan(1024);
    const gzip = await get(`${base}/docs/json`, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.body).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
    const brotli = await get(`${base}/docs/json`, { 'accept-encoding': 'br' });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(brotli.body).equals(plain.body)).toBe(true);

    const small = await get(`${base}/healthz`, { 'accept-encoding': 'br, gzip' });
    expect(small.status).toBe(200);
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('names a favicon the build serves', async () => {
    const index = (await get(`${base}/`)).body.toString('utf8');
    const icon = /<link rel="icon" type="image\/svg\+xml" href="(\/assets\/[^"]+\.svg)"/.exec(index)?.[1];
    expect(icon).toBeTruthy();
    const answer = await get(`${base}${icon}`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toContain('image/svg+xml');
    expect(answer.body.toString('utf8')).toContain('<svg');
  });
});
