/**
 * A process that appends call records to a CallJournal as fast as a busy hotline would, for a test to kill with
 * SIGKILL at any moment. It prints `ready` once it appends; each record's id is printed (synchronously) right after append() returns, so the test
 * knows exactly what the journal had accepted when it died. With JOURNAL_APPEND=0 it only writes back what an
 * earlier run left and prints `caught-up`.
 */
import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import { openDatabase } from '../../../platform/db/client.ts';
import { createLogger } from '../../../platform/logger.ts';
import { CallJournal } from '../journal.ts';
import { writeRecords } from '../repository.ts';
import { callRecords } from './call-records.ts';

const logger = createLogger({ level: 'silent', pretty: false });
const database = await openDatabase({ url: process.env.DATABASE_URL!, poolSize: 2, dataDir: '', logger });
const journal = new CallJournal({ write: (r) => writeRecords(database.db, r), dir: process.env.JOURNAL_DIR!, logger, retryMs: 50, segmentBytes: Number(process.env.JOURNAL_SEGMENT_BYTES ?? 4096) });

if (process.env.JOURNAL_APPEND === '0') {
  await journal.caughtUp(30_000);
  writeSync(1, 'caught-up\n');
  await journal.close();
  await database.close();
  process.exit(0);
}

const say = (line: string) => writeSync(1, `${line}\n`);
// The test's clock for the kill starts here, not at spawn: a loaded machine takes long to start a process.
say('ready');
const tick = () => new Promise((r) => setTimeout(r, 1));
for (;;) {
  const callId = randomUUID();
  const records = callRecords(callId, Date.now());
  for (const record of records) {
    journal.append(record);
    say(`${record.kind} ${record.kind === 'call_event' || record.kind === 'call_started' ? record.id : callId}`);
    await tick();
  }
}
