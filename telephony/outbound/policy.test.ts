import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../platform/db/migration-sets.ts';
import { WorkingCalendar } from '../../platform/calendar/working-calendar.ts';
import { isOpenAt } from '../hours/calendar.ts';
import { firstOpenAt, nextAttemptAt } from './policy.ts';
import { outboundPrompts } from './types.ts';

const court = 'c0000000-0000-0000-0000-000000000001';
// Monday to Friday 08:30–12:00 and 14:30–17:30 Beijing time; 2025-10-01..08 National Day, 2025-09-28 (Sunday) a make-up day.
const hours = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { courtId: court, weekday, opens: '08:30', closes: '12:00' },
  { courtId: court, weekday, opens: '14:30', closes: '17:30' },
]);
const days = new WorkingCalendar([
  ...Array.from({ length: 8 }, (_, i) => ({ day: `2025-10-0${i + 1}`, kind: 'holiday' as const })),
  { day: '2025-09-28', kind: 'workday' },
]);
const isOpen = (at: Date) => isOpenAt(hours, days, at);
const beijing = (text: string) => Date.parse(`${text}+08:00`);
const policy = { attempts: 3, spacingMs: 30 * 60_000 };

describe('retry policy: count, spacing, business hours only', () => {
  it('retries after the spacing when the court is still open', () => {
    expect(nextAttemptAt(policy, 1, beijing('2025-09-24T09:00:00'), isOpen)).toBe(beijing('2025-09-24T09:30:00'));
  });

  it('moves a retry that would fall in the lunch break to the afternoon opening', () => {
    expect(nextAttemptAt(policy, 1, beijing('2025-09-24T11:45:00'), isOpen)).toBe(beijing('2025-09-24T14:30:00'));
  });

  it('moves a Friday evening retry past the weekend, and a retry before a holiday week past the holidays', () => {
    expect(nextAttemptAt(policy, 1, beijing('2025-09-26T17:10:00'), isOpen)).toBe(beijing('2025-09-28T08:30:00'));
    expect(nextAttemptAt(policy, 2, beijing('2025-09-30T17:20:00'), isOpen)).toBe(beijing('2025-10-09T08:30:00'));
  });

  it('gives up when every attempt is used', () => {
    expect(nextAttemptAt(policy, 3, beijing('2025-09-24T09:00:00'), isOpen)).toBeNull();
  });

  it('never finds an opening for a court with hours but no open day within 14 days', () => {
    const closed = new WorkingCalendar(Array.from({ length: 20 }, (_, i) => ({ day: `2025-11-${String(i + 1).padStart(2, '0')}`, kind: 'holiday' as const })));
    expect(firstOpenAt(beijing('2025-11-01T00:00:00'), (at) => isOpenAt(hours, closed, at))).toBeNull();
  });

  it('a court without configured hours is always open', () => {
    const at = beijing('2025-10-01T03:00:00');
    expect(firstOpenAt(at, (t) => isOpenAt([], new WorkingCalendar([]), t))).toBe(at);
  });
});

describe('survey prompts', () => {
  it('ships every prompt the outbound flows play as 8 kHz audio with its text beside it, the question naming keys 1, 2, 3', () => {
    const dir = join(repoRoot, 'asterisk-config/sounds/zh');
    for (const prompt of outboundPrompts) {
      expect(existsSync(join(dir, `${prompt}.txt`)), `${prompt}.txt`).toBe(true);
      const wav = readFileSync(join(dir, `${prompt}.wav`));
      expect(wav.toString('ascii', 0, 4), prompt).toBe('RIFF');
      expect(wav.readUInt32LE(24), `${prompt} sample rate`).toBe(8000);
    }
    const question = readFileSync(join(dir, 'survey-question.txt'), 'utf8');
    for (const words of ['满意请按一', '基本满意请按二', '不满意请按三']) expect(question).toContain(words);
  });
});
