import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationSets, repoRoot } from '../platform/db/migration-sets.ts';

/** The migrations before issue 19's calendar ones, per set: what a deployment had before upgrading. */
const before: Record<string, string> = { tickets: '0004_court_calendar', telephony: '0008_calendar_moves_to_tickets' };
const temp = mkdtempSync(join(tmpdir(), 'hotline-calendar-migration-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function folderUpTo(set: (typeof migrationSets)[number]): string {
  const stop = before[set.name];
  if (!stop) return join(repoRoot, set.folder);
  const dir = join(temp, set.name);
  cpSync(join(repoRoot, set.folder), dir, { recursive: true });
  const journalPath = join(dir, 'meta/_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  journal.entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === stop));
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

describe('calendar migration (issue 19): existing calendars move into the court calendar', () => {
  it("keeps every court's deadlines and hotline hours as they were", async () => {
    const client = new PGlite();
    const db = drizzle(client);
    const run = async (folder: (set: (typeof migrationSets)[number]) => string) => {
      for (const set of migrationSets) await migrate(db, { migrationsFolder: folder(set), migrationsSchema: 'drizzle', migrationsTable: `${set.name}_migrations` });
    };
    await run(folderUpTo);
    const court = '11111111-1111-1111-1111-111111111111';
    const gone = '22222222-2222-2222-2222-222222222222';
    await client.exec(`
      insert into platform.courts (id, code, name) values ('${court}', 'J0811', '测试法院'), ('33333333-3333-3333-3333-333333333333', 'J0802', '另一法院');
      insert into tickets.calendar_days (day, kind, name, source) values
        ('2026-10-01', 'holiday', '国庆节', '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）'),
        ('2026-03-04', 'holiday', '本地假日', '某院管理员添加');
      insert into telephony.business_hours (court_id, weekday, opens, closes) values ('${court}', 1, '08:30', '17:30'), ('${gone}', 1, '08:30', '17:30');
      insert into telephony.holidays (court_id, day, working, name) values ('${court}', '2026-03-05', false, '热线停机'), ('${court}', '2026-03-07', true, '调休上班');
    `);
    await run((set) => join(repoRoot, set.folder));

    const national = await client.query<{ day: string }>(`select day::text from tickets.calendar_days order by day`);
    expect(national.rows.map((r) => r.day)).toEqual(['2026-10-01']);
    const own = await client.query<{ court: string; day: string; kind: string }>(`select court_id::text as court, day::text, kind::text from tickets.court_calendar_days order by court_id, day`);
    expect(own.rows).toEqual([
      { court, day: '2026-03-04', kind: 'holiday' },
      { court, day: '2026-03-05', kind: 'holiday' },
      { court, day: '2026-03-07', kind: 'workday' },
      { court: '33333333-3333-3333-3333-333333333333', day: '2026-03-04', kind: 'holiday' },
    ]);
    const hours = await client.query(`select court_id::text as court, weekday, opens::text, closes::text from tickets.business_hours`);
    expect(hours.rows).toEqual([{ court, weekday: 1, opens: '08:30:00', closes: '17:30:00' }]);
    const left = await client.query(`select to_regclass('telephony.holidays') as holidays, to_regclass('telephony.business_hours') as hours`);
    expect(left.rows).toEqual([{ holidays: null, hours: null }]);
    await client.close();
  });
});
