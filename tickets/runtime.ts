import type { Job } from 'bullmq';
import type { Db } from '../platform/db/client.ts';
import type { EventBus } from '../platform/events.ts';
import type { Logger } from '../platform/logger.ts';
import type { Queues } from '../platform/queues.ts';
import type { Sealing } from '../platform/seals/seals.ts';
import { systemClock, type Clock } from './clock.ts';
import type { TicketContext } from './context.ts';
import { defaultChaseSettings, type ChaseSettings } from './deadline.ts';
import { applyTimers, type TimerJobRef } from './chase-batch.ts';
import { GroupCommit } from './group-commit.ts';
import { deliverFeedback, sendNotice } from './jobs.ts';
import { OutboxRelay } from './outbox.ts';
import type { CallbackDialer, PhoneEvidence, SmsReceipt, SmsSender } from './ports.ts';
import { jobNames, noticeQueue, stageQueues, type DeliverJob, type NotifyJob, type SlaJob, type SmsTimeoutJob } from './queues.ts';
import { applyReceipt, expireDelivery } from './sms/receipts.ts';
import { TicketService } from './service.ts';

export interface TicketsOptions {
  clock?: Clock;
  chase?: Partial<ChaseSettings>;
  /** The SMS gateway (tickets/sms/gateway.ts builds it from the config); absent: none, SMS relay is refused. */
  sms?: SmsSender;
  /** A sent SMS without a receipt after this long has failed (config sms.receiptTimeoutSeconds). */
  smsReceiptTimeoutMs?: number;
  /** Relay calls by phone (telephony's outbound callback); absent: a phone relay fails with that reason. */
  dialer?: CallbackDialer;
  /** Telephony's call records a phone delivery by hand must name; absent: such a delivery is refused. */
  phoneEvidence?: PhoneEvidence;
  /** The seal key and head log (platform/seals); absent: the trail is written unsealed (tests only). */
  seals?: Sealing | null;
  relayPollMs?: number;
  /** Chase jobs in hand at once (applied together, see chase-batch.ts) and notices sent at once (defaults below). */
  concurrency?: Partial<TicketsConcurrency>;
}

export interface TicketsConcurrency {
  /** Chase jobs a worker process holds at once: enough to keep fetching while a batch commits. */
  chase: number;
  /** Most timers applied in one transaction (the court's chain lock is held that long). */
  chaseBatch: number;
  notify: number;
}

/** Measured in bench/tickets-timers.ts (500 deadlines due at once): see docs/performance.md. */
export const defaultConcurrency: TicketsConcurrency = { chase: 200, chaseBatch: 100, notify: 4 };

export interface TicketsRuntime {
  service: TicketService;
  relay: OutboxRelay;
  context: TicketContext;
  /** Records an SMS delivery receipt (the HTTPS gateway's callback; SMPP receipts come over its session). */
  applySmsReceipt(receipt: SmsReceipt): Promise<'applied' | 'already_applied' | 'unmatched'>;
  /** Starts the relay and (when `workers`) the five stage workers and the notice worker. */
  start(options: { relay: boolean; workers: boolean }): void;
  /** Stops the relay (a drain step: the workers finish their jobs after it). */
  stop(): Promise<void>;
  /** Closes the SMS gateway's session, once the workers are drained (a send in hand finishes first). */
  close(): Promise<void>;
}

/** Wires the service, the outbox relay and the stage workers from the infrastructure they need. */
export function createTicketsRuntime(infra: { db: Db; queues: Queues; events: EventBus; logger: Logger }, options: TicketsOptions = {}): TicketsRuntime {
  const logger = infra.logger.child({ capability: 'tickets' });
  const clock = options.clock ?? systemClock;
  let relay: OutboxRelay | undefined;
  const context: TicketContext = {
    db: infra.db,
    clock,
    logger,
    chase: { ...defaultChaseSettings, ...options.chase },
    onCommit: () => relay?.kick(),
    sms: options.sms ? { gateway: options.sms.name, receiptTimeoutMs: options.smsReceiptTimeoutMs ?? 3600_000 } : null,
    phoneEvidence: options.phoneEvidence ?? null,
    seals: options.seals ?? null,
  };
  relay = new OutboxRelay({ db: infra.db, queues: infra.queues, clock, logger: logger.child({ part: 'outbox-relay' }), pollMs: options.relayPollMs ?? 1000 });
  const ports = { sms: options.sms, dialer: options.dialer };
  const smsLog = logger.child({ part: 'sms' });
  options.sms?.onReceipt(async (receipt) => {
    const outcome = await applyReceipt(context, receipt);
    smsLog.info({ messageId: receipt.messageId, state: receipt.state, outcome }, 'SMS delivery receipt');
  });
  type AnyJob = Job<NotifyJob | SlaJob | DeliverJob | SmsTimeoutJob>;
  const lastAttempt = (job: AnyJob) => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const sms = {
    [jobNames.deliver]: async (job: AnyJob) => deliverFeedback(context, ports, job.data as DeliverJob, lastAttempt(job)),
    [jobNames.smsTimeout]: async (job: AnyJob) => expireDelivery(context, job.data as SmsTimeoutJob),
  };
  const notify = { [jobNames.notify]: async (job: AnyJob, log: Logger) => sendNotice(context, infra.events, job.data as NotifyJob, log) };
  const concurrency = { ...defaultConcurrency, ...options.concurrency };
  // The chase worker holds many due timers at once; those waiting while a batch commits commit together next.
  const timers = new GroupCommit((jobs: TimerJobRef[]) => applyTimers(context, jobs), concurrency.chaseBatch);
  let relayStarted = false;

  return {
    service: new TicketService(context),
    relay,
    context,
    applySmsReceipt: (receipt) => applyReceipt(context, receipt),
    start({ relay: runRelay, workers }) {
      if (workers) {
        const w = infra.queues;
        w.work(noticeQueue, notify, { concurrency: concurrency.notify });
        w.work(stageQueues.answer, notify);
        w.work(stageQueues.handoff, { ...notify, ...sms });
        w.work(stageQueues.chase, { ...notify, [jobNames.sla]: async (job: AnyJob) => timers.submit({ jobId: job.id!, data: job.data as SlaJob }) }, { concurrency: concurrency.chase });
        w.work(stageQueues.feedback, { ...notify, ...sms });
        // The gateway's session (SMPP) lives where SMS are sent: its receipts come back over it.
        options.sms?.start();
        w.work(stageQueues.callback, notify);
      }
      if (runRelay) {
        relay!.start();
        relayStarted = true;
      }
    },
    async stop() {
      if (relayStarted) await relay!.stop();
    },
    async close() {
      await options.sms?.close();
    },
  };
}
