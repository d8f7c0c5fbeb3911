import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import type { Actor } from '../../platform/user-roles.ts';
import { errors } from '../../platform/http/errors.ts';
import { knowledgeEntries, type KnowledgeEntryRow } from './knowledge.sql.ts';
import type { EntryChange, EntryInput } from './knowledge.schemas.ts';
import { containsPattern, searchTerms } from './search-terms.ts';

export type KnowledgeEntry = Omit<KnowledgeEntryRow, 'courtId' | 'updatedBy' | 'createdAt'>;
export type KnowledgeHit = KnowledgeEntry & { score: number };

const columns = {
  id: knowledgeEntries.id,
  category: knowledgeEntries.category,
  question: knowledgeEntries.question,
  answer: knowledgeEntries.answer,
  keywords: knowledgeEntries.keywords,
  source: knowledgeEntries.source,
  active: knowledgeEntries.active,
  updatedAt: knowledgeEntries.updatedAt,
};

/** Where a term found in an entry counts most: its keywords, then its question, then its answer. */
const weights = { keywords: 3, question: 2, answer: 1 };

/** The court's knowledge base: admins and managers keep it, everyone reads and searches it. */
export class KnowledgeService {
  constructor(private readonly db: Db) {}

  async list(actor: Actor, filter: { category?: string | undefined; active?: boolean | undefined } = {}): Promise<KnowledgeEntry[]> {
    const conditions: SQL[] = [eq(knowledgeEntries.courtId, actor.courtId)];
    if (filter.category) conditions.push(eq(knowledgeEntries.category, filter.category));
    if (filter.active !== undefined) conditions.push(eq(knowledgeEntries.active, filter.active));
    return this.db.select(columns).from(knowledgeEntries).where(and(...conditions)).orderBy(knowledgeEntries.category, knowledgeEntries.question);
  }

  async get(actor: Actor, id: string): Promise<KnowledgeEntry> {
    const [row] = await this.db.select(columns).from(knowledgeEntries).where(and(eq(knowledgeEntries.id, id), eq(knowledgeEntries.courtId, actor.courtId)));
    if (!row) throw errors.notFound('knowledge-base entry');
    return row;
  }

  async create(actor: Actor, input: EntryInput): Promise<KnowledgeEntry> {
    const [row] = await this.db
      .insert(knowledgeEntries)
      .values({ ...input, keywords: tidyKeywords(input.keywords), source: input.source ?? null, courtId: actor.courtId, updatedBy: actor.userId })
      .returning(columns);
    return row!;
  }

  async update(actor: Actor, id: string, change: EntryChange): Promise<KnowledgeEntry> {
    const values = { ...change, ...(change.keywords ? { keywords: tidyKeywords(change.keywords) } : {}), updatedBy: actor.userId, updatedAt: new Date() };
    const [row] = await this.db
      .update(knowledgeEntries)
      .set(values)
      .where(and(eq(knowledgeEntries.id, id), eq(knowledgeEntries.courtId, actor.courtId)))
      .returning(columns);
    if (!row) throw errors.notFound('knowledge-base entry');
    return row;
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const deleted = await this.db.delete(knowledgeEntries).where(and(eq(knowledgeEntries.id, id), eq(knowledgeEntries.courtId, actor.courtId))).returning({ id: knowledgeEntries.id });
    if (deleted.length === 0) throw errors.notFound('knowledge-base entry');
  }

  /**
   * Adds entries in one transaction; an entry whose question the court already has (same text) is updated
   * instead, so importing the same file twice changes nothing.
   */
  async importEntries(courtId: string, userId: string | null, entries: EntryInput[]): Promise<{ created: number; updated: number }> {
    return this.db.transaction(async (tx) => {
      let created = 0;
      let updated = 0;
      for (const entry of entries) {
        const values = { ...entry, keywords: tidyKeywords(entry.keywords), source: entry.source ?? null, updatedBy: userId };
        const [existing] = await tx.select({ id: knowledgeEntries.id }).from(knowledgeEntries).where(and(eq(knowledgeEntries.courtId, courtId), eq(knowledgeEntries.question, entry.question)));
        if (existing) {
          await tx.update(knowledgeEntries).set({ ...values, updatedAt: new Date() }).where(eq(knowledgeEntries.id, existing.id));
          updated += 1;
        } else {
          await tx.insert(knowledgeEntries).values({ ...values, courtId });
          created += 1;
        }
      }
      return { created, updated };
    });
  }

  /**
   * Active entries matching a question, best first. Each search term (search-terms.ts) scores by where it is
   * found (keywords 3, question 2, answer 1) times its weight; the whole query found in a question adds 5.
   */
  async search(actor: Actor, query: string, options: { category?: string | undefined; limit: number }): Promise<KnowledgeHit[]> {
    const terms = searchTerms(query);
    const whole = query.trim();
    const keywordText = sql`array_to_string(${knowledgeEntries.keywords}, ' ')`;
    const parts: SQL[] = [sql`(case when ${knowledgeEntries.question} ilike ${containsPattern(whole)} then 5 else 0 end)`];
    for (const term of terms) {
      const pattern = containsPattern(term.text);
      parts.push(sql`(${term.weight}::float8 * (
        (case when ${keywordText} ilike ${pattern} then ${weights.keywords} else 0 end)
        + (case when ${knowledgeEntries.question} ilike ${pattern} then ${weights.question} else 0 end)
        + (case when ${knowledgeEntries.answer} ilike ${pattern} then ${weights.answer} else 0 end)))`);
    }
    const score = sql<number>`(${sql.join(parts, sql` + `)})::float8`;
    const conditions: SQL[] = [eq(knowledgeEntries.courtId, actor.courtId), eq(knowledgeEntries.active, true)];
    if (options.category) conditions.push(eq(knowledgeEntries.category, options.category));
    const scored = this.db.$with('scored').as(this.db.select({ ...columns, score: score.as('score') }).from(knowledgeEntries).where(and(...conditions)));
    const rows = await this.db
      .with(scored)
      .select()
      .from(scored)
      .where(sql`${scored.score} > 0`)
      .orderBy(desc(scored.score), desc(scored.updatedAt))
      .limit(options.limit);
    return rows.map((row) => ({ ...row, score: Number(row.score) }));
  }
}

function tidyKeywords(keywords: string[]): string[] {
  return [...new Set(keywords.map((k) => k.trim()).filter(Boolean))];
}
