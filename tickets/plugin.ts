import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Capability } from '../platform/deps.ts';
import { registerTicketRoutes } from './routes.ts';
import { createTicketsRuntime, type TicketsOptions } from './runtime.ts';
import { seedReferenceData } from './seed.ts';
import { createSmsGateway } from './sms/gateway.ts';
import { registerSmsReceiptRoute } from './sms/receipt.routes.ts';
import { registerSmsRoutes } from './sms/sms.routes.ts';
import type { TicketService } from './service.ts';

declare module '../platform/deps.ts' {
  interface Services {
    /** Work orders: telephony creates tickets from calls, kpi reads them; every command takes the acting user. */
    tickets: TicketService;
  }
}

/**
 * Work orders. Every process gets the service, as `deps.services.tickets` (and seeds the shipped categories and
 * calendar); `api` serves the HTTP routes; `api` or `workers` run the outbox relay; `workers` the five stage workers.
 */
export function ticketsCapability(options: TicketsOptions = {}): Capability {
  return {
    name: 'tickets',
    async register(deps) {
      await seedReferenceData(deps.db);
      const { chaseConcurrency, chaseBatch, notifyConcurrency } = deps.config.tickets;
      const smsConfig = deps.config.sms;
      const sms = options.sms ?? createSmsGateway(smsConfig, deps.logger.child({ capability: 'tickets', part: 'sms' }));
      const runtime = createTicketsRuntime(deps, {
        smsReceiptTimeoutMs: smsConfig.receiptTimeoutSeconds * 1000,
        ...options,
        sms,
        concurrency: { chase: chaseConcurrency, chaseBatch, notify: notifyConcurrency, ...options.concurrency },
      });
      deps.services.tickets = runtime.service;
      if (deps.roles.has('api')) {
        const app = deps.http.withTypeProvider<ZodTypeProvider>();
        registerTicketRoutes(app, runtime.service);
        registerSmsRoutes(app, runtime.context);
        if (sms?.name === 'https' && smsConfig.httpsSecret) registerSmsReceiptRoute(app, smsConfig.httpsSecret, (receipt) => runtime.applySmsReceipt(receipt));
      }
      runtime.start({ relay: deps.roles.has('api') || deps.roles.has('workers'), workers: deps.roles.has('workers') });
      deps.lifecycle.onDrain('tickets outbox relay', () => runtime.stop());
      deps.lifecycle.onClose('tickets SMS gateway', () => runtime.close());
    },
  };
}

export const tickets = ticketsCapability();
