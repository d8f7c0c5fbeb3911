import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { serviceOf, type Deps } from '../../platform/deps.ts';
import type { Logger } from '../../platform/logger.ts';
import type { LiveState } from '../acd/live-state.ts';
import type { BusinessCalendar } from '../hours/calendar.ts';
import { OutboundScheduler } from '../outbound/scheduler.ts';
import { OutboundService } from '../outbound/service.ts';
import { AutoCallback } from './auto-callback.ts';
import { registerUnownedRoutes } from './routes.ts';
import { UnownedService } from './service.ts';

/** The unowned queue's routes (api role), reading ownerless tickets through the tickets service. */
export function registerUnownedApi(deps: Deps): void {
  const tickets = serviceOf(deps, 'tickets');
  const service = new UnownedService(deps.db, { unowned: tickets.unowned, claim: tickets.claim, get: tickets.get, create: tickets.create }, deps.events, deps.logger.child({ capability: 'unowned' }));
  registerUnownedRoutes(deps.http.withTypeProvider<ZodTypeProvider>(), service, deps.db);
}

/** How often the automatic callback looks for free operators and callers to call back. */
export const autoCallbackTickMs = 3000;

/** The automatic callback of callers who gave up (telephony role: it dials through this controller's outbound). */
export function startAutoCallback(deps: Deps, parts: { live: LiveState; calendar: BusinessCalendar; logger: Logger }): AutoCallback {
  const outbound = new OutboundService(deps.db, parts.live, new OutboundScheduler(deps.queues), serviceOf(deps, 'tickets'), deps.config.telephony.outboundAttempts);
  const tickets = serviceOf(deps, 'tickets');
  const auto = new AutoCallback({
    db: deps.db,
    redis: deps.redis,
    prefix: deps.config.redis.prefix,
    live: parts.live,
    calendar: parts.calendar,
    outbound,
    tickets: { create: tickets.create },
    events: deps.events,
    logger: parts.logger.child({ component: 'auto-callback' }),
  });
  auto.start(autoCallbackTickMs);
  deps.lifecycle.onDrain('telephony auto callback', () => auto.stop());
  return auto;
}
