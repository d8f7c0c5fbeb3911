import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from '../logger.ts';
import { closeConnectionsWhileStopping } from './close.ts';
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
}

const probePaths = new Set(['/healthz', '/readyz', '/metrics']);
/** A request slower than this is logged at info even when it succeeds. */
const slowRequestMs = 1000;

/**
 * The process's HTTP server: operational endpoints in every role; the api role adds the product's routes.
 */
export function createHttpServer({ logger, readiness, metrics, isStopping, trustProxy = false }: HttpServerOptions): FastifyInstance {
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

  app.get('/metrics', async (_request, reply) => {
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return app;
}
