import { and, eq, isNotNull } from 'drizzle-orm';
import type { Deps } from '../../platform/deps.ts';
import type { Logger } from '../../platform/logger.ts';
import { users } from '../../platform/directory.sql.ts';
import type { AriAdapter } from '../ari/adapter.ts';
import type { BusinessCalendar } from '../hours/calendar.ts';
import type { CourtDirectory } from '../courts/court-directory.ts';
import { FallbackImporter } from './fallback-import.ts';
import { writeRecords } from './repository.ts';
import { CallSealer } from './seal.ts';

/** How often the CDR file is read besides each (re)connect: fallback calls still going on at reconnect end later. */
const importEveryMs = 60_000;

/**
 * Wires the fallback-call import into a running controller: on every (re)connect to ARI and every minute.
 * The telephony plugin's one hook for it.
 */
export function startFallbackImport(deps: Deps, ari: AriAdapter, calendar: BusinessCalendar, directory: CourtDirectory, logger: Logger): FallbackImporter | undefined {
  const file = deps.config.telephony.fallbackCdrFile;
  if (!file) return undefined;
  const sealer = new CallSealer(deps.seals.signer, deps.seals.headLog);
  const importer = new FallbackImporter({
    file,
    logger,
    write: async (records) => void (await writeRecords(deps.db, records, sealer)),
    context: async () => {
      const rows = await deps.db
        .select({ id: users.id, endpoint: users.sipEndpoint })
        .from(users)
        .where(and(eq(users.role, 'operator'), isNotNull(users.sipEndpoint)));
      return { operatorByEndpoint: new Map(rows.map((r) => [r.endpoint!, r.id])), courtFor: (clues) => directory.courtFor(clues), isOpen: (courtId, at) => calendar.isOpen(courtId, at) };
    },
  });
  ari.onConnected(() => void importer.run());
  importer.start(importEveryMs);
  deps.lifecycle.onClose('fallback call import', () => importer.stop());
  return importer;
}
