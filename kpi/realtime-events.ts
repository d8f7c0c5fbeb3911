import { z } from 'zod';
import { defineEvents } from '../platform/event-specs.ts';

/** The KPI capability's realtime events (docs/api.md); the api capability's hub serves them. */
export const kpiEvents = defineEvents({
  'wallboard.figures': {
    to: 'managers',
    data: z.object({ at: z.string(), waiting: z.number().int(), operatorsReady: z.number().int(), connectionRate: z.number().nullable(), completionRate: z.number().nullable() }),
  },
});
