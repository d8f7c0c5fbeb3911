import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from '../logger.ts';
import type { Readiness } from '../health.ts';
import type { Metrics } from '../metrics.ts';

export interface HttpServerOptions {
  logger: Logger;
  readiness: Readiness;
  metrics: Metrics;
  /** While true, /readyz answers 503 so load balancers stop sending work. */
  isStopping: () => boolean;
}

const probePaths = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The process's HTTP server: operational endpoints in every role; the api role adds the product's routes.
 */
export function createHttpServer({ logger, readiness, metrics, isStopping }: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Probes hit these every few seconds; logging each would drown the useful lines.
    logController: new LogController({ disableRequestLogging: (request) => probePaths.has(request.url) }),
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

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
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
