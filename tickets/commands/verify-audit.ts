/**
 * Verifies every court's hash chain of ticket events; exits 1 and names the first broken link.
 * Usage: DATABASE_URL=postgres://… npm run tickets:verify-audit
 */
import { loadConfig } from '../../platform/config/load.ts';
import { openDatabase } from '../../platform/db/client.ts';
import { createLogger } from '../../platform/logger.ts';
import { verifyChains } from '../audit.ts';

const config = loadConfig();
const logger = createLogger({ ...config.log, level: 'warn' });
const database = await openDatabase({ url: config.database.url, poolSize: 1, dataDir: config.dataDir, logger });
try {
  const result = await verifyChains(database.db);
  if (result.ok) {
    console.log(`audit chain intact: ${result.events} events in ${result.courts} court chain(s)`);
  } else {
    const b = result.broken;
    console.error(`audit chain BROKEN at court ${b.courtId}, event #${b.seq} (row id ${b.eventId}): ${b.problem}`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
