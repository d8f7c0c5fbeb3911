import { eq } from 'drizzle-orm';
import { courts } from '../../platform/courts.sql.ts';
import type { Db } from '../../platform/db/client.ts';
import type { EntryInput } from './knowledge.schemas.ts';
import { KnowledgeService } from './knowledge.service.ts';
import { starterEntries } from './seed-entries.ts';

export class NoSuchCourt extends Error {
  override name = 'NoSuchCourt';
  constructor(courtCode: string) {
    super(`No court with code ${courtCode}: create it first (npm run admin:create).`);
  }
}

/**
 * Loads entries into the court with this code (the starter entries, naming that court, when none are given):
 * the one path for `npm run knowledge:import` on its own and through the running hotline (local-control.ts).
 */
export async function importKnowledgeForCourt(db: Db, courtCode: string, entries: EntryInput[] | undefined): Promise<{ created: number; updated: number }> {
  const [court] = await db.select({ id: courts.id, name: courts.name }).from(courts).where(eq(courts.code, courtCode));
  if (!court) throw new NoSuchCourt(courtCode);
  return new KnowledgeService(db).importEntries(court.id, null, entries ?? starterEntries(court.name));
}
