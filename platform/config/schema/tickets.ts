import { z } from 'zod';

/** The tickets' workers. */
export const ticketsSchema = z
  .object({
    /** Due chase timers a worker process holds at once (they are applied in batches, see docs/tickets.md). */
    chaseConcurrency: z.coerce.number().int().min(1).max(1000).default(200),
    /** Most chase timers applied in one transaction. */
    chaseBatch: z.coerce.number().int().min(1).max(1000).default(100),
    /** Notices to the consoles sent at once by a worker process. */
    notifyConcurrency: z.coerce.number().int().min(1).max(100).default(4),
  })
  .prefault({});

export const ticketsEnv = {
  'tickets.chaseConcurrency': 'TICKETS_CHASE_CONCURRENCY',
  'tickets.chaseBatch': 'TICKETS_CHASE_BATCH',
  'tickets.notifyConcurrency': 'TICKETS_NOTIFY_CONCURRENCY',
} as const;

export const ticketsHints: Record<keyof typeof ticketsEnv, string> = {
  'tickets.chaseConcurrency': 'a whole number from 1 to 1000, e.g. 200',
  'tickets.chaseBatch': 'a whole number from 1 to 1000, e.g. 100',
  'tickets.notifyConcurrency': 'a whole number from 1 to 100, e.g. 4',
};
