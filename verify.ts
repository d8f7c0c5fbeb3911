/**
 * `npm run verify` (alias `npm run tickets:verify-audit`): checks the ticket trail, the call records and the quality
 * review trail together against the seal key's public half, the checkpoint file and the head logs beside it. Prints every finding,
 * naming the record, and exits 1 when there is one; exits 0 and prints what it walked when everything holds.
 * Usage: DATABASE_URL=postgres://… HOTLINE_SEAL_KEY_FILE=… (or HOTLINE_SEAL_PUBLIC_KEY_FILE=…) npm run verify
 */
import { loadConfig } from './platform/config/load.ts';
import { openDatabase, type Db } from './platform/db/client.ts';
import { createLogger } from './platform/logger.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCheckpoints } from './platform/seals/checkpoints.ts';
import { headLogDir } from './platform/seals/head-log.ts';
import type { SealVerifier } from './platform/seals/keys.ts';
import { Findings } from './platform/seals/problems.ts';
import { databaseName, openVerifier } from './platform/seals/seals.ts';
import { verifyQualityTrail } from './telephony/quality/trail-verify.ts';
import { verifyCallRecords } from './telephony/records/seal-verify.ts';
import { verifyTicketTrail } from './tickets/audit-verify.ts';

export interface VerifyReport {
  findings: Findings;
  lines: string[];
}

/** Runs every check; `lines` is what the command prints on success. */
export async function verifyAll(db: Db, verifier: SealVerifier, checkpointFile: string): Promise<VerifyReport> {
  const findings = new Findings();
  const lines: string[] = [];
  const database = await databaseName(db);
  const headLogs = { dir: headLogDir(checkpointFile), database };
  const cps = readCheckpoints(checkpointFile, verifier, database);
  let heads: Record<string, Record<string, { seq: number; hash: string }>> = {};
  if (!cps.ok) findings.add(`${checkpointFile} line ${cps.line}`, cps.problem);
  else {
    heads = cps.heads;
    lines.push(cps.count === 0 ? `no checkpoints yet in ${checkpointFile}: a cut tail or a deleted chain cannot be found until the first` : `${cps.count} checkpoint(s) in ${checkpointFile}, the last at ${cps.lastAt}`);
    for (const log of cps.headLogs) {
      const file = join(headLogs.dir, log.name);
      if (!existsSync(file)) findings.add(file, `the head log opened at line ${log.line} of ${checkpointFile} is gone: deleted`);
    }
    lines.push(`${cps.headLogs.length} head log(s) in ${headLogs.dir}`);
  }
  const trail = await verifyTicketTrail(db, verifier, heads.tickets ?? {}, findings, { headLogs });
  lines.push(`audit chain intact: ${trail.events} events in ${trail.courts} court chain(s)`);
  const calls = await verifyCallRecords(db, verifier, heads.calls ?? {}, findings, headLogs);
  lines.push(`call records intact: ${calls.rows} rows under ${calls.seals} seal(s) in ${calls.chains} chain(s)`);
  const quality = await verifyQualityTrail(db, verifier, heads.quality ?? {}, findings, headLogs);
  lines.push(`quality review trail intact: ${quality.events} events in ${quality.courts} court chain(s), ${quality.reviews} review(s) held to them`);
  return { findings, lines };
}

const isMain = process.argv[1] !== undefined && /(^|[/\\])(verify|verify-audit)\.(ts|js)$/.test(process.argv[1]);
if (isMain) {
  const config = loadConfig();
  const logger = createLogger({ ...config.log, level: 'warn' });
  const { verifier, checkpointFile } = openVerifier(config);
  const database = await openDatabase({ url: config.database.url, poolSize: 1, dataDir: config.dataDir, logger });
  try {
    const { findings, lines } = await verifyAll(database.db, verifier, checkpointFile);
    if (findings.ok) {
      for (const line of lines) console.log(line);
      console.log(`verified with seal key ${verifier.keyId}`);
    } else {
      for (const f of findings.list) console.error(`BROKEN ${f.record}: ${f.problem}`);
      if (findings.dropped > 0) console.error(`… and ${findings.dropped} more`);
      console.error(`verify failed: ${findings.list.length + findings.dropped} finding(s) (seal key ${verifier.keyId})`);
      process.exitCode = 1;
    }
  } finally {
    await database.close();
  }
}
