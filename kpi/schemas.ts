import { z } from 'zod';
import { calendarDate, instant } from '../platform/http/schemas.ts';
import { measureNames } from './measures.ts';
import { dimensions, grains } from './query.ts';

const maxSpanDays = 400;

const kpiQueryBase = z.strictObject({
  from: instant,
  to: instant,
  grain: z.enum(grains).default('day'),
  by: z.enum(dimensions).default('court'),
  operatorId: z.uuid().optional(),
  departmentId: z.uuid().optional(),
  judgeId: z.uuid().optional(),
  category: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).optional(),
  /** The figures' moment (a table's `asOf`): a drill-down or export given it lists what that table counted. Later than now → now. */
  asOf: instant.optional(),
});

const spanMs = (q: { from: string; to: string }) => new Date(q.to).getTime() - new Date(q.from).getTime();

function checkedSpan<T extends z.ZodType<{ from: string; to: string; grain: string }>>(schema: T) {
  return schema
    .refine((q) => spanMs(q) > 0, { message: '“from” must be before “to”', path: ['to'] })
    .refine((q) => spanMs(q) <= maxSpanDays * 86_400_000, { message: `at most ${maxSpanDays} days`, path: ['to'] })
    .refine((q) => q.grain !== 'hour' || spanMs(q) <= 31 * 86_400_000, { message: 'hourly tables span at most 31 days', path: ['grain'] });
}

/** A span alone (the deployment's unassigned calls). */
export const spanQuerySchema = checkedSpan(z.strictObject({ from: kpiQueryBase.shape.from, to: kpiQueryBase.shape.to, grain: z.literal('total').default('total') }));

/** The query of every KPI route: a span, a grain, a dimension and optional narrowing. */
export const kpiQuerySchema = checkedSpan(kpiQueryBase);
export type KpiQueryInput = z.infer<typeof kpiQueryBase>;

export const exportQuerySchema = checkedSpan(kpiQueryBase.extend({ format: z.enum(['csv', 'xlsx']), lang: z.enum(['zh', 'en']).default('zh') }));

/** The queue's length over at most two days, in buckets of 5 to 60 minutes that divide an hour. */
export const queueLengthQuerySchema = z
  .strictObject({ from: instant, to: instant, stepMinutes: z.coerce.number().int().refine((n) => [5, 10, 15, 20, 30, 60].includes(n), 'one of 5, 10, 15, 20, 30, 60').default(60) })
  .refine((q) => spanMs(q) > 0, { message: '“from” must be before “to”', path: ['to'] })
  .refine((q) => spanMs(q) <= 2 * 86_400_000, { message: 'at most 2 days', path: ['to'] });

/** A drill-down: the figure (measure) and, optionally, the bucket and key of the table cell. */
export const drillDownQuerySchema = checkedSpan(
  kpiQueryBase.extend({
    /** A measure, or `closed_not_yet_due`: the tickets behind the table's `closedNotYetDue`. */
    measure: z.enum(['closed_not_yet_due', ...measureNames] as [string, ...string[]]),
    bucket: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/)
      .refine((b) => calendarDate.safeParse(b.slice(0, 10)).success && Number(b.slice(11, 13)) < 24 && Number(b.slice(14, 16)) < 60, 'a bucket of the table: YYYY-MM-DDTHH:mm, China time, a real time in the years 2000–2100')
      .optional(),
    key: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  }),
);

const rate = z.number().nullable();
export const kpisSchema = z.object({
  connectionRate: z.object({ inbound: rate, transfer: rate, combined: rate, combinedRaw: rate }),
  completionRate: rate,
  onTimeRate: rate,
  score: rate,
  serviceLevel: rate,
  averageSpeedOfAnswerSeconds: rate,
  abandonRate: rate,
  abandonRateRaw: rate,
  averageHandleTimeSeconds: rate,
  registrationRate: rate,
  callbackRate: rate,
  satisfactionRate: rate,
  answeredOnSpot: z.number(),
  overdue: z.number(),
  chases: z.number(),
});
const sumsSchema = z.object(Object.fromEntries(measureNames.map((n) => [n, z.number()])) as Record<string, z.ZodNumber>);
const figuresSchema = z.object({ sums: sumsSchema, kpis: kpisSchema });

export const kpiTableSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    asOf: z.string(),
    grain: z.enum(grains),
    by: z.enum(dimensions),
    rows: z.array(figuresSchema.extend({ bucket: z.string().nullable(), key: z.string().nullable() })),
    total: figuresSchema,
    check: z.object({
      status: z.enum(['agrees', 'disagrees']),
      differenceCount: z.number(),
      differences: z.array(z.object({ bucket: z.string().nullable(), key: z.string().nullable(), measure: z.string(), rollup: z.number(), recount: z.number() })),
      rollupTotal: sumsSchema.nullable(),
    }),
    closedNotYetDue: z.number().int().nullable(),
  })
  .meta({ id: 'KpiTable' });

export const drillDownSchema = z
  .object({
    kind: z.enum(['call', 'ticket']),
    measure: z.string(),
    total: z.number(),
    asOf: z.string(),
    rows: z.array(z.object({ id: z.string(), at: z.string(), value: z.number() })),
  })
  .meta({ id: 'KpiDrillDown' });

export const settingsResponseSchema = z.object({
  serviceLevelSeconds: z.number().int(),
  shortAbandonSeconds: z.number().int(),
  changedAt: z.string().nullable(),
  changedBy: z.string().nullable(),
});

export const weeklyReportSchema = z.object({ id: z.number(), courtId: z.string(), weekStart: z.string(), trigger: z.string(), generatedAt: z.string(), body: z.record(z.string(), z.unknown()) }).meta({ id: 'KpiWeeklyReport' });
