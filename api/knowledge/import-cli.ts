/**
 * Loads knowledge-base entries into a court: `npm run knowledge:import -- --court-code J0811 [--file entries.json]`.
 * Without --file it loads the starter entries taken from the court rules (seed-entries.ts). A JSON file is an
 * array of entries ({category, question, answer, keywords?, source?, active?}), checked like the import route.
 * Uses the hotline's configuration (DATABASE_URL or the embedded database) and applies migrations first.
 * Importing twice updates the same questions rather than adding them again.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../../platform/config/load.ts';
import { openCommandDatabase, runCommand } from '../../platform/command.ts';
import { courts } from '../../platform/courts.sql.ts';
import { importBody } from './knowledge.schemas.ts';
import { KnowledgeService } from './knowledge.service.ts';
import { seedEntries } from './seed-entries.ts';

const usage = 'Usage: npm run knowledge:import -- --court-code <code> [--file entries.json]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { 'court-code': { type: 'string' }, file: { type: 'string' } }, strict: true }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${usage}`);
    return 2;
  }
  const courtCode = values['court-code'];
  if (!courtCode) return console.error(usage), 2;
  const parsed = importBody.safeParse({ entries: values.file ? JSON.parse(readFileSync(values.file, 'utf8')) : seedEntries });
  if (!parsed.success) return console.error(`The entries are not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`), 1;

  const config = loadConfig();
  const database = await openCommandDatabase(config);
  try {
    await database.migrate();
    const [court] = await database.db.select({ id: courts.id }).from(courts).where(eq(courts.code, courtCode));
    if (!court) return console.error(`No court with code ${courtCode}: create it first (npm run admin:create).`), 1;
    const result = await new KnowledgeService(database.db).importEntries(court.id, null, parsed.data.entries);
    console.log(`Knowledge base of ${courtCode}: ${result.created} entries added, ${result.updated} updated.`);
    return 0;
  } finally {
    await database.close();
  }
}

await runCommand(main);
