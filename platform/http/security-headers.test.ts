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

describe('security headers', () => {
  it('every response carries a CSP that forbids framing and allows the SIP websocket, nosniff and no referrer', async () => {
    app = createHttpServer({
      logger: createLogger({ level: 'silent', pretty: false }),
      readiness: new Readiness(),
      metrics: createMetrics(),
      isStopping: () => false,
      connectSources: ['wss://pbx.court.example:8089/ws'],
    });
    app.get('/page', async () => 'ok');
    for (const url of ['/page', '/healthz', '/no-such-route']) {
      const response = await app.inject({ url });
      const csp = String(response.headers['content-security-policy']);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("connect-src 'self' wss://pbx.court.example:8089");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(csp).not.toContain('unsafe-eval');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    }
  });
});
