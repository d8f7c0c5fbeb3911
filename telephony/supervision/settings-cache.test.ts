import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../platform/db/client.ts';
import { listenPostgres } from '../../platform/db/notifications.ts';
import { createLogger, type Logger } from '../../platform/logger.ts';
import type { Actor } from '../../platform/user-roles.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import { RecordingNoticeCache } from './settings-cache.ts';
import { writeCallSettings } from './settings.ts';
import { courtCallSettings } from './settings.sql.ts';

const url = await useTestDatabase();
const silent = createLogger({ level: 'silent', pretty: false });
const open = () => openDatabase({ url, poolSize: 2, dataDir: '', logger: silent });
const database = await open();
afterAll(() => database.close());

describe('RecordingNoticeCache', () => {
  // The first read fails (the table is away): it is logged as an error and retried quickly, not left to a change.
  it('retries a failed first load quickly and logs it as an error', async () => {
    const courtId = randomUUID();
    await database.db.insert(courtCallSettings).values({ courtId, recordingNotice: true, updatedBy: randomUUID(), updatedAt: new Date() });
    await database.db.execute(sql`alter table telephony.court_call_settings rename to court_call_settings_away`);
    const errors: string[] = [];
    const logger = { error: (o: { err: string }) => errors.push(o.err), warn() {}, info() {}, debug() {}, child: () => logger } as unknown as Logger;
    const cache = new RecordingNoticeCache(database.db, logger);
    await cache.start(listenPostgres(url, silent), 100);
    try {
      await expect.poll(() => errors.length).toBeGreaterThan(0);
      expect(errors[0]).toContain('court_call_settings');
      expect(cache.has(courtId)).toBe(false);
      await database.db.execute(sql`alter table telephony.court_call_settings_away rename to court_call_settings`);
      await expect.poll(() => cache.has(courtId), { timeout: 5000 }).toBe(true);
    } finally {
      await cache.stop();
    }
  });

  // Two controllers, each with its own pool and LISTEN connection; a manager changes the setting through a third
  // (an API process): both caches follow within 2 s (there is no periodic reread any more: only the notification).
  it("sees a change made through another process's connection at once", async () => {
    const other = await open();
    const api = await open();
    const first = new RecordingNoticeCache(database.db, silent);
    const second = new RecordingNoticeCache(other.db, silent);
    await first.start(listenPostgres(url, silent));
    await second.start(listenPostgres(url, silent));
    const actor = { userId: randomUUID(), courtId: randomUUID(), role: 'manager' } as Actor;
    try {
      await expect.poll(() => second.has(actor.courtId)).toBe(false);
      await writeCallSettings(api.db, actor, { recordingNotice: true });
      await expect.poll(() => second.has(actor.courtId) && first.has(actor.courtId), { timeout: 2000, interval: 10 }).toBe(true);
      await writeCallSettings(api.db, actor, { recordingNotice: false });
      await expect.poll(() => second.has(actor.courtId), { timeout: 2000, interval: 10 }).toBe(false);
    } finally {
      await first.stop();
      await second.stop();
      await other.close();
      await api.close();
    }
  });
});
