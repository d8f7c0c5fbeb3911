import { z } from 'zod';
import { multilineText, text } from '../../platform/text.ts';

/** Shapes of the knowledge-base routes (docs/api.md, api/knowledge/README.md). */
const categoryCode = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a ticket category code, e.g. enquiry');
const keyword = text(32);

export const entryFields = z.strictObject({
  category: categoryCode,
  question: text(300),
  answer: multilineText(5000),
  keywords: z.array(keyword).max(20).default([]),
  source: text(300).nullable().optional(),
  active: z.boolean().default(true),
});
export const createEntryBody = entryFields;
export const updateEntryBody = z
  .strictObject({
    category: categoryCode,
    question: text(300),
    answer: multilineText(5000),
    keywords: z.array(keyword).max(20),
    source: text(300).nullable(),
    active: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'name at least one field to change');
export type EntryInput = z.output<typeof entryFields>;
export type EntryChange = z.output<typeof updateEntryBody>;

export const importBody = z.strictObject({ entries: z.array(entryFields).min(1).max(500) });

export const listQuery = z.strictObject({
  category: categoryCode.optional(),
  active: z.enum(['true', 'false']).optional(),
});

export const searchQuery = z.strictObject({
  q: text(100),
  category: categoryCode.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(8),
});

export const entrySchema = z
  .object({
    id: z.uuid(),
    category: z.string(),
    question: z.string(),
    answer: z.string(),
    keywords: z.array(z.string()),
    source: z.string().nullable(),
    active: z.boolean(),
    updatedAt: z.date(),
  })
  .meta({ id: 'KnowledgeEntry' });

export const searchHitSchema = entrySchema.extend({ score: z.number() }).meta({ id: 'KnowledgeHit' });
