import { describe, expect, it } from 'vitest';
import { drawSample, type AnsweredCall } from './sampling.ts';
import { scoreOf } from './scoring.ts';
import { isMonday, lastWeek, weekOf, weekSpan, weeksBack } from './week.ts';

describe('weeks in China time', () => {
  it('run Monday 00:00 to Monday 00:00 at UTC+8, named by the Monday', () => {
    expect(weekOf(new Date('2026-11-29T15:59:59.999Z'))).toBe('2026-11-23'); // Sunday 23:59:59 in Beijing
    expect(weekOf(new Date('2026-11-29T16:00:00Z'))).toBe('2026-11-30'); // Monday 00:00 in Beijing
    expect(weekSpan('2026-11-30')).toEqual({ start: new Date('2026-11-29T16:00:00Z'), end: new Date('2026-12-06T16:00:00Z') });
    expect(lastWeek(new Date('2026-12-06T17:00:00Z'))).toBe('2026-11-30');
    expect(weeksBack('2026-11-30', 3)).toEqual(['2026-11-30', '2026-11-23', '2026-11-16']);
    expect([isMonday('2026-11-30'), isMonday('2026-12-01')]).toEqual([true, false]);
  });
});

describe('the sample and the score (pure)', () => {
  const calls: AnsweredCall[] = Array.from({ length: 10 }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, arrivedAt: new Date(0), operatorId: i < 7 ? 'a' : 'b', complaint: i === 9, unsatisfied: false }));
  it('takes ⌈share × answered⌉ per operator in the seed’s order, whatever order the calls come in', () => {
    const ids = (list: AnsweredCall[]) => drawSample(list, 30, 'seed').map((c) => `${c.id}:${c.reasons.join('+')}`).sort();
    expect(ids(calls)).toEqual(ids([...calls].reverse()));
    const random = drawSample(calls, 30, 'seed').filter((c) => c.reasons.includes('random'));
    expect(random.filter((c) => c.operatorId === 'a')).toHaveLength(3);
    expect(random.filter((c) => c.operatorId === 'b')).toHaveLength(1);
    expect(drawSample(calls, 30, 'seed').some((c) => c.id === calls[9]!.id && c.reasons.includes('complaint'))).toBe(true);
  });
  it('scores the share of the weights earned; a fatal item failed is 0 and flagged', () => {
    const items = [
      { key: 'a', label: 'A', weight: 40, fatal: false },
      { key: 'b', label: 'B', weight: 60, fatal: false },
      { key: 'x', label: 'X', weight: 0, fatal: true },
    ];
    expect(scoreOf(items, { a: 40, b: 33 }, [])).toEqual({ score: 73, fatal: false });
    expect(scoreOf(items, { a: 1, b: 1 }, [])).toEqual({ score: 2, fatal: false });
    expect(scoreOf(items, { a: 40, b: 60 }, ['x'])).toEqual({ score: 0, fatal: true });
    expect(() => scoreOf(items, { a: 41, b: 60 }, [])).toThrow(/0–40/);
    expect(() => scoreOf(items, { a: 40 }, [])).toThrow(/no points/);
  });
});
