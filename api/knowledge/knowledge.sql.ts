import { boolean, index, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { courts } from '../../platform/courts.sql.ts';
import { users } from '../../platform/directory.sql.ts';
import { apiSchema } from '../schema.sql.ts';

/**
 * The hotline's knowledge base (智能问答, seed 003 §21): a court's common questions with the answer operators
 * read out, a category (a ticket category code, so answers and work orders share one vocabulary) and keywords.
 * `source` says where an answer comes from (a rule, a notice), so operators can cite it.
 */
export const knowledgeEntries = apiSchema.table(
  'knowledge_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    courtId: uuid('court_id').notNull().references(() => courts.id),
    category: varchar('category', { length: 64 }).notNull(),
    question: text('question').notNull(),
    answer: text('answer').notNull(),
    keywords: text('keywords').array().notNull().default([]),
    source: text('source'),
    active: boolean('active').notNull().default(true),
    updatedBy: uuid('updated_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('knowledge_entries_court').on(t.courtId, t.category)],
);

export type KnowledgeEntryRow = typeof knowledgeEntries.$inferSelect;
