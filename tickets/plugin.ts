import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { serviceOf, type Capability } from '../platform/deps.ts';
import type { CallbackDialer, CallRecords, PhoneEvidence } from './ports.ts';
import { registerTicketRoutes } from './routes.ts';
import { createTicketsRuntime, type TicketsOptions } from './runtime.ts';
import { seedReferenceData } from './seed.ts';
import { createSmsGateway } from './sms/gateway.ts';
import { registerSmsReceiptRoute } from './sms/receipt.routes.ts';
import { registerSmsRoutes } from './sms/sms.routes.ts';
import type { TicketService } from './service.ts';
import { registerWorklistRoutes } from './worklist.routes.ts';

declare module '../platform/deps.ts' {
  interface Services {
    /** Work orders: telephony creates tickets from calls, kpi reads them; every command takes the acting user. */
    tickets: TicketService;
    /** Relay calls by phone: provided by telephony (telephony/plugin.ts) in every process, for the feedback worker. */
    callbackDialer: CallbackDialer;
    /** Telephony's call records a phone delivery by hand must name: provided by telephony in every process. */
    phoneEvidence: PhoneEvidence;
    /** The calls behind a ticket, for its page: provided by telephony in every process (telephony/records/linked-calls.ts). */
    ticketCallRecords: CallRecords;
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
      // Telephony registers after tickets (it needs the tickets service): its ports are looked up when used.
      const dialer: CallbackDialer = { dial: (request) => serviceOf(deps, 'callbackDialer').dial(request) };
      const phoneEvidence: PhoneEvidence = {
        answeredCall: (courtId, callId) => serviceOf(deps, 'phoneEvidence').answeredCall(courtId, callId),
        relayCall: (courtId, outboundId) => serviceOf(deps, 'phoneEvidence').relayCall(courtId, outboundId),
      };
      const runtime = createTicketsRuntime(deps, {
        seals: deps.seals,
        dialer,
        phoneEvidence,
        smsReceiptTimeoutMs: smsConfig.receiptTimeoutSeconds * 1000,
        ...options,
        sms,
        concurrency: { chase: chaseConcurrency, chaseBatch, notify: notifyConcurrency, ...options.concurrency },
      });
      deps.services.tickets = runtime.service;
      if (deps.roles.has('api')) {
        const app = deps.http.withTypeProvider<ZodTypeProvider>();
        registerTicketRoutes(app, runtime.service);
        // The work list and the ticket page; telephony (registered later) answers for the calls when asked.
        const callRecords: CallRecords = { linkedCalls: (courtId, callIds) => serviceOf(deps, 'ticketCallRecords').linkedCalls(courtId, callIds) };
        registerWorklistRoutes(app, runtime.service, callRecords);
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
