import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { serviceOf, type Deps } from '../../platform/deps.ts';
import type { Logger } from '../../platform/logger.ts';
import { LiveState } from '../acd/live-state.ts';
import type { AriAdapter } from '../ari/adapter.ts';
import type { BusinessCalendar } from '../hours/calendar.ts';
import type { Presence } from '../presence/presence.ts';
import type { CallJournal } from '../records/journal.ts';
import { AttemptStore } from './attempt-store.ts';
import { OutboundController } from './controller.ts';
import { registerOutboundRoutes } from './routes.ts';
import { OutboundScheduler, type OutboundHandlers } from './scheduler.ts';
import { OutboundService } from './service.ts';
import { callEvidence } from './evidence.ts';
import { linkedCallRecords } from '../records/linked-calls.ts';
import { relayDialer } from './relay-dialer.ts';
import { reportRelay, requeueRelayReports } from './relay-report.ts';
import { recordSurveyAnswer } from './survey.ts';
import { requeueSurveyAnswers } from './survey-requeue.ts';

/**
 * The tickets capability's phone relay, in every process whatever its roles (its feedback worker files relay
 * calls; its API checks the call a delivery by hand names): the real dialler, and telephony's call records.
 */
export function providePhoneRelay(deps: Deps): void {
  const live = new LiveState(deps.redis, deps.config.redis.prefix);
  const service = new OutboundService(deps.db, live, new OutboundScheduler(deps.queues), serviceOf(deps, 'tickets'), deps.config.telephony.outboundAttempts);
  deps.services.callbackDialer = relayDialer(service);
  deps.services.phoneEvidence = callEvidence(deps.db);
  // The ticket page's calls (time, operator, outcome, recordings): tickets/ports.ts CallRecords.
  deps.services.ticketCallRecords = linkedCallRecords(deps.db);
}

/** Wiring of outbound calls, called from telephony/plugin.ts: the routes (api role), the controller and its worker (telephony role). */
export function registerOutboundApi(deps: Deps, live: LiveState): OutboundService {
  const scheduler = new OutboundScheduler(deps.queues);
  const service = new OutboundService(deps.db, live, scheduler, serviceOf(deps, 'tickets'), deps.config.telephony.outboundAttempts);
  registerOutboundRoutes(deps.http.withTypeProvider<ZodTypeProvider>(), service);
  return service;
}

export interface OutboundParts {
  live: LiveState;
  presence: Presence;
  journal: CallJournal;
  calendar: BusinessCalendar;
  logger: Logger;
}

export function startOutboundController(deps: Deps, parts: OutboundParts & { ari: AriAdapter }): OutboundController {
  const logger = parts.logger.child({ component: 'outbound' });
  const scheduler = new OutboundScheduler(deps.queues);
  const controller = newOutboundController(deps, { ...parts, logger }, parts.ari, new AttemptStore(deps.redis, deps.config.redis.prefix), scheduler);
  startOutboundWorker(deps, { scheduler, controllers: [controller], journal: parts.journal, logger }, (job) => controller.startAttempt(job.request, job.attempt));
  return controller;
}

/** One outbound controller over one Asterisk's adapter: fed by its events, reconciled on each (re)connect to it. */
export function newOutboundController(deps: Deps, parts: OutboundParts, ari: AriAdapter, store: AttemptStore, scheduler: OutboundScheduler): OutboundController {
  const t = deps.config.telephony;
  const logger = parts.logger;
  const controller = new OutboundController({
    ...parts,
    ari,
    logger,
    events: deps.events,
    scheduler,
    store,
    trunkDial: t.trunkDial,
    callerId: t.outboundCallerId,
    soundsDir: t.soundsDir,
    settings: { operatorRingMs: t.ringSeconds * 1000, callerRingMs: t.outboundRingSeconds * 1000, inputTimeoutMs: t.menuTimeoutSeconds * 1000 },
    policy: { attempts: t.outboundAttempts, spacingMs: t.outboundRetrySeconds * 1000 },
  });
  ari.onEvent((event) => controller.handle(event));
  ari.onConnected(() => void controller.reconcile().catch((err: Error) => logger.warn({ err: err.message }, 'could not reconcile outbound calls')));
  return controller;
}

/** The outbound queue's worker (attempts, survey answers, relay reports) and the drain of every controller. */
export function startOutboundWorker(
  deps: Deps,
  o: { scheduler: OutboundScheduler; controllers: OutboundController[]; journal: CallJournal; logger: Logger },
  attempt: OutboundHandlers['attempt'],
): void {
  const { scheduler, logger } = o;
  const tickets = serviceOf(deps, 'tickets');
  scheduler.startWorker(
    deps.redis,
    {
      attempt,
      survey: (job) => recordSurveyAnswer(tickets, job, logger),
      relay: (job) => reportRelay(deps.db, tickets, job, logger),
    },
    logger,
  );
  // Relay calls that ended shortly before a stop (or with a Redis that was lost) are reported again once the
  // journal has written what the last run left; the tickets side records nothing twice. Survey answers too.
  void o.journal
    .caughtUp(30_000)
    .catch(() => undefined)
    .then(async () => {
      const again = async (what: string, requeue: () => Promise<number>) => {
        const n = await requeue().catch((err: Error) => void logger.warn({ err: err.message }, `could not queue recent ${what} again`));
        if (n) logger.info({ [what]: n }, `recent ${what} queued again`);
      };
      await again('relay results', () => requeueRelayReports(deps.db, scheduler, Date.now(), 2 * 86_400_000));
      // Voice surveys' answers likewise (a job Redis had not taken when the process stopped).
      await again('survey answers', () => requeueSurveyAnswers(deps.db, scheduler, Date.now(), 2 * 86_400_000));
    });
  deps.lifecycle.onDrain('telephony outbound', async () => {
    await scheduler.stopWorker();
    for (const controller of o.controllers) {
      await controller.idle();
      controller.detach();
    }
  });
}
