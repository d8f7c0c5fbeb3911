import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { HotlineEvent } from '../platform/events.ts';
import { repoRoot } from '../platform/db/migration-sets.ts';
import { useTestDatabase } from '../test/harness/database.ts';
import { afterFile } from '../test/harness/after-file.ts';
import { useHotline } from '../test/harness/hotline.ts';
import { useRedisPrefix } from '../test/harness/redis.ts';
import { openDatabase } from '../platform/db/client.ts';
import { serviceOf } from '../platform/deps.ts';
import { eventually, seedCourt, silentLogger } from './testing/harness.ts';

describe('tickets capability in a whole hotline', () => {
  it('seeds categories and the calendar, serves the API its service, relays and works stage jobs', async () => {
    const url = await useTestDatabase();
    const prefix = useRedisPrefix();
    const hotline = await useHotline({ DATABASE_URL: url, REDIS_PREFIX: prefix });
    const service = serviceOf(hotline.deps, 'tickets');
    expect((await service.categories()).map((c) => c.code)).toContain('petition');
    const court = await seedCourt(hotline.database);
    expect((await service.calendarDays(court.operator, 2026)).find((d) => d.day === '2026-02-14')).toMatchObject({ kind: 'workday', origin: 'national' });
    const events: HotlineEvent[] = [];
    await hotline.deps.events.subscribe((e) => events.push(e));
    const ticket = await service.create(court.operator, { summary: '信访登记', category: 'petition', callerNumber: '13300000000' });
    await service.handOff(court.operator, ticket.id, { handlerDepartmentId: court.civil });
    const assigned = await eventually(() => events.find((e) => e.type === 'ticket.assigned'), 5000, 'assigned notice');
    // A department ticket notifies the department's judges and head, resolved to users.
    expect(new Set(assigned.audience.userIds)).toEqual(new Set([court.judge.userId, court.judge2.userId, court.head.userId]));
  });

  it('npm run tickets:verify-audit exits 1 naming the first broken link, 0 when intact', async () => {
    const url = await useTestDatabase();
    const database = await openDatabase({ url, poolSize: 2, dataDir: '', logger: silentLogger });
    try {
      const prefix = useRedisPrefix();
      // The command checks the seals with the hotline's key: the same data dir for both.
      const dataDir = mkdtempSync(join(tmpdir(), 'hotline-verify-audit-'));
      afterFile(() => rmSync(dataDir, { recursive: true, force: true }));
      const hotline = await useHotline({ DATABASE_URL: url, REDIS_PREFIX: prefix, HOTLINE_ROLES: 'api', HOTLINE_DATA_DIR: dataDir });
      const court = await seedCourt(database);
      const service = serviceOf(hotline.deps, 'tickets');
      const t = await service.create(court.operator, { summary: '审计' });
      await service.edit(court.operator, t.id, { details: '补充' });
      const run = () => spawnSync(process.execPath, ['--import', 'tsx', 'tickets/commands/verify-audit.ts'], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: url, HOTLINE_DATA_DIR: dataDir }, encoding: 'utf8' });
      const intact = run();
      expect(intact.status).toBe(0);
      expect(intact.stdout).toContain('audit chain intact: 2 events');
      await database.db.execute(sql`update tickets.ticket_events set after = '{"details":"改过"}'::jsonb where seq = 2`);
      const broken = run();
      expect(broken.status).toBe(1);
      expect(broken.stderr).toMatch(new RegExp(`court ${court.courtId}, event #2 .*edited`));
    } finally {
      await database.close();
    }
  });
});
