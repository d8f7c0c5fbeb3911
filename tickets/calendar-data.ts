import type { CalendarDayKind } from './vocabulary.ts';

/**
 * Public holidays and make-up working days (调休) as published by the General Office of the State Council.
 * Only years whose official notice is cited here are shipped; admins add later years in calendar_days.
 *
 * 2025: 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）,
 *       published by Xinhua, e.g. https://m.gmw.cn/2024-11/12/content_1303894933.htm
 * 2026: 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）,
 *       published by Xinhua, e.g. https://politics.gmw.cn/2025-11/04/content_38391083.htm
 */
const source2025 = '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）';
const source2026 = '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）';

interface Period {
  name: string;
  from: string;
  to: string;
  workdays: string[];
  source: string;
}

const periods: Period[] = [
  { name: '元旦', from: '2025-01-01', to: '2025-01-01', workdays: [], source: source2025 },
  { name: '春节', from: '2025-01-28', to: '2025-02-04', workdays: ['2025-01-26', '2025-02-08'], source: source2025 },
  { name: '清明节', from: '2025-04-04', to: '2025-04-06', workdays: [], source: source2025 },
  { name: '劳动节', from: '2025-05-01', to: '2025-05-05', workdays: ['2025-04-27'], source: source2025 },
  { name: '端午节', from: '2025-05-31', to: '2025-06-02', workdays: [], source: source2025 },
  { name: '国庆节、中秋节', from: '2025-10-01', to: '2025-10-08', workdays: ['2025-09-28', '2025-10-11'], source: source2025 },

  { name: '元旦', from: '2026-01-01', to: '2026-01-03', workdays: ['2026-01-04'], source: source2026 },
  { name: '春节', from: '2026-02-15', to: '2026-02-23', workdays: ['2026-02-14', '2026-02-28'], source: source2026 },
  { name: '清明节', from: '2026-04-04', to: '2026-04-06', workdays: [], source: source2026 },
  { name: '劳动节', from: '2026-05-01', to: '2026-05-05', workdays: ['2026-05-09'], source: source2026 },
  { name: '端午节', from: '2026-06-19', to: '2026-06-21', workdays: [], source: source2026 },
  { name: '中秋节', from: '2026-09-25', to: '2026-09-27', workdays: [], source: source2026 },
  { name: '国庆节', from: '2026-10-01', to: '2026-10-07', workdays: ['2026-09-20', '2026-10-10'], source: source2026 },
];

export interface CalendarSeedDay {
  day: string;
  kind: CalendarDayKind;
  name: string;
  source: string;
}

/** Every shipped day: each day of each holiday period, and each make-up working day. */
export const shippedCalendarDays: CalendarSeedDay[] = periods.flatMap((p) => {
  const days: CalendarSeedDay[] = [];
  for (let d = p.from; d <= p.to; d = nextDay(d)) days.push({ day: d, kind: 'holiday', name: p.name, source: p.source });
  for (const w of p.workdays) days.push({ day: w, kind: 'workday', name: `${p.name}调休上班`, source: p.source });
  return days;
});

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
