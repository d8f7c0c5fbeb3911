/**
 * `npm run seals:adopt`: seals, once, the records written before seals existed (or by a process without the key),
 * with the seal key: the operator running it vouches for them as they are now. The ticket trail must verify as a
 * hash chain first; each court's unsealed tail gets one seal, and every call record no seal holds gets seals of a
 * new stream. Writes a checkpoint (reason "adopt") and prints what it sealed. Needs HOTLINE_SEAL_KEY_FILE.
 */
import { sql } from 'drizzle-orm';
import { loadConfig } from './platform/config/load.ts';
import { openDatabase, type Db } from './platform/db/client.ts';
import { createLogger } from './platform/logger.ts';
import { openSeals, type Seals } from './platform/seals/seals.ts';
import { qualityHeads } from './telephony/quality/trail-verify.ts';
import { callHeads, CallSealer, type SealLeaf } from './telephony/records/seal.ts';
import { unsealedCallLeaves } from './telephony/records/seal-verify.ts';
import { insertSealRows } from './telephony/records/repository.ts';
import { ticketHeads, ticketSealText } from './tickets/audit-seal.ts';
import { verifyChains } from './tickets/audit.ts';

export async function adoptUnsealed(db: Db, seals: Seals): Promise<{ ticketCourts: number; callRecords: number }> {
  const chains = await verifyChains(db);
  if (!chains.ok) throw new Error(`the ticket trail is broken at court ${chains.broken.courtId}, event #${chains.broken.seq}: ${chains.broken.problem}; nothing adopted`);
  const { rows: tails } = await db.execute<{ court_id: string; sealed: string | number | null; id: string | number; seq: string | number; hash: string }>(sql`
    select h.court_id::text, s.sealed, h.id, h.seq, h.hash
    from (select distinct on (court_id) court_id, id, seq, hash from tickets.ticket_events order by court_id, seq desc) h
    left join (select court_id, max(seq) as sealed from tickets.ticket_events where seal is not null group by court_id) s on s.court_id = h.court_id
    where s.sealed is null or s.sealed < h.seq`);
  for (const t of tails) {
    const from = Number(t.sealed ?? 0) + 1;
    const seal = seals.signer.sign(ticketSealText(t.court_id, from, Number(t.seq), t.hash));
    await db.execute(sql`update tickets.ticket_events set seal_from = ${from}, seal = ${seal} where id = ${Number(t.id)}`);
  }
  const leaves: SealLeaf[] = await unsealedCallLeaves(db);
  const sealer = new CallSealer(seals.signer);
  for (let i = 0; i < leaves.length; i += 500) {
    const prepared = sealer.prepare(leaves.slice(i, i + 500));
    await insertSealRows(db, prepared.rows);
    prepared.commit();
  }
  await seals.checkpoint(db, 'adopt');
  return { ticketCourts: tails.length, callRecords: leaves.length };
}

const isMain = process.argv[1] !== undefined && /(^|[/\\])seal-adopt\.(ts|js)$/.test(process.argv[1]);
if (isMain) {
  const config = loadConfig();
  const logger = createLogger({ ...config.log, level: 'warn' });
  const seals = openSeals(config, logger);
  seals.addHeads('tickets', ticketHeads);
  seals.addHeads('calls', callHeads);
  seals.addHeads('quality', qualityHeads);
  const database = await openDatabase({ url: config.database.url, poolSize: 1, dataDir: config.dataDir, logger });
  try {
    const done = await adoptUnsealed(database.db, seals);
    console.log(`adopted with seal key ${seals.signer.keyId}: the unsealed tails of ${done.ticketCourts} court trail(s), ${done.callRecords} call record(s)`);
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}
