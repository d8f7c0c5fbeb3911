import type { FastifyInstance } from 'fastify';
import type { Config, Role } from './config/schema.ts';
import type { Db } from './db/client.ts';
import type { Listen } from './db/notifications.ts';
import type { EventBus } from './events.ts';
import type { Readiness } from './health.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { Queues } from './queues.ts';
import type { Redis } from './redis/connect.ts';
import type { Seals } from './seals/seals.ts';

/**
 * The services capabilities expose to one another, by name. Empty here: each capability adds its own by module
 * augmentation (`declare module '../platform/deps.ts' { interface Services { tickets: TicketService } }`) and
 * sets it in register(); a capability registered later reads it with `serviceOf(deps, 'tickets')`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by module augmentation
export interface Services {}

/** Everything a capability is given; built once by the composition root (hotline.ts). */
export interface Deps {
  config: Config;
  logger: Logger;
  /** The roles this process runs; a capability registers only the parts its roles need. */
  roles: ReadonlySet<Role>;
  db: Db;
  /** NOTIFY channels of the same database (platform/db/notifications.ts). */
  listen: Listen;
  redis: Redis;
  queues: Queues;
  /** Realtime events for the consoles, fanned out across processes. */
  events: EventBus;
  http: FastifyInstance;
  readiness: Readiness;
  metrics: Metrics;
  lifecycle: Lifecycle;
  /** The seal key, this process's head log and the checkpoint file: what the domains' writers seal with (platform/seals). */
  seals: Seals;
  /** Filled during register(), in the order of `capabilities` (hotline.ts). */
  services: Partial<Services>;
}

/** A capability folder's plugin.ts exports one of these. */
export interface Capability {
  name: string;
  register(deps: Deps): Promise<void> | void;
}

/** A service another capability set in its register(); fails start-up, naming the fix, when it is not there. */
export function serviceOf<Name extends keyof Services>(deps: Deps, name: Name): Services[Name] {
  const service = deps.services[name];
  if (service === undefined) throw new Error(`no "${String(name)}" service: register the capability that provides it before this one (capabilities in hotline.ts)`);
  return service as Services[Name];
}
