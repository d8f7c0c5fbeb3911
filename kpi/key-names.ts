import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client.ts';
import type { Dimension } from './query.ts';

export type ExportLang = 'zh' | 'en';

/**
 * The names people know for the keys of a KPI table: a user's display name (operators, judges), a department's
 * name, a category's Chinese or English name. Only the court's own directory is read; a key it does not hold
 * (a user of another court, a deleted category) keeps its id, so nothing is invented.
 */
export async function keyNames(db: Db, courtId: string, by: Dimension, lang: ExportLang): Promise<Map<string, string>> {
  if (by === 'court') return new Map();
  const { rows } =
    by === 'operator' || by === 'judge'
      ? await db.execute<{ key: string; name: string }>(sql`select id::text as key, display_name as name from platform.users where court_id = ${courtId}`)
      : by === 'department'
        ? await db.execute<{ key: string; name: string }>(sql`select id::text as key, name from platform.departments where court_id = ${courtId}`)
        : await db.execute<{ key: string; name: string }>(sql`select code as key, ${lang === 'en' ? sql`name_en` : sql`name_zh`} as name from tickets.categories`);
  return new Map(rows.map((r) => [r.key, r.name]));
}
