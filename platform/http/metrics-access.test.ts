import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { Readiness } from '../health.ts';
import { createLogger } from '../logger.ts';
import { createMetrics } from '../metrics.ts';
import { createHttpServer } from './server.ts';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function server(options: { metricsToken?: string; trustProxy?: boolean | number | string[] } = {}) {
  app = createHttpServer({ logger: createLogger({ level: 'silent', pretty: false }), readiness: new Readiness(), metrics: createMetrics(), isStopping: () => false, ...options });
  return app;
}

describe('who may read /metrics', () => {
  it('without a token: this machine only, not a client elsewhere on the network', async () => {
    const app = server();
    expect((await app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics', remoteAddress: '::1' })).statusCode).toBe(200);
    const remote = await app.inject({ url: '/metrics', remoteAddress: '10.1.2.3' });
    expect(remote.statusCode).toBe(403);
    expect(remote.json()).toMatchObject({ code: 'forbidden' });
    expect(remote.body).not.toContain('process_cpu');
  });

  it('without a token, behind a trusted proxy: the client the proxy names decides, not the proxy', async () => {
    const app = server({ trustProxy: ['loopback'] });
    const viaProxy = await app.inject({ url: '/metrics', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(viaProxy.statusCode).toBe(403);
  });

  it('with a token: the right bearer token from anywhere, nothing without it', async () => {
    const app = server({ metricsToken: 'a-metrics-token-0123456789' });
    const none = await app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toContain('Bearer');
    const wrong = await app.inject({ url: '/metrics', remoteAddress: '10.1.2.3', headers: { authorization: 'Bearer a-metrics-token-012345678' } });
    expect(wrong.statusCode).toBe(401);
    const right = await app.inject({ url: '/metrics', remoteAddress: '10.1.2.3', headers: { authorization: 'Bearer a-metrics-token-0123456789' } });
    expect(right.statusCode).toBe(200);
    expect(right.body).toMatch(/^process_cpu_user_seconds_total \d/m);
  });

  it('/healthz and /readyz stay open to probes', async () => {
    const app = server({ metricsToken: 'a-metrics-token-0123456789' });
    expect((await app.inject({ url: '/healthz', remoteAddress: '10.1.2.3' })).statusCode).toBe(200);
  });
});
