import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../platform/db/client.ts';
import { createLogger, type Logger } from '../../platform/logger.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import { RecordingNoticeCache } from './settings-cache.ts';
import { courtCallSettings } from './settings.sql.ts';

// The first read of the recording notice settings fails (the table is away): it is logged as an error and retried
// quickly, not left to the next slow reload.
const database = await openDatabase({ url: await useTestDatabase(), poolSize: 2, dataDir: '', logger: createLogger({ level: 'silent', pretty: false }) });
afterAll(() => database.close());

describe('RecordingNoticeCache', () => {
  it('retries a failed first load quickly and logs it as an error', async () => {
    const courtId = randomUUID();
    await database.db.insert(courtCallSettings).values({ courtId, recordingNotice: true, updatedBy: randomUUID(), updatedAt: new Date() });
    await database.db.execute(sql`alter table telephony.court_call_settings rename to court_call_settings_away`);
    const errors: string[] = [];
    const logger = { error: (o: { err: string }) => errors.push(o.err), warn() {}, info() {}, debug() {} } as unknown as Logger;
    const cache = new RecordingNoticeCache(database.db, logger);
    cache.start(600_000, 100);
    try {
      await expect.poll(() => errors.length).toBeGreaterThan(0);
      expect(errors[0]).toContain('court_call_settings');
      expect(cache.has(courtId)).toBe(false);
      await database.db.execute(sql`alter table telephony.court_call_settings_away rename to court_call_settings`);
      await expect.poll(() => cache.has(courtId), { timeout: 5000 }).toBe(true);
    } finally {
      cache.stop();
    }
  });
});
