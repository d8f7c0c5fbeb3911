import { and, eq, isNotNull } from 'drizzle-orm';
import type { Deps } from '../../platform/deps.ts';
import type { Logger } from '../../platform/logger.ts';
import { users } from '../../platform/directory.sql.ts';
import type { AriAdapter } from '../ari/adapter.ts';
import type { BusinessCalendar } from '../hours/calendar.ts';
import type { CourtDirectory } from '../courts/court-directory.ts';
import type { NodeSet } from '../nodes/node-set.ts';
import { FallbackImporter } from './fallback-import.ts';
import { writeRecords } from './repository.ts';
import { CallSealer } from './seal.ts';

/** How often the CDR file is read besides each (re)connect: fallback calls still going on at reconnect end later. */
const importEveryMs = 60_000;

/** `{node}` in TELEPHONY_FALLBACK_CDR_FILE names each node's own file when there are several (ARI_NODES). */
const nodePlaceholder = '{node}';

/**
 * Wires the fallback-call import into a running controller: on every (re)connect to ARI and every minute.
 * The telephony plugin's one hook for it (one node, ARI_URL).
 */
export function startFallbackImport(deps: Deps, ari: AriAdapter, calendar: BusinessCalendar, directory: CourtDirectory, logger: Logger): FallbackImporter | undefined {
  const file = deps.config.telephony.fallbackCdrFile;
  if (!file) return undefined;
  const importer = newImporter(deps, file, calendar, directory, logger);
  ari.onConnected(() => void importer.run());
  importer.start(importEveryMs);
  deps.lifecycle.onClose('fallback call import', () => importer.stop());
  return importer;
}

/**
 * Several nodes (ARI_NODES): each node's CDR file (the path with `{node}` replaced by the node's name) is imported by
 * the process holding that node, on each (re)connect to it and every minute while it holds it. A path without
 * `{node}` is one file, imported as the first node's (an error is logged: the other nodes' fallback calls are not).
 * `everyMs`: tests shorten the minute.
 */
export function startNodeFallbackImports(deps: Deps, nodes: NodeSet, calendar: BusinessCalendar, directory: CourtDirectory, logger: Logger, everyMs = importEveryMs): Map<string, FallbackImporter> {
  const importers = new Map<string, FallbackImporter>();
  const template = deps.config.telephony.fallbackCdrFile;
  if (!template) return importers;
  const perNode = template.includes(nodePlaceholder);
  if (!perNode && nodes.drivers.length > 1)
    logger.error({ file: template, nodes: nodes.drivers.map((d) => d.node) }, `TELEPHONY_FALLBACK_CDR_FILE has no ${nodePlaceholder}: only the first node's fallback calls are imported; name each node's file with ${nodePlaceholder}`);
  for (const driver of perNode ? nodes.drivers : nodes.drivers.slice(0, 1)) {
    const file = template.replaceAll(nodePlaceholder, driver.node);
    const importer = newImporter(deps, file, calendar, directory, logger.child({ node: driver.node }), perNode ? driver.node : undefined);
    importers.set(driver.node, importer);
    // The adapter connects only while this process holds the node.
    driver.ari.onConnected(() => void importer.run());
    const timer = setInterval(() => {
      if (driver.held) void importer.run();
    }, everyMs);
    timer.unref();
    deps.lifecycle.onClose(`fallback call import ${driver.node}`, async () => {
      clearInterval(timer);
      await importer.stop();
    });
  }
  return importers;
}

function newImporter(deps: Deps, file: string, calendar: BusinessCalendar, directory: CourtDirectory, logger: Logger, node?: string): FallbackImporter {
  const sealer = new CallSealer(deps.seals.signer, deps.seals.headLog);
  return new FallbackImporter({
    file,
    logger,
    write: async (records) => void (await writeRecords(deps.db, records, sealer)),
    context: async () => {
      const rows = await deps.db
        .select({ id: users.id, endpoint: users.sipEndpoint })
        .from(users)
        .where(and(eq(users.role, 'operator'), isNotNull(users.sipEndpoint)));
      return { operatorByEndpoint: new Map(rows.map((r) => [r.endpoint!, r.id])), courtFor: (clues) => directory.courtFor(clues), isOpen: (courtId, at) => calendar.isOpen(courtId, at), ...(node ? { node } : {}) };
    },
  });
}
