/**
 * The composition root: builds config-driven infrastructure once and hands one typed `deps` object
 * to every capability's register(). main.ts runs it as a process; tests run it in-process.
 */
import type { Config } from './platform/config/schema.ts';
import { openDatabase, type Database } from './platform/db/client.ts';
import type { Capability, Deps } from './platform/deps.ts';
import { Readiness } from './platform/health.ts';
import { EventBus } from './platform/events.ts';
import { createHttpServer } from './platform/http/server.ts';
import { closeHttpServer } from './platform/http/close.ts';
import { registerIdempotency } from './platform/http/idempotency.ts';
import { Lifecycle } from './platform/lifecycle.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { createMetrics } from './platform/metrics.ts';
import { Queues } from './platform/queues.ts';
import { openRedis } from './platform/redis/open.ts';
import { duplicateRedis } from './platform/redis/connect.ts';
import { redisReadiness } from './platform/redis/readiness.ts';
import { applyHeapGrowth } from './platform/runtime/heap-growth.ts';
import { databaseName, openSeals, startCheckpoints } from './platform/seals/seals.ts';
import { qualityHeads } from './telephony/quality/trail-verify.ts';
import { callHeads } from './telephony/records/seal.ts';
import { ticketHeads } from './tickets/audit-seal.ts';
import { api } from './api/plugin.ts';
import { telephony } from './telephony/plugin.ts';
import { tickets } from './tickets/plugin.ts';
import { kpi } from './kpi/plugin.ts';
import { agentConsole } from './agent-ui/server/plugin.ts';

/**
 * Capabilities in registration order; each registers only what this process's roles need.
 * `api` comes first: its access control, error handler and docs cover the routes registered after it.
 */
export const capabilities: Capability[] = [api, tickets, telephony, kpi, agentConsole];

export interface Hotline {
  deps: Deps;
  database: Database;
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:8368 */
  url: string;
  /** Graceful stop: stop taking work, finish what is in hand, close connections. */
  stop(): Promise<void>;
}

export async function startHotline(config: Config, logger: Logger = createLogger(config.log)): Promise<Hotline> {
  const lifecycle = new Lifecycle(logger);
  try {
    return await assemble(config, logger, lifecycle);
  } catch (err) {
    await lifecycle.stop().catch(() => undefined);
    throw err;
  }
}

async function assemble(config: Config, logger: Logger, lifecycle: Lifecycle): Promise<Hotline> {
  const roles = new Set(config.roles);
  logger.info({ roles: [...roles] }, 'starting the 12368 hotline');
  // Call setups wait out full collections: a call-driving process makes them rare (platform/runtime/heap-growth.ts).
  if (roles.has('telephony')) applyHeapGrowth(config.runtime.heapGrowthPercent, logger);

  const opened = await openRedis(config.redis, config.dataDir, logger);
  if (opened.privateServer) lifecycle.onClose('private redis-server', opened.privateServer.stop);
  lifecycle.onClose('redis', async () => void (await opened.redis.quit().catch(() => opened.redis.disconnect())));

  const database = await openDatabase({ url: config.database.url, poolSize: config.database.poolSize, dataDir: config.dataDir, logger });
  lifecycle.onClose('database', database.close);
  await database.migrate();
  logger.info({ kind: database.kind }, 'database migrated');

  // The seal key (outside the database) signs the ticket trail and the call records; each seal also goes to this
  // process's head log beside the checkpoint file, and the workers write a signed checkpoint of every chain's head
  // at least hourly (docs/tickets.md, "Seals").
  const seals = openSeals(config, logger);
  seals.addHeads('tickets', ticketHeads);
  seals.addHeads('calls', callHeads);
  seals.addHeads('quality', qualityHeads);
  seals.openHeadLog(await databaseName(database.db), logger);
  lifecycle.onClose('seal head log', () => seals.headLog!.close());
  if (roles.has('workers')) lifecycle.onClose('seal checkpoints', startCheckpoints(seals, database.db, config.seals.checkpointMinutes, logger));

  const metrics = createMetrics();
  const readiness = new Readiness();
  readiness.add('database', database.ping);
  readiness.add('redis', redisReadiness(opened.redis, config.redis));

  // Realtime events on a connection of their own. The bus itself sends the events of a few milliseconds together
  // (one script call per court), so ioredis's auto-pipelining would only add a pipeline object per tick.
  const eventsRedis = duplicateRedis(opened.redis, logger, 'events', { enableAutoPipelining: false });
  const events = new EventBus(eventsRedis, config.redis.prefix, logger, config.api.eventBuffer);
  lifecycle.onClose('events', async () => {
    await events.close();
    await eventsRedis.quit().catch(() => eventsRedis.disconnect());
  });

  const queues = new Queues(opened.redis, config.redis.prefix, logger, roles.has('workers'), metrics);
  lifecycle.onClose('queues', () => queues.close());

  const http = createHttpServer({
    logger,
    readiness,
    metrics,
    isStopping: () => lifecycle.isStopping,
    trustProxy: config.http.trustProxy,
    metricsToken: config.http.metricsToken,
    // The console's softphone connects to Asterisk's SIP websocket: the one origin its CSP allows besides its own.
    connectSources: [config.console.sipWebSocketUrl],
  });
  // Idempotency-Key on every signed-in POST: a retried create replays its first answer (platform/http/idempotency.ts).
  registerIdempotency(http, { redis: opened.redis, prefix: config.redis.prefix });
  // Drain hooks run last registered first: the HTTP server stops taking requests before the workers finish
  // their jobs. Requests in hand get 10 s to finish; the jobs get as long (platform/queues.ts).
  lifecycle.onDrain('workers', () => queues.drainWorkers());
  lifecycle.onDrain('http server', () => closeHttpServer(http, 10_000));

  const deps: Deps = { config, logger, roles, db: database.db, listen: database.listen, redis: opened.redis, queues, events, http, readiness, metrics, lifecycle, seals, services: {} };
  for (const capability of capabilities) {
    await capability.register(deps);
    logger.debug({ capability: capability.name }, 'registered');
  }

  const url = await http.listen({ host: config.http.host, port: config.http.port });
  logger.info({ url, database: database.kind, redis: opened.privateServer ? 'private' : opened.url }, 'hotline ready');
  return { deps, database, url, stop: () => lifecycle.stop() };
}
