import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Capability } from '../platform/deps.ts';
import { registerTicketRoutes } from './routes.ts';
import { createTicketsRuntime, type TicketsOptions, type TicketsRuntime } from './runtime.ts';
import { seedReferenceData } from './seed.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The tickets capability's service, for the API's routes. */
    tickets: TicketsRuntime['service'];
  }
}

/**
 * Work orders. Every process gets the service (and seeds the shipped categories and calendar); processes with
 * `api` serve the HTTP routes; `api` or `workers` run the outbox relay; `workers` runs the five stage workers.
 */
export function ticketsCapability(options: TicketsOptions = {}): Capability {
  return {
    name: 'tickets',
    async register(deps) {
      await seedReferenceData(deps.db);
      const runtime = createTicketsRuntime(deps, options);
      deps.http.decorate('tickets', runtime.service);
      if (deps.roles.has('api')) registerTicketRoutes(deps.http.withTypeProvider<ZodTypeProvider>(), runtime.service);
      runtime.start({ relay: deps.roles.has('api') || deps.roles.has('workers'), workers: deps.roles.has('workers') });
      deps.lifecycle.onDrain('tickets outbox relay', () => runtime.stop());
    },
  };
}

export const tickets = ticketsCapability();
