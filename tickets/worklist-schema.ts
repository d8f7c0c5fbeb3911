import { z } from 'zod';
import { calendarDate } from '../platform/http/schemas.ts';
import { text } from '../platform/text.ts';
import { ticketViewSchema } from './route-schemas.ts';
import { stages } from './vocabulary.ts';

/**
 * The work list's query (GET /api/tickets, GET /api/tickets/export): every filter optional, strict (an unknown
 * parameter is a 400, not silently ignored), dates as China calendar days.
 */
const stageList = z
  .string()
  .max(200)
  .transform((value, ctx) => {
    const list = value.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = list.filter((s) => !(stages as readonly string[]).includes(s));
    if (bad.length > 0 || list.length === 0) {
      ctx.addIssue({ code: 'custom', message: `stages are ${stages.join(', ')} (comma-separated) / 环节取值有误：${bad.join(', ') || '(空)'}` });
      return z.NEVER;
    }
    return [...new Set(list)] as (typeof stages)[number][];
  });

export const worklistSorts = ['deadline', 'created', 'updated', 'number'] as const;
export type WorklistSort = (typeof worklistSorts)[number];

const filters = {
  /** mine: tickets I own (首问) or handle; all: everything my role may see (the court, or my department). */
  scope: z.enum(['mine', 'all']).default('all'),
  stage: stageList.optional(),
  /** overdue: past the deadline and not yet told to the caller; due_soon: due by the end of the next working day. */
  due: z.enum(['overdue', 'due_soon']).optional(),
  ownerId: z.uuid().optional(),
  handlerUserId: z.uuid().optional(),
  departmentId: z.uuid().optional(),
  category: text(64).optional(),
  callerNumber: z.string().trim().regex(/^\+?[0-9]{3,20}$/, 'digits only, e.g. 13812345678').optional(),
  /** A whole case number (matched in its normal form) or a part of one (e.g. 民初1234). */
  caseNumber: text(64).optional(),
  /** China calendar days, both included. */
  createdFrom: calendarDate.optional(),
  createdTo: calendarDate.optional(),
  /** Words in the summary or details (at least 2 characters). */
  q: text(100).pipe(z.string().min(2, 'at least 2 characters / 至少 2 个字')).optional(),
  sort: z.enum(worklistSorts).default('deadline'),
  dir: z.enum(['asc', 'desc']).default('asc'),
};

const dateOrder = (q: { createdFrom?: string | undefined; createdTo?: string | undefined }) => !q.createdFrom || !q.createdTo || q.createdFrom <= q.createdTo;
const dateOrderMessage = { message: 'createdFrom is after createdTo / 开始日期晚于结束日期', path: ['createdTo'] };

export const worklistQuerySchema = z
  .strictObject({
    ...filters,
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .refine(dateOrder, dateOrderMessage);
export type WorklistQuery = z.output<typeof worklistQuerySchema>;
export type WorklistFilters = Omit<WorklistQuery, 'page' | 'pageSize'>;

export const worklistExportQuerySchema = z
  .strictObject({ ...filters, format: z.enum(['xlsx', 'csv']).default('xlsx') })
  .refine(dateOrder, dateOrderMessage);

/** A row of the list: the ticket as its reader may see it (caller number masked), with the people's and the department's names. */
export const worklistRowSchema = ticketViewSchema
  .extend({
    ownerName: z.string().nullable(),
    handlerName: z.string().nullable(),
    departmentName: z.string().nullable(),
    categoryName: z.string().nullable(),
    /** Past its deadline and not yet told to the caller. */
    overdue: z.boolean(),
  })
  .meta({ id: 'WorklistRow' });

export const worklistPageSchema = z
  .object({
    rows: z.array(worklistRowSchema),
    /** Matching tickets, counted up to `totalCap`; `totalCapped`: there are more than that. */
    total: z.number().int(),
    totalCapped: z.boolean(),
    page: z.number().int(),
    pageSize: z.number().int(),
  })
  .meta({ id: 'WorklistPage' });
