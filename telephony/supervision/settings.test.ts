import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../platform/db/client.ts';
import { createLogger } from '../../platform/logger.ts';
import type { Actor } from '../../platform/user-roles.ts';
import { useTestDatabase } from '../../test/harness/database.ts';
import { readCallSettings, writeCallSettings } from './settings.ts';

// Two managers changing different settings of the court at the same moment: both changes stay.
const database = await openDatabase({ url: await useTestDatabase(), poolSize: 8, dataDir: '', logger: createLogger({ level: 'silent', pretty: false }) });
afterAll(() => database.close());

describe('court call settings', () => {
  it('concurrent changes of different settings both stay', async () => {
    for (let round = 0; round < 10; round++) {
      const courtId = randomUUID();
      const actor = (n: number) => ({ userId: randomUUID(), courtId, role: 'manager' }) as Actor;
      await Promise.all([writeCallSettings(database.db, actor(1), { supervisionNotice: true }), writeCallSettings(database.db, actor(2), { recordingNotice: true })]);
      expect(await readCallSettings(database.db, courtId)).toEqual({ supervisionNotice: true, recordingNotice: true });
    }
  });

  it('a change keeps the other setting and returns both', async () => {
    const courtId = randomUUID();
    const actor = { userId: randomUUID(), courtId, role: 'manager' } as Actor;
    expect(await writeCallSettings(database.db, actor, { recordingNotice: true })).toEqual({ supervisionNotice: false, recordingNotice: true });
    expect(await writeCallSettings(database.db, actor, { supervisionNotice: true })).toEqual({ supervisionNotice: true, recordingNotice: true });
    expect(await writeCallSettings(database.db, actor, { recordingNotice: false })).toEqual({ supervisionNotice: true, recordingNotice: false });
  });
});
