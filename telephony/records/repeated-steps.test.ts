import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../platform/db/client.ts';
import { createLogger } from '../../platform/logger.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import type { JournalRecord } from './records.ts';
import { writeRecords } from './repository.ts';

const logger = createLogger({ level: 'silent', pretty: false });
const database = await openDatabase({ url: await useTestDatabase(), poolSize: 1, dataDir: '', logger });
afterAll(() => database.close());

const event = (callId: string, seq: number, kind: 'answered' | 'hangup' | 'operator_missed', takeover = false): JournalRecord => ({
  kind: 'call_event',
  id: randomUUID(),
  callId,
  courtId: null,
  at: Date.now() + seq,
  seq,
  event: kind,
  operatorId: null,
  data: {},
  ...(takeover ? { takeover: true as const } : {}),
});
const kinds = async (callId: string) =>
  (await database.db.execute<{ seq: number; kind: string }>(`select seq, kind::text from telephony.call_events where call_id = '${callId}' order by seq, at` as never)).rows;

describe('a step repeated by a controller that took the call over', () => {
  it('is left out when the database has the same step of the call, and counted', async () => {
    const callId = randomUUID();
    await writeRecords(database.db, [event(callId, 1, 'answered'), event(callId, 2, 'hangup')]);
    // The next controller resumed from a state saved before the hangup: it logs the hangup again, as step 2.
    const result = await writeRecords(database.db, [event(callId, 2, 'hangup', true)]);
    expect(result.repeats).toBe(1);
    expect(await kinds(callId)).toEqual([
      { seq: 1, kind: 'answered' },
      { seq: 2, kind: 'hangup' },
    ]);
  });

  it('is not a repeat of itself: a takeover step written again (a retry, a replay) is no repeat and lands once', async () => {
    const callId = randomUUID();
    const step = event(callId, 1, 'answered', true);
    expect((await writeRecords(database.db, [step])).repeats).toBe(0);
    expect((await writeRecords(database.db, [step])).repeats).toBe(0);
    expect(await kinds(callId)).toEqual([{ seq: 1, kind: 'answered' }]);
  });

  it('is left out when the same batch has it, whoever logged it; a different step at that number stands', async () => {
    const callId = randomUUID();
    const result = await writeRecords(database.db, [event(callId, 1, 'answered'), event(callId, 1, 'answered', true), event(callId, 2, 'operator_missed', true)]);
    expect(result.repeats).toBe(1);
    const later = await writeRecords(database.db, [event(callId, 2, 'hangup', true)]);
    // Not the same step: another kind at the same number is what the new controller did, and it is kept.
    expect(later.repeats).toBe(0);
    expect(await kinds(callId)).toEqual([
      { seq: 1, kind: 'answered' },
      { seq: 2, kind: 'operator_missed' },
      { seq: 2, kind: 'hangup' },
    ]);
  });
});
