/**
 * Loads knowledge-base entries into a court: `npm run knowledge:import -- --court-code J0811 [--file entries.json]`.
 * Without --file it loads the starter entries taken from the court rules (seed-entries.ts). A JSON file is an
 * array of entries ({category, question, answer, keywords?, source?, active?}), checked like the import route.
 * Uses the hotline's configuration (DATABASE_URL or the embedded database) and applies migrations first; when a
 * running hotline holds the embedded database, it goes through that hotline (api/bootstrap/local-control.ts).
 * Importing twice updates the same questions rather than adding them again.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../platform/config/load.ts';
import { openCommandDatabase, runCommand, runningHotline } from '../../platform/command.ts';
import { importKnowledgeForCourt, NoSuchCourt } from './import-for-court.ts';
import { importBody } from './knowledge.schemas.ts';
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

  // Without --file the starter entries, made out to the court (importKnowledgeForCourt).
  const entries = values.file ? parsed.data.entries : undefined;
  const config = loadConfig();
  const hotline = runningHotline(config);
  if (hotline) {
    try {
      const result = await hotline.post<{ created: number; updated: number }>('/api/local/knowledge-import', { courtCode, entries });
      console.log(`Knowledge base of ${courtCode}: ${result.created} entries added, ${result.updated} updated (through the running hotline at ${hotline.url}).`);
      return 0;
    } catch (err) {
      return console.error(`Could not import: ${(err as Error).message}`), 1;
    }
  }
  const database = await openCommandDatabase(config);
  try {
    await database.migrate();
    const result = await importKnowledgeForCourt(database.db, courtCode, entries);
    console.log(`Knowledge base of ${courtCode}: ${result.created} entries added, ${result.updated} updated.`);
    return 0;
  } catch (err) {
    if (err instanceof NoSuchCourt) return console.error(err.message), 1;
    throw err;
  } finally {
    await database.close();
  }
}

await runCommand(main);
