import type { FastifyInstance } from 'fastify';
import type { Config, Role } from './config/schema.ts';
import type { Db } from './db/client.ts';
import type { EventBus } from './events.ts';
import type { Readiness } from './health.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { Queues } from './queues.ts';
import type { Redis } from './redis/connect.ts';

/** Everything a capability is given; built once by the composition root (hotline.ts). */
export interface Deps {
  config: Config;
  logger: Logger;
  /** The roles this process runs; a capability registers only the parts its roles need. */
  roles: ReadonlySet<Role>;
  db: Db;
  redis: Redis;
  queues: Queues;
  /** Realtime events for the consoles, fanned out across processes. */
  events: EventBus;
  http: FastifyInstance;
  readiness: Readiness;
  metrics: Metrics;
  lifecycle: Lifecycle;
}

/** A capability folder's plugin.ts exports one of these. */
export interface Capability {
  name: string;
  register(deps: Deps): Promise<void> | void;
}
