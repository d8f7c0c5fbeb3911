import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from '../logger.ts';
import { closeConnectionsWhileStopping } from './close.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { maskUrl } from '../masking.ts';
import type { Readiness } from '../health.ts';
import type { Metrics } from '../metrics.ts';

export interface HttpServerOptions {
  logger: Logger;
  readiness: Readiness;
  metrics: Metrics;
  /** While true, /readyz answers 503 so load balancers stop sending work. */
  isStopping: () => boolean;
  /** Fastify's trustProxy: whose X-Forwarded-* headers set request.ip and request.protocol (config http.trustProxy). */
  trustProxy?: boolean | number | string[];
  /** config http.metricsToken: /metrics asks for it as a bearer token; unset, /metrics answers loopback clients only. */
  metricsToken?: string | undefined;
  /** Origins the console's pages may connect to besides their own (the SIP websocket): the CSP's connect-src. */
  connectSources?: readonly string[];
}

const probePaths = new Set(['/healthz', '/readyz', '/metrics']);
/** A request slower than this is logged at info even when it succeeds. */
const slowRequestMs = 1000;

/**
 * The process's HTTP server: operational endpoints in every role; the api role adds the product's routes.
 */
export function createHttpServer({ logger, readiness, metrics, isStopping, trustProxy = false, metricsToken, connectSources = [] }: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    // Fastify now ignores a bare hop count (it trusts no one); a hop count means "trust the n nearest hops", as proxy-addr counts them.
    trustProxy: typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : trustProxy,
    loggerInstance: logger as FastifyBaseLogger,
    // At most one line per request, written when it completes (below), instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // Raised before routing (malformed URL, over-long path parameter): same {code, message, message_zh} shape as every error.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      void reply.code(error.statusCode && error.statusCode < 500 ? error.statusCode : 400).send({
        code: 'bad_url',
        message: 'The URL is malformed or too long.',
        message_zh: '请求地址格式有误或过长。',
      });
    },
  });

  closeConnectionsWhileStopping(app, isStopping);
  registerSecurityHeaders(app, { connectSources });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    // Probes hit these every few seconds; logging each would drown the useful lines.
    if (probePaths.has(request.url)) return;
    // Every route's rate, status and latency are in /metrics; the log gets a line for a failed or slow
    // request, and for every request only at debug (two lines per request cost more than the rest of a cached-session API call).
    const level = reply.statusCode >= 400 || reply.elapsedTime >= slowRequestMs ? 'info' : 'debug';
    // URLs can carry personal data (a caller's number in /api/telephony/callers/:number/history): masked, on every route.
    request.log[level]({ method: request.method, url: maskUrl(request.url), statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request completed');
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const report = await readiness.report();
    const stopping = isStopping();
    const ready = report.ready && !stopping;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : stopping ? 'stopping' : 'not ready', ...report, ready });
  });

  app.get('/metrics', async (request, reply) => {
    const refused = metricsRefusal(request, metricsToken);
    if (refused) return reply.code(refused.status).headers(refused.headers).send(refused.body);
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return app;
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
const isLoopback = (ip: string) => ip === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/i.test(ip);

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Who may read /metrics (it names routes, queues and volumes): with a token configured, whoever sends it as a bearer
 * token; without one, only a client on this machine (request.ip: the socket's address, or a trusted proxy's
 * X-Forwarded-For), so a port reachable from the network does not give it away.
 */
function metricsRefusal(request: FastifyRequest, token: string | undefined) {
  if (token !== undefined) {
    const sent = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim() ?? '';
    // Compared as digests: equal lengths for timingSafeEqual, and no early exit on the first differing byte.
    if (timingSafeEqual(digest(sent), digest(token))) return undefined;
    return {
      status: 401,
      headers: { 'www-authenticate': 'Bearer realm="metrics"' },
      body: { code: 'unauthenticated', message: 'Send the metrics token: Authorization: Bearer <HOTLINE_METRICS_TOKEN>.', message_zh: '请携带监控令牌（Authorization: Bearer）。' },
    };
  }
  if (isLoopback(request.ip)) return undefined;
  return {
    status: 403,
    headers: {},
    body: { code: 'forbidden', message: '/metrics answers only this machine; set HOTLINE_METRICS_TOKEN to scrape it from elsewhere.', message_zh: '监控指标仅限本机访问；如需远程采集，请设置 HOTLINE_METRICS_TOKEN。' },
  };
}
