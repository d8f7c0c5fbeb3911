import { z } from 'zod';

/** The Node.js runtime of a process that drives calls (platform/runtime/heap-growth.ts). */
export const runtimeSchema = z
  .object({
    /**
     * How far the old generation may grow past what the last full collection kept before the next one starts, in
     * percent (V8's --heap-growing-percent); 0: V8's own choice. Applied in processes with the telephony role.
     */
    heapGrowthPercent: z.coerce.number().int().min(0).max(400).default(100),
  })
  .prefault({});

export const runtimeEnv = {
  'runtime.heapGrowthPercent': 'HOTLINE_HEAP_GROWTH_PERCENT',
} as const;

export const runtimeHints: Record<keyof typeof runtimeEnv, string> = {
  'runtime.heapGrowthPercent': 'a whole number of percent from 0 to 400 (0: V8 decides), e.g. 100',
};
